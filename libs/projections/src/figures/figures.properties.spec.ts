import fc from 'fast-check';
import { formatQuantity, formatYuan, parseQuantity, parseYuan, ratePercent } from '@fundtrail/money';
import type { DisbursementCategory, DisbursementRecorded, FundingSource, ProjectEvent } from '@fundtrail/funding';
import { projectEvents, recordedStream } from './figure-events.testing';
import {
  computeFigures,
  emptyTerms,
  FIXED_FIGURE_KEYS,
  foldEvents,
  foldTerms,
  mergeTerms,
  termsFromJson,
  termsToJson,
  traceFigure,
  type FigureTerms,
  type ProjectTerms,
} from './index';

// ---------------------------------------------------------------------------
// Random project streams, built from steps so references point at what exists.
// ---------------------------------------------------------------------------

const SOURCES: FundingSource[] = ['special-bond', 'carry-over', 'district-budget', 'central-subsidy', 'other'];
const CATEGORIES: DisbursementCategory[] = ['construction', 'engineering-services', 'land-and-taxes'];
const INDICATORS = ['km', 'households', 'tonnes'];

const fen = fc.oneof(
  { arbitrary: fc.bigInt({ min: 1n, max: 10_000_000n }), weight: 5 },
  { arbitrary: fc.bigInt({ min: 1n, max: 10n ** 15n }), weight: 1 },
);
const yuan = fen.map(formatYuan);
const quantity = fc.bigInt({ min: 0n, max: 10n ** 12n }).map(formatQuantity);
const pick = fc.nat({ max: 1000 });

type Step =
  | { kind: 'revise'; amount: string }
  | { kind: 'allocate'; amount: string }
  | { kind: 'receive'; amount: string; source: FundingSource }
  | { kind: 'sign'; amount: string }
  | {
      kind: 'disburse';
      amount: string;
      category: DisbursementCategory;
      receipt: number | null;
      contract: number | null;
    }
  | { kind: 'reverse'; pick: number }
  | { kind: 'target'; indicator: string; quantity: string }
  | { kind: 'report'; indicator: string; quantity: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('revise' as const), amount: yuan }),
  fc.record({ kind: fc.constant('allocate' as const), amount: yuan }),
  {
    arbitrary: fc.record({ kind: fc.constant('receive' as const), amount: yuan, source: fc.constantFrom(...SOURCES) }),
    weight: 3,
  },
  fc.record({ kind: fc.constant('sign' as const), amount: yuan }),
  {
    arbitrary: fc.record({
      kind: fc.constant('disburse' as const),
      amount: yuan,
      category: fc.constantFrom(...CATEGORIES),
      receipt: fc.option(pick),
      contract: fc.option(pick),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick }), weight: 2 },
  fc.record({ kind: fc.constant('target' as const), indicator: fc.constantFrom(...INDICATORS), quantity }),
  fc.record({ kind: fc.constant('report' as const), indicator: fc.constantFrom(...INDICATORS), quantity }),
);

function streamOf(projectId: string, plannedTotal: string | null, steps: Step[]): ProjectEvent[] {
  const p = projectEvents(projectId);
  const events: ProjectEvent[] = [p.registered(plannedTotal ?? undefined)];
  const receipts: string[] = [];
  const contracts: string[] = [];
  const open: DisbursementRecorded[] = [];
  steps.forEach((s, index) => {
    switch (s.kind) {
      case 'revise':
        return events.push(p.revised(s.amount));
      case 'allocate':
        return events.push(p.allocated(`a${index}`, s.amount));
      case 'receive':
        receipts.push(`r${index}`);
        return events.push(p.received(`r${index}`, s.amount, s.source));
      case 'sign':
        contracts.push(`c${index}`);
        return events.push(p.signed(`c${index}`, s.amount));
      case 'disburse': {
        const receiptId =
          s.receipt === null || receipts.length === 0 ? undefined : receipts[s.receipt % receipts.length];
        const contractId =
          s.contract === null || contracts.length === 0 ? undefined : contracts[s.contract % contracts.length];
        const d = p.disbursed(`d${index}`, s.amount, { category: s.category, receiptId, contractId });
        open.push(d);
        return events.push(d);
      }
      case 'reverse':
        if (open.length === 0) return;
        return events.push(p.reversed(open.splice(s.pick % open.length, 1)[0]));
      case 'target':
        return events.push(p.targetSet(s.indicator, s.quantity));
      case 'report':
        return events.push(p.reported(s.indicator, s.quantity));
    }
  });
  return events;
}

const project = fc
  .record({ plannedTotal: fc.option(yuan, { freq: 3 }), steps: fc.array(step, { maxLength: 40 }) })
  .map(({ plannedTotal, steps }) => streamOf('prop-project', plannedTotal, steps));

// ---------------------------------------------------------------------------
// The oracle: DESIGN §4 read literally, with plain filters and sums. Shares no code with the
// fold; only the money library's parsing and ratePercent, which define the published rounding.
// ---------------------------------------------------------------------------

type Raw = { rate: boolean; quantity?: true; n: bigint | undefined; d?: bigint | undefined };

function oracle(events: ProjectEvent[]): Map<string, Raw> {
  const of = <T extends ProjectEvent['type']>(type: T) =>
    events.filter((e): e is Extract<ProjectEvent, { type: T }> => e.type === type);
  const total = (amounts: string[]) => amounts.reduce((sum, amount) => sum + parseYuan(amount), 0n);
  const last = <T>(list: T[]): T | undefined => list[list.length - 1];

  const received = of('FundsReceived').map((e) => e.data);
  const recorded = of('DisbursementRecorded').map((e) => e.data);
  const reversed = of('DisbursementReversed').map((e) => e.data);
  const netDisbursed = (keep: (d: { receiptId?: string; contractId?: string; category: string }) => boolean) =>
    total(recorded.filter(keep).map((d) => d.amount)) - total(reversed.filter(keep).map((d) => d.amount));

  const registeredTotal = of('ProjectRegistered')[0].data.plannedTotal;
  const plannedStatements = [
    ...(registeredTotal === undefined ? [] : [registeredTotal]),
    ...of('PlannedTotalRevised').map((e) => e.data.amount),
  ];
  const planned = plannedStatements.length === 0 ? undefined : parseYuan(last(plannedStatements));
  const allocated = total(of('FundsAllocated').map((e) => e.data.amount));
  const receivedTotal = total(received.map((r) => r.amount));
  const disbursed = netDisbursed(() => true);

  const figures = new Map<string, Raw>([
    ['planned_total', { rate: false, n: planned }],
    ['allocated_total', { rate: false, n: allocated }],
    ['received_total', { rate: false, n: receivedTotal }],
    ['disbursed_total', { rate: false, n: disbursed }],
    ['available_balance', { rate: false, n: receivedTotal - disbursed }],
    [
      'arrival_rate',
      { rate: true, n: total(received.filter((r) => r.source !== 'carry-over').map((r) => r.amount)), d: planned },
    ],
    ['execution_rate', { rate: true, n: disbursed, d: receivedTotal }],
    ['allocation_execution_rate', { rate: true, n: disbursed, d: allocated }],
    [
      'contract_payment_progress',
      {
        rate: true,
        n: netDisbursed((d) => d.contractId !== undefined),
        d: total(of('ContractSigned').map((e) => e.data.amount)),
      },
    ],
  ]);
  for (const receipt of received) {
    figures.set(`receipt_usage_rate:${receipt.receiptId}`, {
      rate: true,
      n: netDisbursed((d) => d.receiptId === receipt.receiptId),
      d: parseYuan(receipt.amount),
    });
  }
  for (const indicator of new Set([...of('OutputTargetSet'), ...of('OutputReported')].map((e) => e.data.indicatorId))) {
    const target = last(of('OutputTargetSet').filter((e) => e.data.indicatorId === indicator));
    const actual = last(of('OutputReported').filter((e) => e.data.indicatorId === indicator));
    figures.set(`output_completion:${indicator}`, {
      rate: true,
      quantity: true,
      n: actual && parseQuantity(actual.data.actual),
      d: target && parseQuantity(target.data.target),
    });
  }
  for (const source of new Set(received.map((r) => r.source))) {
    figures.set(`received_by_source:${source}`, {
      rate: false,
      n: total(received.filter((r) => r.source === source).map((r) => r.amount)),
    });
  }
  for (const category of new Set(recorded.map((d) => d.category))) {
    figures.set(`disbursed_by_category:${category}`, { rate: false, n: netDisbursed((d) => d.category === category) });
  }
  return figures;
}

type Expected = { value: string | null; numerator?: string; denominator?: string };

function expectedFigure(raw: Raw): Expected {
  if (!raw.rate) return { value: raw.n === undefined ? null : formatYuan(raw.n) };
  const text = (units: bigint) => (raw.quantity ? formatQuantity(units) : formatYuan(units));
  const value = raw.n === undefined || raw.d === undefined || raw.d === 0n ? null : ratePercent(raw.n, raw.d);
  return {
    value,
    ...(raw.n !== undefined && { numerator: text(raw.n) }),
    ...(raw.d !== undefined && { denominator: text(raw.d) }),
  };
}

function computed(terms: FigureTerms): Record<string, Expected> {
  return Object.fromEntries(
    computeFigures(terms, 1n).map((f) => {
      expect(f.value === null).toBe(f.reason !== undefined);
      return [
        f.key,
        {
          value: f.value,
          ...(f.numerator !== undefined && { numerator: f.numerator }),
          ...(f.denominator !== undefined && { denominator: f.denominator }),
        },
      ];
    }),
  );
}

const expected = (figures: Map<string, Raw>) =>
  Object.fromEntries([...figures].map(([key, raw]) => [key, expectedFigure(raw)]));

const RATES: string[] = ['arrival_rate', 'execution_rate', 'allocation_execution_rate', 'contract_payment_progress'];

// ---------------------------------------------------------------------------

describe('figure properties', () => {
  it('every figure equals the one a plain reading of DESIGN §4 gives', () => {
    fc.assert(
      fc.property(project, (events) => {
        expect(computed(foldEvents(events))).toEqual(expected(oracle(events)));
      }),
      { numRuns: 300 },
    );
  });

  it('folding event by event, through storage after each one, gives the same terms as one fold', () => {
    fc.assert(
      fc.property(project, (events) => {
        const stepwise = events.reduce<ProjectTerms>((terms, event) => {
          const stored = JSON.parse(JSON.stringify(termsToJson(foldTerms(terms, event))));
          return termsFromJson(stored) as ProjectTerms;
        }, emptyTerms());
        expect(stepwise).toEqual(foldEvents(events));
      }),
      { numRuns: 100 },
    );
  });

  it('stored terms round-trip exactly', () => {
    fc.assert(
      fc.property(fc.array(project, { minLength: 1, maxLength: 3 }), (projects) => {
        const terms = projects.map((events) => foldEvents(events));
        for (const t of [...terms, mergeTerms(terms)]) {
          const json = JSON.stringify(termsToJson(t));
          expect(termsFromJson(JSON.parse(json))).toEqual(t);
          expect(JSON.stringify(termsToJson(termsFromJson(JSON.parse(json))))).toBe(json);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the trace recomputes every figure to the value the projection publishes', () => {
    fc.assert(
      fc.property(project, (events) => {
        const stream = recordedStream('project-prop-project', events);
        for (const figure of computeFigures(foldEvents(stream), stream[stream.length - 1].globalPosition)) {
          const trace = traceFigure(figure.key, stream, figure.value);
          expect(trace).toMatchObject({ key: figure.key, value: figure.value, matches: true });
          expect(trace?.asOfPosition).toBe(figure.asOfPosition);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('district totals sum the projects, planned totals and arrivals only where a plan is stated', () => {
    fc.assert(
      fc.property(fc.array(project, { maxLength: 4 }), (projects) => {
        const perProject = projects.map(oracle);
        const sum = (values: Array<bigint | undefined>) =>
          values.some((v) => v !== undefined) ? values.reduce<bigint>((a, b) => a + (b ?? 0n), 0n) : undefined;
        const planned = perProject.filter((p) => p.get('planned_total')!.n !== undefined);
        const raw = new Map<string, Raw>();
        for (const key of FIXED_FIGURE_KEYS) {
          const over = key === 'arrival_rate' || key === 'planned_total' ? planned : perProject;
          const n = sum(over.map((p) => p.get(key)!.n));
          const d = sum(over.map((p) => p.get(key)!.d));
          if (key === 'planned_total') raw.set(key, { rate: false, n });
          else if (RATES.includes(key))
            raw.set(key, { rate: true, n: n ?? 0n, d: key === 'arrival_rate' ? d : (d ?? 0n) });
          else raw.set(key, { rate: false, n: n ?? 0n });
        }
        for (const p of perProject) {
          for (const [key, figure] of p) {
            if (!key.startsWith('received_by_source:') && !key.startsWith('disbursed_by_category:')) continue;
            raw.set(key, { rate: false, n: (raw.get(key)?.n ?? 0n) + figure.n! });
          }
        }
        const portfolio = mergeTerms(projects.map((events) => foldEvents(events)));
        expect(computed(portfolio)).toEqual(expected(raw));
        expect(portfolio.projects).toEqual({
          merged: projects.length,
          withoutPlannedTotal: projects.length - planned.length,
        });
      }),
      { numRuns: 100 },
    );
  });
});
