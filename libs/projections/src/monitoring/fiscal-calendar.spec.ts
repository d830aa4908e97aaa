import assert from 'node:assert/strict';
import { addDays, daysInYear, fiscalDaysPassed } from './fiscal-calendar';

describe('day arithmetic for the rules', () => {
  it.each<[string, number, string]>([
    ['2024-02-01', 90, '2024-05-01'], // through 29 February
    ['2023-02-01', 90, '2023-05-02'],
    ['2023-12-15', 90, '2024-03-14'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
  ])('%s + %i days is %s', (date, days, expected) => {
    assert.equal(addDays(date, days), expected);
  });

  it.each<[number, number]>([
    [2023, 365],
    [2024, 366],
    [2000, 366],
    [2100, 365],
  ])('%i has %i days', (year, days) => {
    assert.equal(daysInYear(year), days);
  });

  it.each<[number, string, number]>([
    [2024, '2024-01-01', 1],
    [2024, '2024-06-30', 182],
    [2024, '2024-08-31', 244],
    [2024, '2024-12-31', 366],
    [2024, '2023-12-31', 0],
    [2024, '2025-03-01', 366],
    [2023, '2023-08-31', 243],
  ])('of fiscal year %i, %s has passed %i days, itself included', (year, date, passed) => {
    assert.deepStrictEqual(fiscalDaysPassed(year, date), { passed, total: daysInYear(year) });
  });
});
