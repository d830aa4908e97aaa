import { bureauDayOf, daysBetween, isCalendarDate } from '@fundtrail/calendar';
import type { BackdatedQuery, RecordedEvent } from './event-store.port';

/** The day an event was entered, in the bureau's calendar (the calendar of effective dates). */
export function recordingDayOf(event: Pick<RecordedEvent, 'recordedAt'>): string {
  return bureauDayOf(event.recordedAt);
}

/** Days from the effective date to the recording day: how late the entry was made. */
export function lagDaysOf(event: Pick<RecordedEvent, 'recordedAt' | 'metadata'>): number {
  return daysBetween(event.metadata.effectiveDate, recordingDayOf(event));
}

/** Whether an event answers a BackdatedQuery (its paging aside): the one definition every adapter follows. */
export function isBackdated(event: Pick<RecordedEvent, 'recordedAt' | 'metadata'>, query: BackdatedQuery): boolean {
  // The write side only stores dates that exist; anything else is not evidence of back-dating.
  if (!isCalendarDate(event.metadata.effectiveDate)) return false;
  const day = recordingDayOf(event);
  if (query.recordedFrom !== undefined && day < query.recordedFrom) return false;
  if (query.recordedTo !== undefined && day > query.recordedTo) return false;
  return daysBetween(event.metadata.effectiveDate, day) > query.graceDays;
}
