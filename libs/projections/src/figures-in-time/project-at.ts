import type { RecordedEvent } from '@fundtrail/event-store';
import { computeFigures, type Figure, foldEvents, type FigureTrace, traceFigure } from '../figures';
import { eventsAsOf, type FigureTime } from '../figures/figure-time';
import { emptyDetails, foldDetails, type ProjectDetails } from '../read-models/project-details';

/** A project as the books stood at a time; figures folded from the log with the projection's own fold. */
export interface ProjectAt {
  project: ProjectDetails & { eventCount: number; lastPosition: string };
  figures: Figure[];
  asOfPosition: string;
}

/**
 * Why a project has no answer at a time: it has no event at all (NOT_FOUND), or none of its events
 * is in the cut (NOT_YET_RECORDED: nothing effective by that day was recorded by then). A time
 * before anything was recorded is said, never answered as a project of zeros.
 */
export class ProjectAbsent {
  static readonly NOT_FOUND = new ProjectAbsent('PROJECT_NOT_FOUND');
  static readonly NOT_YET_RECORDED = new ProjectAbsent('PROJECT_NOT_YET_RECORDED');
  private constructor(readonly code: 'PROJECT_NOT_FOUND' | 'PROJECT_NOT_YET_RECORDED') {}
}

/** The position the books are as of: the last event of the cut, 0 when it is empty. */
export function lastPositionOf(events: readonly RecordedEvent[]): bigint {
  return events.reduce((max, event) => (event.globalPosition > max ? event.globalPosition : max), 0n);
}

/** The events of a project's stream in the cut, or why there are none. */
export function cutOf(stream: readonly RecordedEvent[], time: FigureTime): RecordedEvent[] | ProjectAbsent {
  if (stream.length === 0) return ProjectAbsent.NOT_FOUND;
  const cut = eventsAsOf(stream, time);
  return cut.length === 0 ? ProjectAbsent.NOT_YET_RECORDED : cut;
}

export function projectAt(projectId: string, stream: readonly RecordedEvent[], time: FigureTime): ProjectAt | ProjectAbsent {
  const cut = cutOf(stream, time);
  if (cut instanceof ProjectAbsent) return cut;
  const position = lastPositionOf(cut);
  let details = emptyDetails(projectId);
  for (const event of cut) details = foldDetails(details, event);
  return {
    project: { ...details, eventCount: cut.length, lastPosition: position.toString() },
    figures: computeFigures(foldEvents(cut), position),
    asOfPosition: position.toString(),
  };
}

/**
 * A figure's trace over the cut. With no read model to compare against, `storedValue` is the
 * figure folded from every event of the cut, so `matches` says the listed terms alone give it.
 */
export function traceAt(key: string, stream: readonly RecordedEvent[], time: FigureTime): FigureTrace | undefined | ProjectAbsent {
  const cut = cutOf(stream, time);
  if (cut instanceof ProjectAbsent) return cut;
  const whole = computeFigures(foldEvents(cut), lastPositionOf(cut)).find((figure) => figure.key === key);
  return traceFigure(key, cut, whole === undefined ? undefined : whole.value);
}
