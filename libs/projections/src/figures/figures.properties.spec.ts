import fc from 'fast-check';
import { formatQuantity, formatYuan, parseQuantity, parseYuan, ratePercent } from '@fundtrail/money';
import type {
  DisbursementCategory,
  DisbursementRecorded,
  FundingSource,
  FundsAllocated,
  FundsReceived,
  PaymentApproved,
  ProjectEvent,
} from '@fundtrail/funding';
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
/** Indicators measured against another one's actual (验收率 = accepted / completed). */
const RATIOS = ['km-accepted', 'households-moved-in'];

const fen = fc.oneof({ arbitrary: fc.bigInt({ min: 1n, max: 10_000_000n }), weight: 5 }, { arbitrary: fc.bigInt({ min: 1n, max: 10n ** 15n }), weight: 1 });
const yuan = fen.map(formatYuan);
const quantity = fc.bigInt({ min: 0n, max: 10n ** 12n }).map(formatQuantity);
const pick = fc.nat({ max: 1000 });

type Step =
  | { kind: 'revise'; amount: string }
  | { kind: 'allocate'; amount: string }
  | { kind: 'reverse-allocation'; pick: number }
  | { kind: 'receive'; amount: string; source: FundingSource }
  | { kind: 'reverse-receipt'; pick: number }
  | { kind: 'sign'; amount: string }
  | { kind: 'amend'; pick: number; amount: string }
  | { kind: 'approve'; amount: string; receipt: number | null }
  | { kind: 'reverse-approval'; pick: number }
  | {
      kind: 'disburse';
      amount: string;
      category: DisbursementCategory;
      receipt: number | null;
      contract: number | null;
    }
  | { kind: 'reverse'; pick: number }
  | { kind: 'investment'; amount: string }
  | { kind: 'target'; indicator: string; quantity: string }
  | { kind: 'ratio'; indicator: string; denominator: number; target: string | null }
  | { kind: 'report'; indicator: string; quantity: string }
  | { kind: 'withdraw'; indicator: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('revise' as const), amount: yuan }),
  fc.record({ kind: fc.constant('allocate' as const), amount: yuan }),
  fc.record({ kind: fc.constant('reverse-allocation' as const), pick }),
  {
    arbitrary: fc.record({ kind: fc.constant('receive' as const), amount: yuan, source: fc.constantFrom(...SOURCES) }),
    weight: 3,
  },
  fc.record({ kind: fc.constant('reverse-receipt' as const), pick }),
  fc.record({ kind: fc.constant('sign' as const), amount: yuan }),
  fc.record({ kind: fc.constant('amend' as const), pick, amount: yuan }),
  fc.record({ kind: fc.constant('approve' as const), amount: yuan, receipt: fc.option(pick) }),
  fc.record({ kind: fc.constant('reverse-approval' as const), pick }),
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
  fc.record({ kind: fc.constant('investment' as const), amount: yuan }),
  fc.record({ kind: fc.constant('target' as const), indicator: fc.constantFrom(...INDICATORS), quantity }),
  fc.record({
    kind: fc.constant('ratio' as const),
    indicator: fc.constantFrom(...RATIOS),
    denominator: pick,
    target: fc.option(quantity),
  }),
  {
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      indicator: fc.constantFrom(...INDICATORS, ...RATIOS),
      quantity,
    }),
    weight: 2,
  },
  fc.record({ kind: fc.constant('withdraw' as const), indicator: fc.constantFrom(...INDICATORS, ...RATIOS) }),
);

/**
 * A stream the deciders could have written: references point at what exists, a reversal undoes
 * something in force, a receipt is reversed only with nothing drawn from it, an indicator is
 * declared once (a later target is a revision), reported and revised only while in force, and
 * withdrawn only when no indicator in force is measured against it.
 */
function streamOf(projectId: string, plannedTotal: string | null, steps: Step[]): ProjectEvent[] {
  const p = projectEvents(projectId);
  const events: ProjectEvent[] = [p.registered(plannedTotal ?? undefined)];
  const allocations: FundsAllocated[] = [];
  const receipts: FundsReceived[] = [];
  const contracts = new Map<string, string>(); // contractId -> current amount
  const approvals: PaymentApproved[] = [];
  const open: DisbursementRecorded[] = [];
  const indicators = new Map<string, { denominator?: string; withdrawn: boolean }>();
  const live = (id: string) => indicators.has(id) && !indicators.get(id)!.withdrawn;
  const nth = <T>(list: T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
  steps.forEach((s, index) => {
    switch (s.kind) {
      case 'revise':
        return events.push(p.revised(s.amount));
      case 'allocate': {
        const a = p.allocated(`a${index}`, s.amount);
        allocations.push(a);
        return events.push(a);
      }
      case 'reverse-allocation': {
        if (allocations.length === 0) return;
        return events.push(p.allocationReversed(allocations.splice(s.pick % allocations.length, 1)[0]));
      }
      case 'receive': {
        const r = p.received(`r${index}`, s.amount, s.source);
        receipts.push(r);
        return events.push(r);
      }
      case 'reverse-receipt': {
        const undrawn = receipts.filter((r) => !open.some((d) => d.data.receiptId === r.data.receiptId));
        const r = nth(undrawn, s.pick);
        if (r === undefined) return;
        receipts.splice(receipts.indexOf(r), 1);
        return events.push(p.receiptReversed(r));
      }
      case 'sign':
        contracts.set(`c${index}`, s.amount);
        return events.push(p.signed(`c${index}`, s.amount));
      case 'amend': {
        const contractId = nth([...contracts.keys()], s.pick);
        if (contractId === undefined) return;
        events.push(p.amended(contractId, s.amount, contracts.get(contractId)!));
        return contracts.set(contractId, s.amount);
      }
      case 'approve': {
        const receipt = s.receipt === null ? undefined : nth(receipts, s.receipt);
        const a = p.approved(`ap${index}`, s.amount, receipt === undefined ? {} : { receiptId: receipt.data.receiptId });
        approvals.push(a);
        return events.push(a);
      }
      case 'reverse-approval': {
        if (approvals.length === 0) return;
        return events.push(p.approvalReversed(approvals.splice(s.pick % approvals.length, 1)[0]));
      }
      case 'disburse': {
        const receiptId = s.receipt === null ? undefined : nth(receipts, s.receipt)?.data.receiptId;
        const contractId = s.contract === null ? undefined : nth([...contracts.keys()], s.contract);
        const d = p.disbursed(`d${index}`, s.amount, { category: s.category, receiptId, contractId });
        open.push(d);
        return events.push(d);
      }
      case 'reverse':
        if (open.length === 0) return;
        return events.push(p.reversed(open.splice(s.pick % open.length, 1)[0]));
      case 'investment':
        return events.push(p.investment(s.amount));
      case 'target':
        if (!indicators.has(s.indicator)) {
          indicators.set(s.indicator, { withdrawn: false });
          return events.push(p.targetSet(s.indicator, s.quantity));
        }
        return live(s.indicator) ? events.push(p.targetRevised(s.indicator, s.quantity)) : undefined;
      case 'ratio': {
        const denominator = nth(INDICATORS.filter(live), s.denominator);
        if (indicators.has(s.indicator) || denominator === undefined) return;
        indicators.set(s.indicator, { denominator, withdrawn: false });
        return events.push(p.ratioSet(s.indicator, denominator, s.target ?? undefined));
      }
      case 'report':
        return live(s.indicator) ? events.push(p.reported(s.indicator, s.quantity)) : undefined;
      case 'withdraw': {
        const inUse = [...indicators.values()].some((i) => !i.withdrawn && i.denominator === s.indicator);
        if (!live(s.indicator) || inUse) return;
        indicators.get(s.indicator)!.withdrawn = true;
        return events.push(p.withdrawn(s.indicator));
      }
    }
  });
  return events;
}

const project = fc
  .record({ plannedTotal: fc.option(yuan, { freq: 3 }), steps: fc.array(step, { maxLength: 50 }) })
  .map(({ plannedTotal, steps }) => streamOf('prop-project', plannedTotal, steps));

// ---------------------------------------------------------------------------
// The oracle: the figure definitions read literally, with plain filters and sums over what is in
// force (a reversed receipt, allocation or approval is left out, not subtracted). Shares no code
// with the fold; only the money library's parsing and ratePercent, which define the rounding.
// ---------------------------------------------------------------------------

type Raw = { rate: boolean; quantity?: true; n: bigint | undefined; d?: bigint | undefined };

function oracle(events: ProjectEvent[]): Map<string, Raw> {
  const of = <T extends ProjectEvent['type']>(type: T) => events.filter((e): e is Extract<ProjectEvent, { type: T }> => e.type === type);
  const total = (amounts: string[]) => amounts.reduce((sum, amount) => sum + parseYuan(amount), 0n);
  const last = <T>(list: T[]): T | undefined => list[list.length - 1];
  const reversedIds = (ids: string[]) => new Set(ids);

  const reversedReceipts = reversedIds(of('ReceiptReversed').map((e) => e.data.receiptId));
  const everReceived = of('FundsReceived').map((e) => e.data);
  const received = everReceived.filter((r) => !reversedReceipts.has(r.receiptId));
  const reversedAllocations = reversedIds(of('AllocationReversed').map((e) => e.data.allocationId));
  const reversedApprovals = reversedIds(of('PaymentApprovalReversed').map((e) => e.data.approvalId));
  const recorded = of('DisbursementRecorded').map((e) => e.data);
  const reversed = of('DisbursementReversed').map((e) => e.data);
  const netDisbursed = (keep: (d: { receiptId?: string; contractId?: string; category: string }) => boolean) =>
    total(recorded.filter(keep).map((d) => d.amount)) - total(reversed.filter(keep).map((d) => d.amount));

  const registeredTotal = of('ProjectRegistered')[0].data.plannedTotal;
  const plannedStatements = [...(registeredTotal === undefined ? [] : [registeredTotal]), ...of('PlannedTotalRevised').map((e) => e.data.amount)];
  const planned = plannedStatements.length === 0 ? undefined : parseYuan(last(plannedStatements)!);
  const allocated = total(
    of('FundsAllocated')
      .filter((e) => !reversedAllocations.has(e.data.allocationId))
      .map((e) => e.data.amount),
  );
  const receivedTotal = total(received.map((r) => r.amount));
  const disbursed = netDisbursed(() => true);
  const approved = total(
    of('PaymentApproved')
      .filter((e) => !reversedApprovals.has(e.data.approvalId))
      .map((e) => e.data.amount),
  );
  const latestContract = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'ContractSigned' || e.type === 'ContractAmended') latestContract.set(e.data.contractId, e.data.amount);
  }
  const investmentReport = last(of('InvestmentCompletedReported'));
  const investment = investmentReport && parseYuan(investmentReport.data.amount);

  const figures = new Map<string, Raw>([
    ['planned_total', { rate: false, n: planned }],
    ['allocated_total', { rate: false, n: allocated }],
    ['received_total', { rate: false, n: receivedTotal }],
    ['disbursed_total', { rate: false, n: disbursed }],
    ['available_balance', { rate: false, n: receivedTotal - disbursed }],
    ['arrival_rate', { rate: true, n: total(received.filter((r) => r.source !== 'carry-over').map((r) => r.amount)), d: planned }],
    ['execution_rate', { rate: true, n: disbursed, d: receivedTotal }],
    ['allocation_execution_rate', { rate: true, n: disbursed, d: allocated }],
    ['contract_payment_progress', { rate: true, n: netDisbursed((d) => d.contractId !== undefined), d: total([...latestContract.values()]) }],
    ['approved_total', { rate: false, n: approved }],
    ['approval_rate', { rate: true, n: approved, d: receivedTotal }],
    ['investment_completed', { rate: false, n: investment }],
    ['investment_completion_rate', { rate: true, n: investment, d: planned }],
  ]);
  for (const receipt of received) {
    figures.set(`receipt_usage_rate:${receipt.receiptId}`, {
      rate: true,
      n: netDisbursed((d) => d.receiptId === receipt.receiptId),
      d: parseYuan(receipt.amount),
    });
  }
  const withdrawn = new Set(of('IndicatorWithdrawn').map((e) => e.data.indicatorId));
  const actualOf = (indicator: string) => {
    const report = last(of('OutputReported').filter((e) => e.data.indicatorId === indicator));
    return report && parseQuantity(report.data.actual);
  };
  for (const declared of of('OutputTargetSet')) {
    const indicator = declared.data.indicatorId;
    if (withdrawn.has(indicator)) continue;
    const targets = [
      declared.data.target,
      ...of('OutputTargetRevised')
        .filter((e) => e.data.indicatorId === indicator)
        .map((e) => e.data.target),
    ];
    const latestTarget = last(targets.filter((t): t is string => t !== undefined));
    const target = latestTarget === undefined ? undefined : parseQuantity(latestTarget);
    const denominatorId = declared.data.denominatorIndicatorId;
    const actual = actualOf(indicator);
    figures.set(`output_completion:${indicator}`, {
      rate: true,
      quantity: true,
      n: actual,
      d: denominatorId === undefined ? target : actualOf(denominatorId),
    });
    figures.set(`output_target:${indicator}`, { rate: false, quantity: true, n: target });
    figures.set(`output_actual:${indicator}`, { rate: false, quantity: true, n: actual });
  }
  for (const source of new Set(everReceived.map((r) => r.source))) {
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
  const text = (units: bigint) => (raw.quantity ? formatQuantity(units) : formatYuan(units));
  if (!raw.rate) return { value: raw.n === undefined ? null : text(raw.n) };
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

const expected = (figures: Map<string, Raw>) => Object.fromEntries([...figures].map(([key, raw]) => [key, expectedFigure(raw)]));

const RATES: string[] = ['arrival_rate', 'execution_rate', 'allocation_execution_rate', 'contract_payment_progress', 'approval_rate'];

// ---------------------------------------------------------------------------

describe('figure properties', () => {
  it('every figure equals the one a plain reading of its definition gives', () => {
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

  it('district totals sum the projects, planned totals and arrivals only where a plan is stated, investment rates where both terms are', () => {
    fc.assert(
      fc.property(fc.array(project, { maxLength: 4 }), (projects) => {
        const perProject = projects.map(oracle);
        const sum = (values: Array<bigint | undefined>) =>
          values.some((v) => v !== undefined) ? values.reduce<bigint>((a, b) => a + (b ?? 0n), 0n) : undefined;
        const planned = perProject.filter((p) => p.get('planned_total')!.n !== undefined);
        const invested = perProject.filter((p) => p.get('investment_completed')!.n !== undefined);
        const both = planned.filter((p) => invested.includes(p));
        const raw = new Map<string, Raw>();
        for (const key of FIXED_FIGURE_KEYS) {
          const over =
            key === 'arrival_rate' || key === 'planned_total'
              ? planned
              : key === 'investment_completed'
                ? invested
                : key === 'investment_completion_rate'
                  ? both
                  : perProject;
          const n = sum(over.map((p) => p.get(key)!.n));
          const d = sum(over.map((p) => p.get(key)!.d));
          if (key === 'planned_total' || key === 'investment_completed') raw.set(key, { rate: false, n });
          else if (key === 'investment_completion_rate') raw.set(key, { rate: true, n, d });
          else if (RATES.includes(key)) raw.set(key, { rate: true, n: n ?? 0n, d: key === 'arrival_rate' ? d : (d ?? 0n) });
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
