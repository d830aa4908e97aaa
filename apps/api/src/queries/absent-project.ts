import type { ProjectAbsent } from '@fundtrail/projections';
import { problem, ProblemException } from '../problem/problem';

/** The time a read was asked for: figure times (asOfEffective, knownAt) or a history's asOf; readModel when the read model answered. */
export interface AskedTime {
  asOfEffective?: string;
  knownAt?: string;
  asOf?: string;
  readModel?: boolean;
}

/**
 * The one 404 for a project with no answer at the time asked: PROJECT_NOT_FOUND when it has no
 * events at all, PROJECT_NOT_YET_RECORDED when none of its events is in the cut asked for (a time
 * before anything was recorded is said, never answered with figures of zero).
 */
export function absentProject(projectId: string, absent: ProjectAbsent, time: AskedTime = {}): ProblemException {
  if (absent.code === 'PROJECT_NOT_FOUND') {
    const hint = time.readModel ? ' (or is not projected yet: pass minPosition)' : '';
    return new ProblemException(problem(404, absent.code, `project ${projectId} does not exist${hint}`));
  }
  if (time.asOf !== undefined) {
    return new ProblemException(
      problem(404, absent.code, `project ${projectId} has no event as of ${time.asOf}: the books did not hold it then`, { asOf: time.asOf }),
    );
  }
  const when = [time.asOfEffective && `effective on or before ${time.asOfEffective}`, time.knownAt && `recorded by ${time.knownAt}`]
    .filter(Boolean)
    .join(' and ');
  return new ProblemException(problem(404, absent.code, `project ${projectId} has no event ${when}: the books did not hold it then`, echo(time)));
}

function echo(time: AskedTime) {
  return { asOfEffective: time.asOfEffective ?? null, knownAt: time.knownAt ?? null };
}
