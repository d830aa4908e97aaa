import { CalendarFormatError, parseCalendarDate, parseInstant } from '@fundtrail/calendar';

/** A moment in the log: a global position, or the instant events were recorded by. */
export type KnownAt = { position: bigint } | { recordedAt: Date };

/**
 * When a figure is asked for: as of an effective day (截至), as the books knew it at a moment.
 * Both absent = everything recorded, whatever its effective date.
 */
export interface FigureTime {
  /** YYYY-MM-DD: only events effective on or before that day. */
  asOfEffective?: string;
  /** Only events recorded by then. */
  knownAt?: KnownAt;
}

/** What an event must carry to be placed in time. */
export interface TimedEvent {
  globalPosition: bigint;
  recordedAt: Date;
  metadata: { effectiveDate: string };
}

/** Whether an event belongs to the books as they stood at `time`. */
export function isKnownAsOf(event: TimedEvent, time: FigureTime): boolean {
  if (time.asOfEffective !== undefined && event.metadata.effectiveDate > time.asOfEffective) return false;
  const known = time.knownAt;
  if (known === undefined) return true;
  return 'position' in known ? event.globalPosition <= known.position : event.recordedAt.getTime() <= known.recordedAt.getTime();
}

/** The events of the books as they stood at `time`, in log order. */
export function eventsAsOf<E extends TimedEvent>(events: readonly E[], time: FigureTime): E[] {
  return events.filter((event) => isKnownAsOf(event, time));
}

/** True when no time was asked for: the read models answer, no replay needed. */
export function isNow(time: FigureTime): boolean {
  return time.asOfEffective === undefined && time.knownAt === undefined;
}

/** A global position is digits only; anything else must be an ISO instant with its offset. */
const POSITION = /^[0-9]{1,19}$/;

/**
 * `knownAt` as sent: a global position ("1234") or an instant ("2024-09-05T18:00:00+08:00").
 * Throws CalendarFormatError for text that is neither, or an instant that does not exist.
 */
export function parseKnownAt(input: unknown): KnownAt {
  if (typeof input === 'string' && POSITION.test(input)) {
    const position = BigInt(input);
    if (position > 9223372036854775807n) throw new CalendarFormatError('out-of-range', input, 'is beyond the largest global position');
    return { position };
  }
  return { recordedAt: parseInstant(input) };
}

/** `asOfEffective` as sent: a calendar date that exists. Throws CalendarFormatError otherwise. */
export function parseAsOfEffective(input: unknown): string {
  return parseCalendarDate(input);
}
