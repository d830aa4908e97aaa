import { parseCalendarDate } from './calendar-date';
import { CalendarFormatError } from './calendar-format-error';
import { parseInstant } from './instant';

/** The calendar of effective dates and of recording days: the bureau's. */
export const BUREAU_TIME_ZONE = 'Asia/Shanghai';

const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: BUREAU_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const WALL_CLOCK = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUREAU_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The bureau's calendar day of an instant ("today" is bureauDayOf(new Date())); a recording day is bureauDayOf(recordedAt). */
export function bureauDayOf(instant: Date): string {
  return DAY.format(instant);
}

/** The bureau's offset from UTC at an instant, in ms (+08:00 today; +09:00 in the summers of 1986-1991). */
function offsetAt(instant: number): number {
  const parts = Object.fromEntries(WALL_CLOCK.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The last millisecond of a calendar day in the bureau's time zone. */
export function endOfBureauDay(date: string): Date {
  const [year, month, day] = parseCalendarDate(date).split('-').map(Number);
  const nextMidnightWall = Date.UTC(year, month - 1, day + 1);
  // The offset at the guess is right unless the guess crossed a change of offset; a second look settles it.
  const guess = nextMidnightWall - offsetAt(nextMidnightWall);
  const start = nextMidnightWall - offsetAt(guess);
  return new Date(start - 1);
}

/**
 * A cut on recording time: an instant (parseInstant), or a calendar date standing for the end of
 * that recording day in the bureau's time zone ("everything recorded on or before 2024-09-01").
 */
export function parseRecordedCutoff(input: unknown): Date {
  if (typeof input === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(input)) return endOfBureauDay(input);
  try {
    return parseInstant(input);
  } catch (error) {
    if (error instanceof CalendarFormatError && error.reason === 'malformed') {
      throw new CalendarFormatError('malformed', input, `${error.message}, or a calendar date YYYY-MM-DD (the end of that day in ${BUREAU_TIME_ZONE})`);
    }
    throw error;
  }
}
