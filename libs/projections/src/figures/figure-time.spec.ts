import { CalendarFormatError } from '@fundtrail/calendar';
import { eventsAsOf, isNow, parseAsOfEffective, parseKnownAt } from './figure-time';

const event = (position: number, recordedAt: string, effectiveDate: string) => ({
  globalPosition: BigInt(position),
  recordedAt: new Date(recordedAt),
  metadata: { effectiveDate },
});

// Recorded in order; the third is back-dated: recorded in September, effective in July.
const log = [
  event(1, '2024-07-01T02:00:00Z', '2024-07-01'),
  event(2, '2024-08-20T02:00:00Z', '2024-08-20'),
  event(3, '2024-09-10T02:00:00Z', '2024-07-15'),
  event(4, '2024-09-11T02:00:00Z', '2024-09-11'),
];
const positions = (events: readonly { globalPosition: bigint }[]) => events.map((e) => Number(e.globalPosition));

describe('figures as of an effective day, as known at a moment', () => {
  it('keeps everything when no time is asked for', () => {
    expect(positions(eventsAsOf(log, {}))).toEqual([1, 2, 3, 4]);
    expect(isNow({})).toBe(true);
    expect(isNow({ asOfEffective: '2024-08-31' })).toBe(false);
  });

  it('asOfEffective keeps events effective on or before the day, including one recorded later', () => {
    expect(positions(eventsAsOf(log, { asOfEffective: '2024-08-20' }))).toEqual([1, 2, 3]);
    expect(positions(eventsAsOf(log, { asOfEffective: '2024-07-14' }))).toEqual([1]);
  });

  it('knownAt by instant drops what was recorded later, so a back-dated entry is not yet known', () => {
    const time = { asOfEffective: '2024-08-31', knownAt: { recordedAt: new Date('2024-09-05T10:00:00+08:00') } };
    expect(positions(eventsAsOf(log, time))).toEqual([1, 2]);
  });

  it('knownAt by position is inclusive', () => {
    expect(positions(eventsAsOf(log, { knownAt: { position: 3n } }))).toEqual([1, 2, 3]);
  });

  it('parses a position or an instant, and refuses what is neither', () => {
    expect(parseKnownAt('42')).toEqual({ position: 42n });
    expect(parseKnownAt('2024-09-05T18:00:00+08:00')).toEqual({ recordedAt: new Date('2024-09-05T10:00:00Z') });
    for (const bad of ['2024-09-05', '2024-13-01T00:00:00Z', '2024-09-05T25:00:00Z', '-1', '1.5', '', '99999999999999999999']) {
      expect(() => parseKnownAt(bad)).toThrow(CalendarFormatError);
    }
    expect(parseAsOfEffective('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2026-13-45', '2024-8-31']) expect(() => parseAsOfEffective(bad)).toThrow(CalendarFormatError);
  });
});
