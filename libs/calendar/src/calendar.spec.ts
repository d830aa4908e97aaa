import fc from 'fast-check';
import {
  bureauDayOf,
  type CalendarErrorReason,
  CalendarFormatError,
  daysBetween,
  endOfBureauDay,
  isCalendarDate,
  parseCalendarDate,
  parseInstant,
  parseRecordedCutoff,
} from './index';

function reasonOf(parse: () => unknown): CalendarErrorReason | 'accepted' {
  try {
    parse();
    return 'accepted';
  } catch (error) {
    if (error instanceof CalendarFormatError) return error.reason;
    throw error;
  }
}

describe('parseCalendarDate', () => {
  it.each([
    ['2024-02-29', 'a leap day (divisible by 4)'],
    ['2000-02-29', 'a leap day (divisible by 400)'],
    ['1949-01-01', 'the first day of the calendar'],
    ['2200-12-31', 'the last day of the calendar'],
    ['2026-01-31', 'a 31-day month'],
    ['2026-04-30', 'a 30-day month'],
    ['2026-02-28', 'February of a common year'],
  ])('accepts %s (%s) and returns it unchanged', (text) => {
    expect(parseCalendarDate(text)).toBe(text);
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each<[unknown, CalendarErrorReason]>([
    ['2026-02-29', 'no-such-date'],
    ['2100-02-29', 'no-such-date'], // divisible by 100, not by 400
    ['2026-02-30', 'no-such-date'],
    ['2026-13-01', 'no-such-date'],
    ['2026-12-32', 'no-such-date'],
    ['2026-00-01', 'no-such-date'],
    ['2026-01-00', 'no-such-date'],
    ['2026-04-31', 'no-such-date'],
    ['2026-13-45', 'no-such-date'],
    ['0000-01-01', 'out-of-range'],
    ['1948-12-31', 'out-of-range'],
    ['2201-01-01', 'out-of-range'],
    ['9999-12-31', 'out-of-range'],
    ['2026-1-01', 'malformed'],
    ['26-01-01', 'malformed'],
    ['2026/01/01', 'malformed'],
    ['20260101', 'malformed'],
    ['+2026-01-01', 'malformed'],
    [' 2026-01-01', 'malformed'],
    ['2026-01-01 ', 'malformed'],
    ['2026-01-01\n', 'malformed'],
    ['２０２６-01-01', 'malformed'],
    ['٢٠٢٦-01-01', 'malformed'],
    ['2026-01-01T00:00:00Z', 'malformed'],
    ['2026-W01-1', 'malformed'],
    ['', 'malformed'],
    [20260101, 'not-a-string'],
    [null, 'not-a-string'],
    [undefined, 'not-a-string'],
    [new Date(Date.UTC(2026, 0, 1)), 'not-a-string'],
    [['2026-01-01'], 'not-a-string'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(reasonOf(() => parseCalendarDate(input))).toBe(reason);
    expect(isCalendarDate(input)).toBe(false);
  });

  it('says why, in words that complete "<field> …"', () => {
    expect(() => parseCalendarDate('2026-02-29')).toThrow('names a day that does not exist (2026-02 has 28 days)');
    expect(() => parseCalendarDate('2026-13-01')).toThrow('has no month 13');
    expect(() => parseCalendarDate('1900-01-01')).toThrow('must lie between 1949 and 2200');
  });

  it('accepts exactly the dates JavaScript’s own calendar agrees exist, within 1949…2200 (property)', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2300 }), two(14), two(33), (year, month, day) => {
        const text = `${year}-${month}-${day}`;
        const oracle = new Date(Date.UTC(year, Number(month) - 1, Number(day)));
        const exists = oracle.getUTCFullYear() === year && oracle.getUTCMonth() === Number(month) - 1 && oracle.getUTCDate() === Number(day);
        expect(isCalendarDate(text)).toBe(exists && year >= 1949 && year <= 2200);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseInstant', () => {
  it.each([
    ['2024-09-01T08:00:00+08:00', '2024-09-01T00:00:00.000Z'],
    ['2024-09-01T00:00:00Z', '2024-09-01T00:00:00.000Z'],
    ['2024-09-01T00:00Z', '2024-09-01T00:00:00.000Z'], // reduced precision: no seconds
    ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00.000Z'],
    ['2024-01-01T00:00:00+14:00', '2023-12-31T10:00:00.000Z'],
    ['2024-01-01T05:30:00+05:30', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T00:00:00+23:59', '2023-12-31T00:01:00.000Z'],
    ['2024-01-01T00:00:00-00:00', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T00:00:00.1Z', '2024-01-01T00:00:00.100Z'],
    ['2024-01-01T00:00:00.12Z', '2024-01-01T00:00:00.120Z'],
    ['2024-01-01T00:00:00.123456789Z', '2024-01-01T00:00:00.123Z'], // finer than a ms: truncated
    ['2024-01-01T00:00:00.9999Z', '2024-01-01T00:00:00.999Z'], // truncated, never rounded into the next ms
    ['1949-01-01T00:00:00+08:00', '1948-12-31T16:00:00.000Z'], // the bounds apply to the written date
    ['2200-12-31T23:59:59-05:00', '2201-01-01T04:59:59.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseInstant(text).toISOString()).toBe(iso);
  });

  it.each<[unknown, CalendarErrorReason]>([
    ['2026-02-29T00:00:00Z', 'no-such-date'],
    ['2026-13-01T00:00:00Z', 'no-such-date'],
    ['2026-12-32T00:00:00+08:00', 'no-such-date'],
    ['0000-01-01T00:00:00Z', 'out-of-range'],
    ['2024-01-01T24:00:00Z', 'no-such-time'], // ISO 8601:2004's end-of-day 24:00 is not accepted
    ['2024-01-01T25:00:00Z', 'no-such-time'],
    ['2024-01-01T23:60:00Z', 'no-such-time'],
    ['2024-01-01T23:59:60Z', 'no-such-time'], // a leap second: JavaScript time has none
    ['2016-12-31T23:59:60Z', 'no-such-time'], // even a real one
    ['2024-01-01T12:00:00', 'no-offset'],
    ['2024-01-01T12:00', 'no-offset'],
    ['2024-01-01T12:00:00.5', 'no-offset'],
    ['2024-01-01T12:00:00+24:00', 'no-such-offset'],
    ['2024-01-01T12:00:00+08:60', 'no-such-offset'],
    ['2024-01-01T12:00:00+0800', 'malformed'],
    ['2024-01-01T12:00:00+08', 'malformed'],
    ['2024-01-01T12:00:00z', 'malformed'],
    ['2024-01-01t12:00:00Z', 'malformed'],
    ['2024-01-01 12:00:00Z', 'malformed'],
    ['2024-01-01T12:00:00 08:00', 'malformed'],
    ['2024-01-01T12:00:00.Z', 'malformed'],
    ['2024-01-01T12:00:00,5Z', 'malformed'],
    ['2024-01-01T12:00:00.1234567890Z', 'malformed'],
    ['2024-01-01T1:00:00Z', 'malformed'],
    ['2024-01-01T12Z', 'malformed'],
    ['20240101T120000Z', 'malformed'],
    ['2024-01-01', 'malformed'], // a day is not an instant
    [' 2024-01-01T00:00:00Z', 'malformed'],
    ['2024-01-01T00:00:00Z ', 'malformed'],
    ['', 'malformed'],
    [1_700_000_000_000, 'not-a-string'],
    [new Date(), 'not-a-string'],
    [null, 'not-a-string'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(reasonOf(() => parseInstant(input))).toBe(reason);
  });

  it('explains an unencoded "+" in a query string and a missing offset', () => {
    expect(() => parseInstant('2024-01-01T12:00:00 08:00')).toThrow('send "+" as %2B');
    expect(() => parseInstant('2024-01-01T12:00:00')).toThrow('must say its offset from UTC');
  });

  it('agrees with Date.parse on every instant whose parts exist (property)', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(
        fc.integer({ min: 1949, max: 2200 }),
        two(12),
        two(31),
        two(23),
        two(59),
        two(59),
        fc.option(fc.stringMatching(/^[0-9]{1,3}$/)),
        fc.oneof(
          fc.constant('Z'),
          fc.tuple(fc.constantFrom('+', '-'), two(23), two(59)).map(([sign, h, m]) => `${sign}${h}:${m}`),
        ),
        (year, month, day, hour, minute, second, fraction, offset) => {
          const text = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction === null ? '' : `.${fraction}`}${offset}`;
          const oracle = new Date(Date.UTC(year, Number(month) - 1, Number(day)));
          const exists = oracle.getUTCMonth() === Number(month) - 1 && oracle.getUTCDate() === Number(day);
          if (!exists) {
            expect(reasonOf(() => parseInstant(text))).toBe('no-such-date');
          } else {
            expect(parseInstant(text).getTime()).toBe(Date.parse(text));
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('the bureau’s calendar (Asia/Shanghai)', () => {
  it.each([
    ['2024-08-31T15:59:59.999Z', '2024-08-31'],
    ['2024-08-31T16:00:00.000Z', '2024-09-01'], // midnight in Kunming is 16:00 UTC
    ['2024-12-31T16:00:00.000Z', '2025-01-01'],
    ['1988-06-01T15:00:00.000Z', '1988-06-02'], // China kept summer time in 1986-1991: +09:00
    ['1988-12-01T15:00:00.000Z', '1988-12-01'],
  ])('the recording day of %s is %s', (iso, day) => {
    expect(bureauDayOf(new Date(iso))).toBe(day);
  });

  it.each([
    ['2024-09-01', '2024-09-01T15:59:59.999Z'],
    ['2024-02-29', '2024-02-29T15:59:59.999Z'],
    ['2024-12-31', '2024-12-31T15:59:59.999Z'],
    ['1988-06-01', '1988-06-01T14:59:59.999Z'],
    ['1988-04-16', '1988-04-16T15:59:59.999Z'], // summer time began at 02:00 on 1988-04-17: this midnight is still +08:00
    ['1988-04-17', '1988-04-17T14:59:59.999Z'],
    ['1988-09-10', '1988-09-10T14:59:59.999Z'], // it ended at 02:00 on 1988-09-11: this midnight is still +09:00
    ['1988-09-11', '1988-09-11T15:59:59.999Z'],
  ])('the end of the bureau’s day %s is %s', (date, iso) => {
    const end = endOfBureauDay(date);
    expect(end.toISOString()).toBe(iso);
    expect(bureauDayOf(end)).toBe(date);
    expect(bureauDayOf(new Date(end.getTime() + 1))).not.toBe(date);
  });

  it('endOfBureauDay refuses a day that does not exist', () => {
    expect(reasonOf(() => endOfBureauDay('2026-02-29'))).toBe('no-such-date');
  });

  it('a recording cut-off is an instant, or the end of a recording day', () => {
    expect(parseRecordedCutoff('2024-09-01').toISOString()).toBe('2024-09-01T15:59:59.999Z');
    expect(parseRecordedCutoff('2024-09-01T00:00:00Z').toISOString()).toBe('2024-09-01T00:00:00.000Z');
    expect(reasonOf(() => parseRecordedCutoff('2026-02-30'))).toBe('no-such-date');
    expect(reasonOf(() => parseRecordedCutoff('2026-13-01T00:00:00Z'))).toBe('no-such-date');
    expect(reasonOf(() => parseRecordedCutoff('2024-01-01T25:00:00Z'))).toBe('no-such-time');
    expect(reasonOf(() => parseRecordedCutoff(7))).toBe('not-a-string');
    expect(() => parseRecordedCutoff('yesterday')).toThrow('or a calendar date YYYY-MM-DD (the end of that day in Asia/Shanghai)');
  });
});

describe('daysBetween', () => {
  it('counts calendar days, across a leap day and a year end; negative backwards', () => {
    expect(daysBetween('2024-08-31', '2024-09-05')).toBe(5);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2023-12-31', '2024-01-01')).toBe(1);
    expect(daysBetween('2024-09-05', '2024-08-31')).toBe(-5);
    expect(daysBetween('1949-01-01', '2200-12-31')).toBe(92_040);
  });
  it('refuses a day that does not exist', () => {
    expect(() => daysBetween('2026-02-29', '2026-03-01')).toThrow(CalendarFormatError);
  });
});
