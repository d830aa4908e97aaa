import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { spec } from './decider-spec';

type Counted = { type: 'Counted'; data: { by: string; note?: string } };
type Count = { type: 'Count'; data: { by: string; note?: string } };
const decide = (command: Count, total: number): Counted[] => {
  if (total >= 1) throw new FundingRuleViolation('DUPLICATE_ID', 'counted already', 'by');
  return [{ type: 'Counted', data: command.data }];
};
const counter = spec(decide, (total: number) => total + 1, 0);
const count = (note?: string): Count => ({ type: 'Count', data: { by: 'me', note } });

describe('decider spec helper', () => {
  it('passes when the events match', () => {
    counter
      .given([])
      .when(count('x'))
      .then([{ type: 'Counted', data: { by: 'me', note: 'x' } }]);
  });

  it('fails when an event carries an undefined key the expectation leaves out', () => {
    expect(() =>
      counter
        .given([])
        .when(count())
        .then([{ type: 'Counted', data: { by: 'me' } }]),
    ).toThrow();
  });

  it('fails when a refusal was expected and the command was accepted', () => {
    expect(() => counter.given([]).when(count()).thenThrows('DUPLICATE_ID')).toThrow(/accepted/);
  });

  it('checks the refusal code and field', () => {
    const given = counter.given([{ type: 'Counted', data: { by: 'me' } }]);
    expect(given.when(count()).thenThrows('DUPLICATE_ID', { field: 'by' }).message).toBe('counted already');
    expect(() => given.when(count()).thenThrows('INSUFFICIENT_FUNDS')).toThrow(/expected INSUFFICIENT_FUNDS/);
    expect(() => given.when(count()).thenThrows('DUPLICATE_ID', { field: 'amount' })).toThrow();
  });
});
