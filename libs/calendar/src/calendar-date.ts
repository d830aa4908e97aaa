import { CalendarFormatError } from './calendar-format-error';

/** The ledger's calendar: no fact of a district's funding predates 1949, and none is planned past 2200. */
export const FIRST_YEAR = 1949;
export const LAST_YEAR = 2200;

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Proleptic Gregorian leap years (ISO 8601). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Checks that year-month-day names a real day of the ledger's calendar; by arithmetic, never by Date's rollover. */
export function checkDay(input: unknown, year: number, month: number, day: number): void {
  if (month < 1 || month > 12)
    throw new CalendarFormatError('no-such-date', input, `has no month ${String(month).padStart(2, '0')}: it must be a date that exists`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new CalendarFormatError(
      'no-such-date',
      input,
      `names a day that does not exist (${year}-${String(month).padStart(2, '0')} has ${daysInMonth(year, month)} days)`,
    );
  }
  if (year < FIRST_YEAR || year > LAST_YEAR) throw new CalendarFormatError('out-of-range', input, `must lie between ${FIRST_YEAR} and ${LAST_YEAR}`);
}

/**
 * A calendar date, "YYYY-MM-DD" exactly (ISO 8601 extended form), that exists: 2024-02-29 yes,
 * 2026-02-29 and 2026-13-01 no. Returns the text unchanged; it is already the canonical form.
 */
export function parseCalendarDate(input: unknown): string {
  if (typeof input !== 'string') throw new CalendarFormatError('not-a-string', input, 'must be a calendar date YYYY-MM-DD, as a string');
  const match = DATE.exec(input);
  if (!match) throw new CalendarFormatError('malformed', input, 'must be a calendar date YYYY-MM-DD');
  checkDay(input, Number(match[1]), Number(match[2]), Number(match[3]));
  return input;
}

export function isCalendarDate(input: unknown): input is string {
  try {
    parseCalendarDate(input);
    return true;
  } catch (error) {
    if (error instanceof CalendarFormatError) return false;
    throw error;
  }
}

/** Whole days from one existing date to another: positive when `to` is later (2024-08-31 → 2024-09-05 is 5). */
export function daysBetween(from: string, to: string): number {
  const day = (date: string) => {
    const [year, month, dayOfMonth] = parseCalendarDate(date).split('-').map(Number);
    return Date.UTC(year, month - 1, dayOfMonth) / 86_400_000;
  };
  return day(to) - day(from);
}
