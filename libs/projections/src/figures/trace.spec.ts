import { parseYuan, formatYuan } from '@fundtrail/money';
import type { BondIssued } from '@fundtrail/funding';
import { projectEvents, recordedStream } from './figure-events.testing';
import { computeFigure, computeFigures, foldEvents, traceFigure, type FigureTrace } from './index';

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

const sumOf = (amounts: string[]) => formatYuan(amounts.reduce((total, amount) => total + parseYuan(amount, { allowNegative: true }), 0n));

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
    expect(sumOf(t.terms.filter((term) => term.term === 'denominator').map((term) => term.signedAmount))).toBe(t.denominator);
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

describe('traceFigure: derived figures and corrections', () => {
  const q = projectEvents('prefecture-road');
  const wrongReceipt = q.received('r2', '300000.00', 'district-budget');
  const wrongApproval = q.approved('ap-2', '50000.00');
  const corrected = recordedStream(
    'project-prefecture-road',
    [
      q.registered('2000000.00'),
      q.received('r1', '1000000.00', 'central-subsidy'),
      wrongReceipt,
      q.approved('ap-1', '400000.00', { receiptId: 'r1' }),
      wrongApproval,
      q.receiptReversed(wrongReceipt),
      q.approvalReversed(wrongApproval),
      q.signed('c1', '800000.00'),
      q.amended('c1', '600000.00', '800000.00'),
      q.targetSet('completed', '20'),
      q.reported('completed', '16'),
      q.ratioSet('accepted', 'completed'),
      q.reported('accepted', '12'),
      q.reported('completed', '15'),
      q.targetRevised('completed', '18'),
      q.targetSet('dropped', '5'),
      q.withdrawn('dropped'),
    ],
    500n,
  );
  const traced = (key: string) => {
    const result = traceFigure(key, corrected);
    if (result === undefined) throw new Error(`no trace for ${key}`);
    return result;
  };
  const lines = (key: string, term: 'numerator' | 'denominator') =>
    traced(key)
      .terms.filter((t) => t.term === term)
      .map((t) => [t.type, t.signedAmount, t.effective]);

  it('lists a reversed receipt as a negative term of received_total', () => {
    expect(lines('received_total', 'numerator')).toEqual([
      ['FundsReceived', '1000000.00', true],
      ['FundsReceived', '300000.00', true],
      ['ReceiptReversed', '-300000.00', true],
    ]);
    expect(traced('received_total').value).toBe('1000000.00');
  });

  it('traces approval_rate through the approvals and the receipts it reads, corrections negative', () => {
    const t = traced('approval_rate');
    expect(t).toMatchObject({ value: '40.00', numerator: '400000.00', denominator: '1000000.00', formulaVersion: 1 });
    expect(lines('approval_rate', 'numerator')).toEqual([
      ['PaymentApproved', '400000.00', true],
      ['PaymentApproved', '50000.00', true],
      ['PaymentApprovalReversed', '-50000.00', true],
    ]);
    expect(lines('approval_rate', 'denominator')).toEqual([
      ['FundsReceived', '1000000.00', true],
      ['FundsReceived', '300000.00', true],
      ['ReceiptReversed', '-300000.00', true],
    ]);
    expect(sumOf(t.terms.filter((term) => term.term === 'numerator').map((term) => term.signedAmount))).toBe(t.numerator);
  });

  it('lists a contract amendment as the signed difference it makes', () => {
    expect(lines('contract_payment_progress', 'denominator')).toEqual([
      ['ContractSigned', '800000.00', true],
      ['ContractAmended', '-200000.00', true],
    ]);
  });

  it('traces an indicator measured against another through both indicators’ reports', () => {
    const t = traced('output_completion:accepted');
    expect(t).toMatchObject({ value: '80.00', numerator: '12', denominator: '15', formulaVersion: 2 });
    expect(t.formula).toContain('of indicator completed');
    expect(lines('output_completion:accepted', 'numerator')).toEqual([['OutputReported', '12', true]]);
    expect(lines('output_completion:accepted', 'denominator')).toEqual([
      ['OutputReported', '16', false],
      ['OutputReported', '15', true],
    ]);
  });

  it('traces a target through its revisions and an actual through its reports', () => {
    expect(lines('output_target:completed', 'numerator')).toEqual([
      ['OutputTargetSet', '20', false],
      ['OutputTargetRevised', '18', true],
    ]);
    expect(traced('output_target:completed')).toMatchObject({ value: '18', unit: 'quantity' });
    expect(traced('output_target:completed')).not.toHaveProperty('denominator');
    expect(lines('output_actual:completed', 'numerator')).toEqual([
      ['OutputReported', '16', false],
      ['OutputReported', '15', true],
    ]);
    expect(traced('output_completion:completed')).toMatchObject({
      value: '83.33',
      numerator: '15',
      denominator: '18',
      formulaVersion: 1,
    });
  });

  it('names no trace for a withdrawn indicator or a reversed receipt’s usage rate', () => {
    for (const key of ['output_completion:dropped', 'output_target:dropped', 'output_actual:dropped', 'receipt_usage_rate:r2']) {
      expect(traceFigure(key, corrected)).toBeUndefined();
    }
    expect(traceFigure('output_completion:dropped', corrected.slice(0, -1))?.value).toBeNull();
  });

  it('recomputes each figure to what the projection computes from the whole stream', () => {
    const whole = computeFigures(foldEvents(corrected), corrected[corrected.length - 1].globalPosition);
    for (const figure of whole) expect(traceFigure(figure.key, corrected, figure.value)).toMatchObject({ value: figure.value, matches: true });
  });
});

describe('traceFigure: corrections are terms with a negative signedAmount', () => {
  const c = projectEvents('corrected');
  const allocation = c.allocated('a1', '100.00');
  const receipt = c.received('r1', '300.00', 'other');
  const approval = c.approved('ap1', '40.00');
  const corrected = recordedStream(
    'project-corrected',
    [
      c.registered('1000.00'),
      allocation,
      c.received('r0', '500.00', 'district-budget'),
      receipt,
      approval,
      c.receiptReversed(receipt),
      c.allocationReversed(allocation),
      c.approvalReversed(approval),
      c.approved('ap2', '25.00'),
    ],
    1n,
  );
  const traced = (key: string, stored: string) => traceFigure(key, corrected, stored)!;

  it.each([
    [
      'received_total',
      [
        ['FundsReceived', '500.00'],
        ['FundsReceived', '300.00'],
        ['ReceiptReversed', '-300.00'],
      ],
      '500.00',
    ],
    [
      'allocated_total',
      [
        ['FundsAllocated', '100.00'],
        ['AllocationReversed', '-100.00'],
      ],
      '0.00',
    ],
    [
      'approved_total',
      [
        ['PaymentApproved', '40.00'],
        ['PaymentApprovalReversed', '-40.00'],
        ['PaymentApproved', '25.00'],
      ],
      '25.00',
    ],
  ])('%s', (key, terms, value) => {
    const t = traced(key, value);
    expect(t.terms.map((term) => [term.type, term.signedAmount])).toEqual(terms);
    expect(t.value).toBe(value);
    expect(sumOf(t.terms.map((term) => term.signedAmount))).toBe(value);
    expect(t.matches).toBe(true);
  });
});
