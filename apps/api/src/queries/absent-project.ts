import type { Absent } from '@fundtrail/projections';
import { problem, ProblemException } from '../problem/problem';

/**
 * 404 for a project with no answer at the time asked: PROJECT_NOT_FOUND when it has no events at
 * all, PROJECT_NOT_YET_RECORDED when none of its events is effective by that day and recorded by
 * then (a time before anything was recorded is said, never answered with figures of zero).
 */
export function absentProject(projectId: string, absent: Absent, time: { asOfEffective?: string; knownAt?: string }): ProblemException {
  if (absent === 'no-project') return new ProblemException(problem(404, 'PROJECT_NOT_FOUND', `project ${projectId} does not exist`));
  const when = [time.asOfEffective && `effective on or before ${time.asOfEffective}`, time.knownAt && `recorded by ${time.knownAt}`].filter(Boolean).join(' and ');
  return new ProblemException(problem(404, 'PROJECT_NOT_YET_RECORDED', `project ${projectId} has no event ${when}: the books did not hold it then`, echo(time)));
}

function echo(time: { asOfEffective?: string; knownAt?: string }) {
  return { asOfEffective: time.asOfEffective ?? null, knownAt: time.knownAt ?? null };
}
