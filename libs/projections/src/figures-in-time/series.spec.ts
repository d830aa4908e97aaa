import { CalendarFormatError } from '@fundtrail/calendar';
import { MAX_SERIES_POINTS, parseSeriesBound, parseSeriesKeys, SeriesRangeError, seriesPeriods } from './series';

describe('series periods', () => {
  it('a month ends on its last day, February in a leap year on the 29th', () => {
    expect(seriesPeriods('month', '2024-01-31', '2024-03-01')).toEqual([
      { period: '2024-01', asOfEffective: '2024-01-31' },
      { period: '2024-02', asOfEffective: '2024-02-29' },
      { period: '2024-03', asOfEffective: '2024-03-31' },
    ]);
    expect(seriesPeriods('month', '2023-02-01', '2023-02-01')).toEqual([{ period: '2023-02', asOfEffective: '2023-02-28' }]);
  });

  it('quarters and years contain their bounds, across a year end', () => {
    expect(seriesPeriods('quarter', '2023-11-15', '2024-04-01').map((p) => `${p.period}@${p.asOfEffective}`)).toEqual([
      '2023-Q4@2023-12-31',
      '2024-Q1@2024-03-31',
      '2024-Q2@2024-06-30',
    ]);
    expect(seriesPeriods('year', '2022-12-31', '2024-01-01').map((p) => `${p.period}@${p.asOfEffective}`)).toEqual([
      '2022@2022-12-31',
      '2023@2023-12-31',
      '2024@2024-12-31',
    ]);
  });

  it(`holds at most ${MAX_SERIES_POINTS} points and refuses a range that runs backwards, naming to`, () => {
    expect(seriesPeriods('month', '2005-01-01', '2024-12-31')).toHaveLength(240);
    const refused = (from: string, to: string) => {
      try {
        seriesPeriods('month', from, to);
      } catch (error) {
        return error instanceof SeriesRangeError ? `${error.field}:${error.code}` : String(error);
      }
      return 'answered';
    };
    expect(refused('2004-12-31', '2024-12-31')).toBe('to:TOO_MANY_POINTS');
    expect(refused('2024-05-01', '2024-04-30')).toBe('to:BEFORE_FROM');
  });

  it('from and to are a month or a day that exists', () => {
    expect(parseSeriesBound('2024-02')).toBe('2024-02-01');
    expect(parseSeriesBound('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2024-13', '2026-02-29', '2024-2', '1948-12', '2024-02-30', 'x', 202402])
      expect(() => parseSeriesBound(bad)).toThrow(CalendarFormatError);
  });

  it('keys are figures of the scope, named once', () => {
    expect(parseSeriesKeys('received_total,receipt_usage_rate:r1', 'project')).toEqual(['received_total', 'receipt_usage_rate:r1']);
    expect(() => parseSeriesKeys('receipt_usage_rate:r1', 'portfolio')).toThrow(SeriesRangeError);
    for (const bad of ['', 'nope', 'received_total,received_total', 'received_total,', 'receipt_usage_rate:Bad Id'])
      expect(() => parseSeriesKeys(bad, 'project')).toThrow(SeriesRangeError);
  });
});
