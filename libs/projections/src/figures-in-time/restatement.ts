import type { RecordedEvent } from '@fundtrail/event-store';
import { computeFigure, type Figure, foldEvents, traceFigure, type TracedTerm } from '../figures';
import { eventsAsOf, isKnownAsOf, type KnownAt } from '../figures/figure-time';
import { cutOf, ProjectAbsent, lastPositionOf } from './project-at';

/** What a figure published at `knownAt` for the day `asOfEffective` has become since. */
export interface Restatement {
  /** The figure as the books stood at knownAt; null when it was no figure then (a receipt not yet recorded). */
  then: Figure | null;
  /** The figure for the same day as the books stand now; null when it is no figure any more (a receipt reversed). */
  now: Figure | null;
  /** The terms of the figure now that were recorded after knownAt (all effective on or before the day). */
  changedBy: TracedTerm[];
}

/**
 * Undefined when the key is a figure neither then nor now. NOT_YET_RECORDED when nothing effective by
 * the day was recorded by knownAt: no figure could have been published from the books then.
 */
export function restate(key: string, stream: readonly RecordedEvent[], asOfEffective: string, knownAt: KnownAt): Restatement | undefined | ProjectAbsent {
  const thenCut = cutOf(stream, { asOfEffective, knownAt });
  if (thenCut instanceof ProjectAbsent) return thenCut;
  const nowCut = eventsAsOf(stream, { asOfEffective });
  const then = computeFigure(key, foldEvents(thenCut), lastPositionOf(thenCut)) ?? null;
  const now = computeFigure(key, foldEvents(nowCut), lastPositionOf(nowCut)) ?? null;
  if (then === null && now === null) return undefined;
  // The trace decides which events are terms of the figure; the cut decides which came late.
  const late = new Set(nowCut.filter((event) => !isKnownAsOf(event, { knownAt })).map((event) => event.eventId));
  const changedBy = (traceFigure(key, nowCut)?.terms ?? []).filter((term) => late.has(term.eventId));
  return { then, now, changedBy };
}
