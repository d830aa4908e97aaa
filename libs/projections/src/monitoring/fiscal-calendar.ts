/**
 * Day arithmetic on calendar dates (YYYY-MM-DD) for the monitoring rules: days after a receipt
 * arrived, the share of a fiscal year elapsed. The ledger's other modules only compare dates; the
 * rules are the first to count days, so the counting lives here. Days are counted on the proleptic
 * Gregorian calendar through Date.UTC, which has no time zone and no daylight saving.
 */

const MS_PER_DAY = 86_400_000;
// The rules ask about the same few hundred days over and over while walking back through a project.
const MEMO_LIMIT = 100_000;
const dayNumbers = new Map<string, number>();
const dates = new Map<number, string>();

/** Days since 1970-01-01 of a valid calendar date. */
export function dayNumber(date: string): number {
  let day = dayNumbers.get(date);
  if (day === undefined) {
    day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
    if (dayNumbers.size < MEMO_LIMIT) dayNumbers.set(date, day);
  }
  return day;
}

export function dateOfDay(day: number): string {
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (dates.size < MEMO_LIMIT) dates.set(day, date);
  }
  return date;
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

export function daysInYear(year: number): number {
  return dayNumber(`${year + 1}-01-01`) - dayNumber(`${year}-01-01`);
}

/**
 * The days of fiscal year `year` passed as of `date`, the day itself included (31 December: all of
 * them); 0 before the year begins, all of them after it ends. China's fiscal year is the calendar year.
 */
export function fiscalDaysPassed(year: number, date: string): { passed: number; total: number } {
  const total = daysInYear(year);
  const passed = dayNumber(date) - dayNumber(`${year}-01-01`) + 1;
  return { passed: Math.min(Math.max(passed, 0), total), total };
}
