import fc from 'fast-check';
import type { FundingSource, ProjectEvent } from '@fundtrail/funding';
import { compareRatios, FEN_DECIMALS, formatYuan, printedHalfStepFen, ratio, type PrintedPrecision, type Ratio } from '@fundtrail/money';
import { projectEvents } from './figure-events.testing';
import {
  FIXED_FIGURE_KEYS,
  contributionsOf,
  definitionIn,
  figureDefinition,
  figureInterval,
  figureKeys,
  foldEvents,
  foldIntervalTerms,
  knownTerms,
  mergeIntervalTerms,
  mergeTerms,
  resolveTerm,
  SharedInputError,
  termSources,
  type EventLike,
  type FigureInterval,
  type FigureTerms,
  type IntervalTerms,
} from './index';

/*
 * The reference for every interval here is the chain at concrete amounts: each printed amount is set
 * to one end of its interval (a reversal repeating what it undoes, an amendment's previousAmount the
 * amount it replaces), the stream is folded by foldEvents, and the figure read off the terms. The
 * smallest and largest values over every corner are the true bounds (sums are linear and rates are
 * monotonic in each amount), and they must equal the interval exactly.
 */

const yi = (decimals: number): PrintedPrecision => ({ unit: 'yi', decimals });
const wan = (decimals: number): PrintedPrecision => ({ unit: 'wan', decimals });
const printedAs = <E extends ProjectEvent>(event: E, printed: PrintedPrecision): E => ({ ...event, data: { ...event.data, printed } });

function rangeOf(key: string, events: readonly EventLike[]): FigureInterval {
  const found = figureInterval(key, foldIntervalTerms(events));
  if (found === undefined) throw new Error(`no figure ${key}`);
  return found;
}

function expectRatio(actual: Ratio, numerator: bigint, denominator: bigint): void {
  expect(compareRatios(actual, ratio(numerator, denominator))).toBe(0);
}

describe('figureInterval, by hand', () => {
  const p = projectEvents('east-ring-road');

  it('a rate from amounts printed to 0.01亿: each amount ± 0.005亿, the rate at the corners', () => {
    // received 3.27亿 and disbursed 2.41亿, as a report printing 亿元 to two decimals would give them
    const events = [p.registered(), printedAs(p.received('bond-2024', '327000000.00'), yi(2)), printedAs(p.disbursed('works-1', '241000000.00'), yi(2))];
    const rate = rangeOf('execution_rate', events);
    if (rate.value === null || rate.range === 'unbounded') throw new Error('expected a bounded rate');
    expectRatio(rate.value, 241n * 100n, 327n); // 73.7003…%
    // lowest: the fewest disbursed over the most received; highest: the other way round
    expectRatio(rate.range.lower, 240_500_000n * 100n, 327_500_000n); // 73.4351…%
    expectRatio(rate.range.upper, 241_500_000n * 100n, 326_500_000n); // 73.9663…%
    expect(rate.numerator).toEqual({ value: 24_100_000_000n, lower: 24_050_000_000n, upper: 24_150_000_000n });
    expect(rate.denominator).toEqual({ value: 32_700_000_000n, lower: 32_650_000_000n, upper: 32_750_000_000n });
  });

  it('a sum adds the half-steps of its printed amounts; an amount typed in yuan is exact', () => {
    const events = [
      p.registered(),
      printedAs(p.received('r1', '750000000.00', 'special-bond'), wan(2)), // 75,000.00万元 ± 50元
      printedAs(p.received('r2', '25178000.00', 'central-subsidy'), wan(1)), // 2,517.8万元 ± 500元
      p.received('r3', '344520900.00', 'self-raised'), // typed in yuan: exact
    ];
    const total = rangeOf('received_total', events);
    if (total.value === null || total.range === 'unbounded') throw new Error('expected an amount');
    expectRatio(total.value, 1_119_698_900_00n, 1n);
    expectRatio(total.range.lower, 1_119_698_900_00n - 5_000n - 50_000n, 1n);
    expectRatio(total.range.upper, 1_119_698_900_00n + 5_000n + 50_000n, 1n);
  });

  it('available balance takes the lowest receipts with the highest disbursements', () => {
    const events = [
      p.registered(),
      printedAs(p.received('r1', '300000000.00'), yi(2)),
      printedAs(p.disbursed('d1', '100000000.00'), yi(1)), // 1.0亿 ± 0.05亿
    ];
    const balance = rangeOf('available_balance', events);
    if (balance.value === null || balance.range === 'unbounded') throw new Error('expected an amount');
    expectRatio(balance.range.lower, (300_000_000n - 500_000n - 100_000_000n - 5_000_000n) * 100n, 1n);
    expectRatio(balance.range.upper, (300_000_000n + 500_000n - 100_000_000n + 5_000_000n) * 100n, 1n);
  });

  it('a reversed amount cancels its original exactly: the interval collapses', () => {
    const receipt = printedAs(p.received('r1', '120000000.00'), yi(2));
    const disbursement = printedAs(p.disbursed('d1', '20000000.00', { receiptId: 'r1' }), wan(0));
    const events = [p.registered(), receipt, printedAs(p.received('r2', '50000000.00'), yi(2)), disbursement, p.reversed(disbursement)];
    const disbursed = rangeOf('disbursed_total', events);
    if (disbursed.value === null || disbursed.range === 'unbounded') throw new Error('expected an amount');
    expectRatio(disbursed.range.lower, 0n, 1n);
    expectRatio(disbursed.range.upper, 0n, 1n);
    const received = rangeOf('received_total', [...events, p.receiptReversed(receipt)]);
    if (received.value === null || received.range === 'unbounded') throw new Error('expected an amount');
    // only r2 is left: 0.50亿 ± 0.005亿
    expectRatio(received.range.lower, 49_500_000_00n, 1n);
    expectRatio(received.range.upper, 50_500_000_00n, 1n);
  });

  it("an amendment replaces the contract's amount and its precision; the earlier amount cancels", () => {
    const events = [
      p.registered(),
      p.received('r1', '500000000.00'),
      printedAs(p.signed('c1', '100000000.00'), yi(1)), // 1.0亿 ± 0.05亿, then replaced
      printedAs(p.amended('c1', '120000000.00', '100000000.00'), yi(2)), // 1.20亿 ± 0.005亿
      p.disbursed('d1', '60000000.00', { contractId: 'c1' }),
    ];
    const progress = rangeOf('contract_payment_progress', events);
    if (progress.value === null || progress.range === 'unbounded') throw new Error('expected a rate');
    expect(progress.denominator).toEqual({ value: 12_000_000_000n, lower: 11_950_000_000n, upper: 12_050_000_000n });
    expectRatio(progress.range.lower, 60_000_000n * 100n, 120_500_000n);
    expectRatio(progress.range.upper, 60_000_000n * 100n, 119_500_000n);
  });

  it('a planned total takes the interval of its latest statement; a derived rate reads the sources', () => {
    const events = [
      printedAs(p.registered('500000000.00'), yi(0)), // 5亿 ± 0.5亿, then revised
      printedAs(p.revised('480000000.00'), yi(2)), // 4.80亿 ± 0.005亿
      printedAs(p.investment('120000000.00'), wan(0)), // 12,000万元 ± 0.5万元
    ];
    const planned = rangeOf('planned_total', events);
    if (planned.value === null || planned.range === 'unbounded') throw new Error('expected an amount');
    expectRatio(planned.range.lower, 47_950_000_000n, 1n);
    expectRatio(planned.range.upper, 48_050_000_000n, 1n);
    const rate = rangeOf('investment_completion_rate', events);
    if (rate.value === null || rate.range === 'unbounded') throw new Error('expected a rate');
    expectRatio(rate.range.lower, 119_995_000n * 100n, 480_500_000n);
    expectRatio(rate.range.upper, 120_005_000n * 100n, 479_500_000n);
  });

  it('an amount printed to the fen, or with nothing printed, has zero width; quantities are exact', () => {
    const events = [
      p.registered('100000000.00'),
      printedAs(p.received('r1', '12345678.91'), { unit: 'wan', decimals: 6 }),
      p.disbursed('d1', '1000.00'),
      p.targetSet('km', '12.5'),
      p.reported('km', '10'),
    ];
    for (const key of figureKeys(foldEvents(events))) {
      const found = figureInterval(key, foldIntervalTerms(events));
      if (found === undefined || found.value === null) continue;
      if (found.range === 'unbounded') throw new Error(`${key} unbounded`);
      expect(compareRatios(found.range.lower, found.value)).toBe(0);
      expect(compareRatios(found.range.upper, found.value)).toBe(0);
    }
  });

  it('a figure without a value keeps its reason; a key that names no figure has no interval', () => {
    const events = [p.registered(), printedAs(p.disbursed('d1', '100000000.00'), yi(2))];
    const rate = rangeOf('execution_rate', events);
    expect(rate).toMatchObject({ value: null, reason: 'no funds received' });
    expect(rate.numerator).toEqual({ value: 10_000_000_000n, lower: 9_950_000_000n, upper: 10_050_000_000n });
    expect(figureInterval('receipt_usage_rate:nowhere', foldIntervalTerms(events))).toBeUndefined();
    expect(figureInterval('no_such_figure', foldIntervalTerms(events))).toBeUndefined();
  });

  it('a stored printed precision the amount does not fit is the log at fault', () => {
    const events = [p.registered(), printedAs(p.received('r1', '123456789.00'), yi(2))];
    expect(() => foldIntervalTerms(events)).toThrow(/FundsReceived\.printed/);
  });

  it('the district total sums project intervals over the same projects as the figure', () => {
    const east = projectEvents('east');
    const west = projectEvents('west');
    const terms = mergeIntervalTerms([
      foldIntervalTerms([printedAs(east.registered('200000000.00'), yi(2)), printedAs(east.received('r', '100000000.00'), yi(2))]),
      // no planned total: left out of arrival_rate's two terms, counted in received_total
      foldIntervalTerms([west.registered(), printedAs(west.received('r', '50000000.00'), yi(1))]),
    ]);
    const arrival = figureInterval('arrival_rate', terms);
    if (arrival === undefined || arrival.value === null || arrival.range === 'unbounded') throw new Error('rate');
    expectRatio(arrival.range.lower, 99_500_000n * 100n, 200_500_000n);
    expectRatio(arrival.range.upper, 100_500_000n * 100n, 199_500_000n);
    const received = figureInterval('received_total', terms);
    if (received === undefined || received.value === null || received.range === 'unbounded') throw new Error('sum');
    expectRatio(received.range.lower, (99_500_000n + 45_000_000n) * 100n, 1n);
    expectRatio(received.range.upper, (100_500_000n + 55_000_000n) * 100n, 1n);
  });
});

describe('no printed amount moves both terms of a rate', () => {
  // One event of every kind that states an amount, with every reference it can carry.
  const p = projectEvents('p');
  const stating: ProjectEvent[] = [
    p.registered('100.00'),
    p.revised('100.00'),
    p.allocated('a', '100.00'),
    p.received('r', '100.00', 'special-bond'),
    p.received('c', '100.00', 'carry-over'),
    p.signed('k', '100.00'),
    p.amended('k', '120.00', '100.00'),
    p.approved('ap', '100.00', { receiptId: 'r', contractId: 'k' }),
    p.disbursed('d', '100.00', { receiptId: 'r', contractId: 'k' }),
    p.investment('100.00'),
  ];
  const rates = [...FIXED_FIGURE_KEYS.filter((key) => figureDefinition(key)?.modes.denominator !== undefined), 'receipt_usage_rate:r'];

  it.each(stating.map((event) => [event.type, event]))('%s', (_type, event) => {
    const moved = new Set(contributionsOf(event).flatMap((c) => (c.mode === 'add' || c.mode === 'set' ? [`${c.key}.${c.term}`] : [])));
    expect(moved.size).toBeGreaterThan(0);
    for (const key of rates) {
      // A district total reads the same project-level sources (see assertIndependentTerms).
      const sources = figureDefinition(key)?.derivedFrom ?? termSources(key, { scope: 'project', figures: new Map() });
      expect(sources?.denominator).toBeDefined();
      const both = moved.has(`${sources!.numerator.key}.${sources!.numerator.term}`) && moved.has(`${sources!.denominator!.key}.${sources!.denominator!.term}`);
      expect({ key, both }).toEqual({ key, both: false });
    }
  });

  it('a rate whose terms one printed amount moved is refused, not bounded wrongly', () => {
    const terms = foldIntervalTerms([p.registered(), printedAs(p.received('r', '100000000.00'), yi(2)), printedAs(p.disbursed('d', '50000000.00'), yi(2))]);
    const forged: IntervalTerms = {
      ...terms,
      moveTogether: new Set([...terms.moveTogether, 'execution_rate.denominator|execution_rate.numerator']),
    };
    expect(() => figureInterval('execution_rate', forged)).toThrow(SharedInputError);
    expect(() => figureInterval('received_total', forged)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------
// Brute force: random streams with a few printed amounts, every corner folded.
// ---------------------------------------------------------------------------

/** A recorded amount: its fen and how it was printed (none: typed in yuan, exact). */
type Amount = { fen: bigint; printed?: PrintedPrecision };
/** An event whose amount fields read slots; `printedSlot` is the amount the event states itself. */
type Template = { type: string; data: Record<string, unknown>; fields: Record<string, number>; printedSlot?: number };

const SOURCES: FundingSource[] = ['special-bond', 'carry-over', 'central-subsidy'];

const amount: fc.Arbitrary<Amount> = fc.oneof(
  fc
    .record({
      unit: fc.constantFrom('wan' as const, 'yi' as const),
      decimals: fc.integer({ min: 0, max: 3 }),
      digits: fc.bigInt({ min: 1n, max: 9_999n }),
    })
    .map(({ unit, decimals, digits }) => ({
      fen: digits * 10n ** BigInt(FEN_DECIMALS[unit] - decimals),
      printed: { unit, decimals },
    })),
  fc.bigInt({ min: 1n, max: 10n ** 12n }).map((fen) => ({ fen })),
);

type Step =
  | { kind: 'plan' | 'revise' | 'allocate' | 'sign' | 'approve' | 'invest'; amount: Amount }
  | { kind: 'receive'; amount: Amount; source: FundingSource }
  | { kind: 'disburse'; amount: Amount; receipt: number | null; contract: number | null }
  | { kind: 'amend'; amount: Amount; pick: number }
  | { kind: 'reverse-allocation' | 'reverse-receipt' | 'reverse-approval' | 'reverse'; pick: number };

const pick = fc.nat({ max: 100 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('plan' as const, 'revise' as const, 'invest' as const), amount }),
  fc.record({ kind: fc.constantFrom('allocate' as const, 'sign' as const, 'approve' as const), amount }),
  {
    arbitrary: fc.record({ kind: fc.constant('receive' as const), amount, source: fc.constantFrom(...SOURCES) }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('disburse' as const),
      amount,
      receipt: fc.option(pick),
      contract: fc.option(pick),
    }),
    weight: 3,
  },
  fc.record({ kind: fc.constant('amend' as const), amount, pick }),
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('reverse-allocation' as const, 'reverse-receipt' as const, 'reverse-approval' as const, 'reverse' as const),
      pick,
    }),
    weight: 2,
  },
);

/** A stream as templates over amount slots: a correction reads the slot of what it undoes. */
function templateOf(projectId: string, steps: Step[]): { templates: Template[]; amounts: Amount[] } {
  const amounts: Amount[] = [];
  const templates: Template[] = [];
  const slot = (a: Amount) => amounts.push(a) - 1;
  const base = { projectId };
  const live = {
    allocation: [] as Template[],
    receipt: [] as Template[],
    approval: [] as Template[],
    disbursement: [] as Template[],
  };
  const contracts = new Map<string, number>(); // contractId -> slot of its standing amount
  const nth = <T>(list: T[], n: number | null): T | undefined => (n === null || list.length === 0 ? undefined : list[n % list.length]);
  const take = (list: Template[], n: number) => (list.length === 0 ? undefined : list.splice(n % list.length, 1)[0]);
  const stating = (type: string, data: Record<string, unknown>, field: string, a: Amount): Template => {
    const s = slot(a);
    const template = { type, data: { ...base, ...data }, fields: { [field]: s }, printedSlot: s };
    templates.push(template);
    return template;
  };
  const undo = (type: string, of: Template | undefined, id: string) => {
    if (of === undefined) return;
    const { printedSlot, fields, data } = of;
    const copied = Object.fromEntries(['source', 'category', 'receiptId', 'contractId'].filter((f) => data[f] !== undefined).map((f) => [f, data[f]]));
    templates.push({
      type,
      data: { ...base, [id]: data[id], reason: 'undone', ...copied },
      fields: { amount: fields.amount ?? printedSlot! },
    });
  };
  templates.push({ type: 'ProjectRegistered', data: { ...base, name: projectId, category: 'roads' }, fields: {} });
  steps.forEach((s, index) => {
    switch (s.kind) {
      case 'plan': {
        const s2 = slot(s.amount);
        templates[0] = { ...templates[0], fields: { plannedTotal: s2 }, printedSlot: s2 };
        return;
      }
      case 'revise':
        return void stating('PlannedTotalRevised', { reason: 'revised' }, 'amount', s.amount);
      case 'invest':
        return void stating('InvestmentCompletedReported', {}, 'amount', s.amount);
      case 'allocate':
        return void live.allocation.push(
          stating('FundsAllocated', { allocationId: `a${index}`, source: 'district-budget', fiscalYear: 2024 }, 'amount', s.amount),
        );
      case 'receive':
        return void live.receipt.push(stating('FundsReceived', { receiptId: `r${index}`, source: s.source }, 'amount', s.amount));
      case 'sign': {
        const t = stating('ContractSigned', { contractId: `c${index}`, counterparty: 'builder' }, 'amount', s.amount);
        contracts.set(`c${index}`, t.printedSlot!);
        return;
      }
      case 'amend': {
        const contractId = nth([...contracts.keys()], s.pick);
        if (contractId === undefined) return;
        const previous = contracts.get(contractId)!;
        const t = stating('ContractAmended', { contractId, reason: 'supplement' }, 'amount', s.amount);
        t.fields.previousAmount = previous;
        contracts.set(contractId, t.printedSlot!);
        return;
      }
      case 'approve':
        return void live.approval.push(stating('PaymentApproved', { approvalId: `ap${index}` }, 'amount', s.amount));
      case 'disburse': {
        const receiptId = nth(live.receipt, s.receipt)?.data.receiptId;
        const contractId = nth([...contracts.keys()], s.contract);
        return void live.disbursement.push(
          stating(
            'DisbursementRecorded',
            {
              disbursementId: `d${index}`,
              category: 'construction',
              ...(receiptId !== undefined && { receiptId }),
              ...(contractId !== undefined && { contractId }),
            },
            'amount',
            s.amount,
          ),
        );
      }
      case 'reverse-allocation':
        return undo('AllocationReversed', take(live.allocation, s.pick), 'allocationId');
      case 'reverse-receipt':
        return undo('ReceiptReversed', take(live.receipt, s.pick), 'receiptId');
      case 'reverse-approval':
        return undo('PaymentApprovalReversed', take(live.approval, s.pick), 'approvalId');
      case 'reverse':
        return undo('DisbursementReversed', take(live.disbursement, s.pick), 'disbursementId');
    }
  });
  return { templates, amounts };
}

/** The stream with every slot at `values`; with `printed`, each event also keeps its own amount's precision. */
function instantiate(templates: Template[], values: bigint[], amounts?: Amount[]): EventLike[] {
  return templates.map(({ type, data, fields, printedSlot }) => {
    const printed = amounts !== undefined && printedSlot !== undefined ? amounts[printedSlot].printed : undefined;
    const out: Record<string, unknown> = { ...data };
    for (const [field, s] of Object.entries(fields)) out[field] = formatYuan(values[s]);
    if (printed !== undefined) out.printed = printed;
    return { type, data: out };
  });
}

/** Every assignment of the varying slots to one end of their interval. */
function* corners(amounts: Amount[]): Generator<bigint[]> {
  const varying = amounts.flatMap((a, i) => {
    const half = a.printed === undefined ? 0n : printedHalfStepFen(a.printed);
    return half === 0n ? [] : [{ i, lower: a.fen - half, upper: a.fen + half }];
  });
  for (let mask = 0; mask < 2 ** varying.length; mask += 1) {
    const values = amounts.map((a) => a.fen);
    varying.forEach((v, bit) => {
      values[v.i] = (mask >> bit) & 1 ? v.upper : v.lower;
    });
    yield values;
  }
}

/** The figure's exact value from the chain's terms: fen, percentage points. */
function exactValue(key: string, terms: FigureTerms): Ratio | null | undefined {
  const definition = definitionIn(key, terms);
  if (definition === undefined) return undefined;
  const { numerator, denominator } = knownTerms(definition, resolveTerm(key, terms));
  if (numerator === undefined) return null;
  if (definition.modes.denominator === undefined) return ratio(numerator, 1n);
  if (denominator === undefined || denominator === 0n) return null;
  return ratio(numerator * 100n, denominator);
}

function checkAgainstCorners(keys: string[], intervalTerms: IntervalTerms, termsAt: (values: bigint[]) => FigureTerms, amounts: Amount[]): void {
  const folded = [...corners(amounts)].map(termsAt);
  const recorded = termsAt(amounts.map((a) => a.fen));
  for (const key of keys) {
    const found = figureInterval(key, intervalTerms);
    const exact = exactValue(key, recorded);
    if (found === undefined) {
      expect({ key, exact }).toEqual({ key, exact: undefined });
      continue;
    }
    const values = folded.map((terms) => exactValue(key, terms));
    if (found.value === null) {
      expect({ key, values: values.filter((v) => v !== null) }).toEqual({ key, values: [] });
      continue;
    }
    expect(exact).not.toBeNull();
    expect({ key, same: compareRatios(found.value, exact!) }).toEqual({ key, same: 0 });
    if (found.range === 'unbounded') throw new Error(`${key}: positive amounts give a bounded rate`);
    const known = values as Ratio[];
    const lowest = known.reduce((a, b) => (compareRatios(a, b) <= 0 ? a : b));
    const highest = known.reduce((a, b) => (compareRatios(a, b) >= 0 ? a : b));
    expect({ key, lower: compareRatios(found.range.lower, lowest) }).toEqual({ key, lower: 0 });
    expect({ key, upper: compareRatios(found.range.upper, highest) }).toEqual({ key, upper: 0 });
    expect(compareRatios(found.range.lower, found.value)).toBeLessThanOrEqual(0);
    expect(compareRatios(found.value, found.range.upper)).toBeLessThanOrEqual(0);
  }
}

const varyingCount = (amounts: Amount[]) => amounts.filter((a) => a.printed !== undefined && printedHalfStepFen(a.printed) > 0n).length;

describe('figureInterval, against every corner of the printed amounts', () => {
  it('one project: every figure', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 9 }), (steps) => {
        const { templates, amounts } = templateOf('p', steps);
        fc.pre(varyingCount(amounts) <= 7);
        const recorded = instantiate(
          templates,
          amounts.map((a) => a.fen),
          amounts,
        );
        const keys = figureKeys(foldEvents(recorded));
        checkAgainstCorners(keys, foldIntervalTerms(recorded), (values) => foldEvents(instantiate(templates, values)), amounts);
      }),
      { numRuns: 300 },
    );
  });

  it('the district total over two projects', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), fc.array(step, { minLength: 1, maxLength: 6 }), (east, west) => {
        const a = templateOf('east', east);
        const b = templateOf('west', west);
        const amounts = [...a.amounts, ...b.amounts];
        fc.pre(varyingCount(amounts) <= 7);
        const split = (values: bigint[]) => [values.slice(0, a.amounts.length), values.slice(a.amounts.length)];
        const termsAt = (values: bigint[]) => {
          const [ea, wb] = split(values);
          return mergeTerms([foldEvents(instantiate(a.templates, ea)), foldEvents(instantiate(b.templates, wb))]);
        };
        const recorded = [
          instantiate(
            a.templates,
            a.amounts.map((x) => x.fen),
            a.amounts,
          ),
          instantiate(
            b.templates,
            b.amounts.map((x) => x.fen),
            b.amounts,
          ),
        ];
        const intervalTerms = mergeIntervalTerms(recorded.map((events) => foldIntervalTerms(events)));
        const keys = figureKeys(termsAt(amounts.map((x) => x.fen)));
        checkAgainstCorners(keys, intervalTerms, termsAt, amounts);
      }),
      { numRuns: 200 },
    );
  });

  it('any point inside the printed intervals gives a figure inside its interval; nothing printed, zero width', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.array(fc.bigInt({ min: 0n, max: 1000n }), { minLength: 40, maxLength: 40 }),
        (steps, shares) => {
          const { templates, amounts } = templateOf('p', steps);
          const recorded = instantiate(
            templates,
            amounts.map((a) => a.fen),
            amounts,
          );
          const intervalTerms = foldIntervalTerms(recorded);
          const point = amounts.map((a, i) => {
            const half = a.printed === undefined ? 0n : printedHalfStepFen(a.printed);
            return a.fen - half + (2n * half * shares[i % shares.length]) / 1000n;
          });
          const atPoint = foldEvents(instantiate(templates, point));
          const unprinted = foldIntervalTerms(
            instantiate(
              templates,
              amounts.map((a) => a.fen),
            ),
          );
          for (const key of figureKeys(foldEvents(recorded))) {
            const found = figureInterval(key, intervalTerms);
            const value = exactValue(key, atPoint);
            if (found === undefined || found.value === null || value === null || value === undefined) continue;
            if (found.range === 'unbounded') throw new Error(`${key} unbounded`);
            expect(compareRatios(found.range.lower, value)).toBeLessThanOrEqual(0);
            expect(compareRatios(value, found.range.upper)).toBeLessThanOrEqual(0);
            const exact = figureInterval(key, unprinted);
            if (exact === undefined || exact.value === null || exact.range === 'unbounded') throw new Error(key);
            expect(compareRatios(exact.range.lower, exact.value)).toBe(0);
            expect(compareRatios(exact.range.upper, exact.value)).toBe(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
