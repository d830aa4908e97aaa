import type { RecordedEvent } from '@fundtrail/event-store';

/** "As known at": every event recorded up to a global position, or up to an instant. */
export type KnownAt = { position: bigint } | { recordedAt: Date };

export function knownBy(event: RecordedEvent, knownAt: KnownAt | undefined): boolean {
  if (knownAt === undefined) return true;
  return 'position' in knownAt ? event.globalPosition <= knownAt.position : event.recordedAt.getTime() <= knownAt.recordedAt.getTime();
}

export function effectiveBy(event: RecordedEvent, date: string): boolean {
  return event.metadata.effectiveDate <= date;
}

/** Log order: input arrays may come in any order, the fold never does. */
export function inLogOrder(events: readonly RecordedEvent[]): RecordedEvent[] {
  return [...events].sort((a, b) => (a.globalPosition < b.globalPosition ? -1 : a.globalPosition > b.globalPosition ? 1 : 0));
}
