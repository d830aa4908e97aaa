import type { RecordedEvent } from '@fundtrail/event-store';
import { isKnownAsOf, type KnownAt } from '../figures/figure-time';

export type { KnownAt };

export function knownBy(event: RecordedEvent, knownAt: KnownAt | undefined): boolean {
  return isKnownAsOf(event, { knownAt });
}

export function effectiveBy(event: RecordedEvent, date: string): boolean {
  return isKnownAsOf(event, { asOfEffective: date });
}

/** Log order: input arrays may come in any order, the fold never does. */
export function inLogOrder(events: readonly RecordedEvent[]): RecordedEvent[] {
  return [...events].sort((a, b) => (a.globalPosition < b.globalPosition ? -1 : a.globalPosition > b.globalPosition ? 1 : 0));
}
