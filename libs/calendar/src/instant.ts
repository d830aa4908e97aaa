import { checkDay } from './calendar-date';
import { CalendarFormatError } from './calendar-format-error';

// Date, "T", hours and minutes, optional seconds with an optional fraction (1 to 9 digits), offset.
const INSTANT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|([+-])([0-9]{2}):([0-9]{2}))$/;
const WITHOUT_OFFSET = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$/;
// What "+08:00" becomes when a query string is not percent-encoded: the "+" arrives as a space.
const PLUS_AS_SPACE = /T[0-9:.]+ [0-9]{2}:?[0-9]{2}$/;

/**
 * An instant in ISO 8601 extended form with its offset: "2024-09-01T08:00:00+08:00",
 * "2024-09-01T00:00Z", "2024-09-01T00:00:00.123456789-05:30". Every part must exist: no hour 24,
 * no leap second 60 (JavaScript time has none), offsets up to ±23:59. Without an offset the text
 * does not say which instant it means, so it is refused; a bare date is not an instant either.
 * A fraction finer than a millisecond is truncated, which is exact for "at or before" comparisons
 * with millisecond timestamps.
 */
export function parseInstant(input: unknown): Date {
  if (typeof input !== 'string') throw new CalendarFormatError('not-a-string', input, 'must be an ISO 8601 instant as a string');
  const match = INSTANT.exec(input);
  if (!match) {
    if (WITHOUT_OFFSET.test(input)) {
      throw new CalendarFormatError('no-offset', input, 'must say its offset from UTC ("Z" or "+08:00"), e.g. 2024-09-01T08:00:00+08:00');
    }
    if (PLUS_AS_SPACE.test(input)) {
      throw new CalendarFormatError('malformed', input, 'has a space before its offset: in a query string send "+" as %2B, e.g. 2024-09-01T08:00:00%2B08:00');
    }
    throw new CalendarFormatError('malformed', input, 'must be an ISO 8601 instant such as 2024-09-01T08:00:00+08:00 or 2024-09-01T00:00:00Z');
  }
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(match[i]));
  const second = match[6] === undefined ? 0 : Number(match[6]);
  checkDay(input, year, month, day);
  if (hour > 23 || minute > 59 || second > 59) {
    throw new CalendarFormatError('no-such-time', input, 'names a time of day that does not exist (hours 00-23, minutes and seconds 00-59)');
  }
  let offsetMinutes = 0;
  if (match[8] !== 'Z') {
    const [hours, minutes] = [Number(match[10]), Number(match[11])];
    if (hours > 23 || minutes > 59) throw new CalendarFormatError('no-such-offset', input, 'has an offset that does not exist (at most ±23:59)');
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const millisecond = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0').slice(0, 3));
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000);
}
