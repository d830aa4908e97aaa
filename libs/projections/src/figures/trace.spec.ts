import { parseYuan, formatYuan } from '@fundtrail/money';
import type { BondIssued } from '@fundtrail/funding';
import { projectEvents, recordedStream } from './figure-events.testing';
import { computeFigure, foldEvents, traceFigure, type FigureTrace } from './index';

const p = projectEvents('main-city-drainage');
const wrongPayment = p.disbursed('d2', '6046300.00', { category: 'engineering-services', receiptId: 'sb-2024' });
const bondIssued: BondIssued = {
  type: 'BondIssued',
  data: { bondId: 'sb', name: '2024年专项债券', kind: 'special', amount: '227000000.00', issueDate: '2024-03-01' },
};
const stream = recordedStream(
  'project-main-city-drainage',
  [
    p.registered('400000000.00'),
    p.received('sb-2024', '227000000.00'),
    p.disbursed('d1', '161145300.00', { receiptId: 'sb-2024' }),
    wrongPayment,
    p.revised('447408400.00'),
    p.reversed(wrongPayment),
    p.disbursed('d3', '6046300.00', { category: 'engineering-services', receiptId: 'sb-2024' }),
    bondIssued, // not of this project's figures, whatever stream hands it over
  ],
  100n,
);

function trace(key: string, storedValue?: string | null): FigureTrace {
  const result = traceFigure(key, stream, storedValue);
  if (result === undefined) throw new Error(`no trace for ${key}`);
  return result;
}

const sumOf = (amounts: string[]) =>
  formatYuan(amounts.reduce((total, amount) => total + parseYuan(amount, { allowNegative: true }), 0n));

describe('traceFigure', () => {
  it('lists every event behind a rate, and its terms add up to the figure', () => {
    const t = trace('execution_rate');
    expect(t).toMatchObject({
      key: 'execution_rate',
      value: '73.65',
      numerator: '167191600.00',
      denominator: '227000000.00',
      formulaVersion: 1,
      asOfPosition: '107',
    });
    const numerator = t.terms.filter((term) => term.term === 'numerator');
    expect(numerator.map((term) => [term.type, term.signedAmount])).toEqual([
      ['DisbursementRecorded', '161145300.00'],
      ['DisbursementRecorded', '6046300.00'],
      ['DisbursementReversed', '-6046300.00'],
      ['DisbursementRecorded', '6046300.00'],
    ]);
    expect(sumOf(numerator.map((term) => term.signedAmount))).toBe(t.numerator);
    expect(sumOf(t.terms.filter((term) => term.term === 'denominator').map((term) => term.signedAmount))).toBe(
      t.denominator,
    );
  });

  it('names each event by id, place in the log, time, effective date and actor', () => {
    const [first] = trace('execution_rate').terms;
    expect(first).toEqual({
      eventId: 'project-main-city-drainage-event-1',
      type: 'FundsReceived',
      globalPosition: '101',
      streamRevision: '1',
      recordedAt: '2024-08-08T09:01:00.000Z',
      effectiveDate: '2024-08-08',
      actor: { id: 'clerk-wang', role: 'clerk' },
      term: 'denominator',
      mode: 'add',
      signedAmount: '227000000.00',
      effective: true,
    });
  });

  it('marks a planned total that a revision replaced as not effective', () => {
    const t = trace('arrival_rate');
    const denominator = t.terms.filter((term) => term.term === 'denominator');
    expect(denominator.map((term) => [term.type, term.mode, term.signedAmount, term.effective])).toEqual([
      ['ProjectRegistered', 'set', '400000000.00', false],
      ['PlannedTotalRevised', 'set', '447408400.00', true],
    ]);
    expect(t).toMatchObject({ value: '50.74', denominator: '447408400.00' });
  });

  it('traces an amount with its signed parts', () => {
    const t = trace('available_balance');
    expect(t.value).toBe('59808400.00');
    expect(t).not.toHaveProperty('denominator');
    expect(sumOf(t.terms.map((term) => term.signedAmount))).toBe(t.value);
    expect(t.terms.find((term) => term.type === 'DisbursementReversed')?.signedAmount).toBe('6046300.00');
  });

  it('matches the stored value only when it is equal', () => {
    expect(trace('execution_rate', '73.65')).toMatchObject({ storedValue: '73.65', matches: true });
    expect(trace('execution_rate', '73.64')).toMatchObject({ storedValue: '73.64', matches: false });
    expect(trace('execution_rate', null)).toMatchObject({ storedValue: null, matches: false });
    expect(trace('execution_rate')).toMatchObject({ matches: false });
    expect(trace('execution_rate')).not.toHaveProperty('storedValue');
    expect(trace('contract_payment_progress', null)).toMatchObject({
      value: null,
      reason: 'no contracts signed',
      terms: [],
      matches: true,
    });
  });

  it('gives the figure as it stood at the end of a prefix of the stream', () => {
    const asOfRevision3 = stream.slice(0, 4);
    const t = traceFigure('disbursed_total', asOfRevision3)!;
    expect(t).toMatchObject({ value: '167191600.00', asOfPosition: '103' });
    expect(t.value).toBe(computeFigure('disbursed_total', foldEvents(asOfRevision3), 103n)?.value);
  });

  it('names no trace for a key that is no figure of this project', () => {
    expect(traceFigure('nonsense', stream)).toBeUndefined();
    expect(traceFigure('receipt_usage_rate:no-such-receipt', stream)).toBeUndefined();
    expect(traceFigure('receipt_usage_rate:sb-2024', stream)?.value).toBe('73.65');
  });
});
