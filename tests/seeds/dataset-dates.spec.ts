import { DatasetError, type SeedEntry, toSeedCommand } from '@fundtrail/reports';

/** The CLI reads a data set's dates with the same calendar as the API (libs/calendar): a date that does not exist is refused. */
const citation = { section: '一', quote: 'q' };
const bond = (issueDate: unknown, effectiveDate: unknown): SeedEntry =>
  ({ type: 'IssueBond', data: { bondId: 'b-1', name: '债', kind: 'special', amount: '600', issueDate }, effectiveDate, citation }) as SeedEntry;

describe('data set dates', () => {
  it.each(['2024-02-29', '1949-01-01', '2200-12-31'])('accepts %s', (date) => {
    const seed = toSeedCommand(bond(date, date), 0);
    expect(seed.command.data).toMatchObject({ issueDate: date });
  });

  it.each(['2026-02-29', '2026-13-01', '2026-12-32', '0000-01-01', '1900-01-01', '2024-1-1', '2024-01-01T00:00:00Z', 20240101])('refuses the issueDate %j', (date) => {
    expect(() => toSeedCommand(bond(date, '2024-01-01'), 0)).toThrow(DatasetError);
    expect(() => toSeedCommand(bond(date, '2024-01-01'), 0)).toThrow(/issueDate: expected a calendar date YYYY-MM-DD/);
  });

  it.each(['2026-02-29', '2026-13-01', '0000-01-01'])('refuses the effectiveDate %j', (date) => {
    expect(() => toSeedCommand(bond('2024-01-01', date), 0)).toThrow(/effectiveDate must be a date YYYY-MM-DD/);
  });

  it('says why a date does not exist', () => {
    expect(() => toSeedCommand(bond('2026-02-29', '2024-01-01'), 0)).toThrow('names a day that does not exist (2026-02 has 28 days)');
  });
});
