import fc from 'fast-check';
import { type ApiHarness, startApi } from '../support/api-harness';

/**
 * Issue 4 acceptance, property test: for random valid command sequences posted through the real
 * HTTP API, every figure read back (GET /api/projects/:id/figures?minPosition=…, GET
 * /api/portfolio/figures) equals the same figure recomputed from the list of ACCEPTED commands by
 * the deliberately simple fold below. Nothing here imports @fundtrail/projections or
 * @fundtrail/money: amounts are plain bigint fen, rates are written out by hand.
 * Commands the API refuses (409/422/404) are not valid and are left out of the fold; the fold's
 * own view of which ones should be refused is checked too (a disagreement is a write-side bug).
 */

// ---------------------------------------------------------------------------------------------
// The independent fold: accepted facts -> figures (DESIGN §4), written as plainly as possible.
// ---------------------------------------------------------------------------------------------

type Fact =
  | { kind: 'register'; projectId: string; planned: bigint | null }
  | { kind: 'revise'; projectId: string; amount: bigint }
  | { kind: 'allocate'; projectId: string; allocationId: string; source: string; amount: bigint }
  | { kind: 'receive'; projectId: string; receiptId: string; source: string; amount: bigint; allocationId?: string }
  | { kind: 'contract'; projectId: string; contractId: string; amount: bigint }
  | { kind: 'disburse'; projectId: string; disbursementId: string; category: string; amount: bigint; receiptId?: string; contractId?: string }
  | { kind: 'reverse'; projectId: string; disbursementId: string }
  | { kind: 'target'; projectId: string; indicatorId: string; target: bigint }
  | { kind: 'actual'; projectId: string; indicatorId: string; actual: bigint };

interface ProjectBooks {
  planned: bigint | null;
  allocations: Map<string, { source: string; amount: bigint; received: bigint }>;
  receipts: Map<string, { source: string; amount: bigint; drawn: bigint }>;
  contracts: Map<string, { amount: bigint; paid: bigint }>;
  disbursements: Map<string, { amount: bigint; category: string; receiptId?: string; contractId?: string; reversed: boolean }>;
  indicators: Map<string, { target: bigint; actual: bigint | null }>;
  /** Order of first appearance does not matter: only the sums. */
  receivedBySource: Map<string, bigint>;
  disbursedByCategory: Map<string, bigint>;
}

function foldFacts(facts: readonly Fact[]): Map<string, ProjectBooks> {
  const books = new Map<string, ProjectBooks>();
  for (const fact of facts) {
    if (fact.kind === 'register') {
      books.set(fact.projectId, {
        planned: fact.planned,
        allocations: new Map(),
        receipts: new Map(),
        contracts: new Map(),
        disbursements: new Map(),
        indicators: new Map(),
        receivedBySource: new Map(),
        disbursedByCategory: new Map(),
      });
      continue;
    }
    const b = books.get(fact.projectId)!;
    switch (fact.kind) {
      case 'revise':
        b.planned = fact.amount;
        break;
      case 'allocate':
        b.allocations.set(fact.allocationId, { source: fact.source, amount: fact.amount, received: 0n });
        break;
      case 'receive':
        b.receipts.set(fact.receiptId, { source: fact.source, amount: fact.amount, drawn: 0n });
        if (fact.allocationId) b.allocations.get(fact.allocationId)!.received += fact.amount;
        b.receivedBySource.set(fact.source, (b.receivedBySource.get(fact.source) ?? 0n) + fact.amount);
        break;
      case 'contract':
        b.contracts.set(fact.contractId, { amount: fact.amount, paid: 0n });
        break;
      case 'disburse':
        b.disbursements.set(fact.disbursementId, {
          amount: fact.amount,
          category: fact.category,
          receiptId: fact.receiptId,
          contractId: fact.contractId,
          reversed: false,
        });
        moveDisbursed(b, fact.amount, fact.category, fact.receiptId, fact.contractId);
        break;
      case 'reverse': {
        const d = b.disbursements.get(fact.disbursementId)!;
        d.reversed = true;
        moveDisbursed(b, -d.amount, d.category, d.receiptId, d.contractId);
        break;
      }
      case 'target':
        b.indicators.set(fact.indicatorId, { target: fact.target, actual: null });
        break;
      case 'actual':
        b.indicators.get(fact.indicatorId)!.actual = fact.actual;
        break;
    }
  }
  return books;
}

function moveDisbursed(b: ProjectBooks, amount: bigint, category: string, receiptId?: string, contractId?: string): void {
  b.disbursedByCategory.set(category, (b.disbursedByCategory.get(category) ?? 0n) + amount);
  if (receiptId) b.receipts.get(receiptId)!.drawn += amount;
  if (contractId) b.contracts.get(contractId)!.paid += amount;
}

const sum = (values: Iterable<bigint>) => [...values].reduce((a, v) => a + v, 0n);
const receivedTotal = (b: ProjectBooks) => sum([...b.receipts.values()].map((r) => r.amount));
const receivedWithoutCarryOver = (b: ProjectBooks) => sum([...b.receipts.values()].filter((r) => r.source !== 'carry-over').map((r) => r.amount));
const disbursedTotal = (b: ProjectBooks) => sum([...b.disbursements.values()].filter((d) => !d.reversed).map((d) => d.amount));
const allocatedTotal = (b: ProjectBooks) => sum([...b.allocations.values()].map((a) => a.amount));
const contractedTotal = (b: ProjectBooks) => sum([...b.contracts.values()].map((c) => c.amount));
const paidOnContracts = (b: ProjectBooks) => sum([...b.disbursements.values()].filter((d) => !d.reversed && d.contractId).map((d) => d.amount));

/** fen -> "1234.56" */
function yuan(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** num/den as a percent, half-up to 2 decimals: round(num × 10000 / den) hundredths of a percent. Null over zero. */
function percent(num: bigint, den: bigint | null): string | null {
  if (den === null || den === 0n) return null;
  const hundredths = (num * 10000n * 2n + den) / (2n * den); // non-negative here: floor(x + 1/2)
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

interface Expected {
  value: string | null;
  /** For rates with a value: the two terms, in their smallest units (fen or 10^-4). */
  terms?: [bigint, bigint];
  scale?: number;
}

function rate(num: bigint, den: bigint | null, scale = 2): Expected {
  const value = percent(num, den);
  return value === null ? { value } : { value, terms: [num, den as bigint], scale };
}

function projectFigures(b: ProjectBooks): Map<string, Expected> {
  const received = receivedTotal(b);
  const disbursed = disbursedTotal(b);
  const figures = new Map<string, Expected>([
    ['planned_total', { value: b.planned === null ? null : yuan(b.planned) }],
    ['allocated_total', { value: yuan(allocatedTotal(b)) }],
    ['received_total', { value: yuan(received) }],
    ['disbursed_total', { value: yuan(disbursed) }],
    ['available_balance', { value: yuan(received - disbursed) }],
    ['arrival_rate', rate(receivedWithoutCarryOver(b), b.planned)],
    ['execution_rate', rate(disbursed, received)],
    ['allocation_execution_rate', rate(disbursed, allocatedTotal(b))],
    ['contract_payment_progress', rate(paidOnContracts(b), contractedTotal(b))],
    // No approvals or work done can be posted here yet: nothing approved, nothing reported.
    ['approved_total', { value: yuan(0n) }],
    ['approval_rate', rate(0n, received)],
    ['investment_completed', { value: null }],
    ['investment_completion_rate', { value: null }],
  ]);
  for (const [id, r] of b.receipts) figures.set(`receipt_usage_rate:${id}`, rate(r.drawn, r.amount));
  for (const [id, i] of b.indicators) {
    figures.set(`output_completion:${id}`, i.actual === null ? { value: null } : rate(i.actual, i.target, 4));
    figures.set(`output_target:${id}`, { value: quantity(i.target) });
    figures.set(`output_actual:${id}`, { value: i.actual === null ? null : quantity(i.actual) });
  }
  for (const [source, amount] of b.receivedBySource) figures.set(`received_by_source:${source}`, { value: yuan(amount) });
  for (const [category, amount] of b.disbursedByCategory) figures.set(`disbursed_by_category:${category}`, { value: yuan(amount) });
  return figures;
}

/** District totals: sums over projects; planned_total and arrival_rate over the projects that state a plan. */
function portfolioFigures(all: Iterable<ProjectBooks>): Map<string, Expected> {
  const books = [...all];
  const planned = books.filter((b) => b.planned !== null);
  const received = sum(books.map(receivedTotal));
  const disbursed = sum(books.map(disbursedTotal));
  const allocated = sum(books.map(allocatedTotal));
  const plannedSum = planned.length === 0 ? null : sum(planned.map((b) => b.planned as bigint));
  const figures = new Map<string, Expected>([
    ['planned_total', { value: plannedSum === null ? null : yuan(plannedSum) }],
    ['allocated_total', { value: yuan(allocated) }],
    ['received_total', { value: yuan(received) }],
    ['disbursed_total', { value: yuan(disbursed) }],
    ['available_balance', { value: yuan(received - disbursed) }],
    ['arrival_rate', rate(sum(planned.map(receivedWithoutCarryOver)), plannedSum)],
    ['execution_rate', rate(disbursed, received)],
    ['allocation_execution_rate', rate(disbursed, allocated)],
    ['contract_payment_progress', rate(sum(books.map(paidOnContracts)), sum(books.map(contractedTotal)))],
    ['approved_total', { value: yuan(0n) }],
    ['approval_rate', rate(0n, received)],
    ['investment_completed', { value: null }],
    ['investment_completion_rate', { value: null }],
  ]);
  const add = (key: string, amount: bigint) => {
    const before = figures.get(key)?.value;
    figures.set(key, { value: yuan((before ? units(before, 2) : 0n) + amount) });
  };
  for (const b of books) {
    for (const [source, amount] of b.receivedBySource) add(`received_by_source:${source}`, amount);
    for (const [category, amount] of b.disbursedByCategory) add(`disbursed_by_category:${category}`, amount);
  }
  return figures;
}

/** "12.5" at scale 4 -> 125000n; no JS number involved. */
function units(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const [int, frac = ''] = (negative ? text.slice(1) : text).split('.');
  const value = BigInt(int + frac.padEnd(scale, '0'));
  return negative ? -value : value;
}

/** 10^-4 units -> "12.5": the request body's form, and the API's for output_target / output_actual. */
function quantity(u: bigint): string {
  const text = `${u / 10000n}.${(u % 10000n).toString().padStart(4, '0')}`;
  return text.replace(/\.?0+$/, '') || '0';
}

// ---------------------------------------------------------------------------------------------
// Random command sequences.
// ---------------------------------------------------------------------------------------------

const SOURCES = [
  'special-bond',
  'general-bond',
  'treasury-bond',
  'central-subsidy',
  'provincial-subsidy',
  'municipal-subsidy',
  'district-budget',
  'self-raised',
  'carry-over',
  'other',
];
const CATEGORIES = ['land-and-taxes', 'construction', 'engineering-services', 'bond-issuance-fee', 'subsidy', 'operations', 'other'];

/** Amounts in fen: mostly ordinary, some of a few fen, some near the 10^13-yuan ceiling. */
const amountFen = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 1n, max: 2_000_000_000n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: 999n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 15n }) },
);
/** Either a share (per mille) of what the rules leave room for, or any amount (which may be refused). */
const size = fc.oneof(
  { weight: 4, arbitrary: fc.record({ share: fc.integer({ min: 1, max: 1000 }) }) },
  { weight: 1, arbitrary: fc.record({ raw: amountFen }) },
);
const quantityUnits = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 100_000n }));
const effectiveDate = fc.option(
  fc
    .tuple(fc.integer({ min: 2020, max: 2025 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  { nil: undefined },
);

const action = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revise' as const), amount: amountFen }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('allocate' as const), source: fc.constantFrom(...SOURCES), amount: amountFen }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('receive' as const),
      source: fc.constantFrom(...SOURCES),
      against: fc.option(fc.nat(), { nil: undefined }),
      size,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('contract' as const), amount: amountFen }) },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant('disburse' as const),
      category: fc.constantFrom(...CATEGORIES),
      receipt: fc.option(fc.nat(), { nil: undefined }),
      contract: fc.option(fc.nat(), { nil: undefined }),
      size,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('target' as const), target: quantityUnits }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('actual' as const), which: fc.nat(), actual: quantityUnits }) },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

const scenario = fc.record({
  projects: fc.array(fc.option(amountFen, { nil: null, freq: 4 }), { minLength: 1, maxLength: 3, size: 'max' }),
  steps: fc.array(fc.record({ project: fc.nat(), action, effectiveDate }), { minLength: 8, maxLength: 40, size: 'max' }),
});

// ---------------------------------------------------------------------------------------------

const NUM_RUNS = Number(process.env.FIGURES_PROPERTY_RUNS ?? 25);

describe('figures read from the API equal an independent fold of the accepted commands', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  let analyst: string;
  /** Every accepted command of every run: the portfolio spans all of them. */
  const accepted: Fact[] = [];
  let lastPosition = 0;
  let run = 0;
  const stats = { posted: 0, accepted: 0, refused: 0 };

  beforeAll(async () => {
    api = await startApi();
    officer = `Bearer ${api.token('budget-officer')}`;
    clerk = `Bearer ${api.token('clerk')}`;
    analyst = `Bearer ${api.token('analyst')}`;
  });
  afterAll(async () => api?.close());

  /** Posts; a 201 adds the fact to the fold. Returns the status. */
  async function post(path: string, token: string, body: object, fact: Fact): Promise<number> {
    stats.posted += 1;
    const response = await api.http.post(path).set('Authorization', token).send(body);
    if (response.status === 201) {
      stats.accepted += 1;
      accepted.push(fact);
      lastPosition = Math.max(lastPosition, response.body.globalPosition);
    } else {
      stats.refused += 1;
      // Refused commands are not valid ones; anything but a business refusal is a bug.
      if (![404, 409, 422].includes(response.status)) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.status;
  }

  it(`holds for ${NUM_RUNS} random command sequences (a fresh set of projects each)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ projects, steps }) => {
        run += 1;
        const ids = projects.map((_, i) => `prop-${run}-${i}`);
        for (const [i, planned] of projects.entries()) {
          const status = await post(
            '/api/projects',
            officer,
            {
              projectId: ids[i],
              name: `性质测试项目 ${run}-${i}`,
              department: '区财政局',
              category: 'testing',
              ...(planned !== null && { plannedTotal: yuan(planned) }),
            },
            { kind: 'register', projectId: ids[i], planned },
          );
          expect(status).toBe(201);
        }
        const counters = { a: 0, r: 0, c: 0, d: 0, i: 0 };
        const disagreements: string[] = [];
        for (const step of steps) {
          const projectId = ids[step.project % ids.length];
          const books = foldFacts(accepted).get(projectId)!;
          const outcome = await perform(projectId, books, step.action, step.effectiveDate, counters);
          if (outcome && outcome.shouldAccept !== (outcome.status === 201)) {
            disagreements.push(`${JSON.stringify(step.action, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))} -> ${outcome.status}`);
          }
        }

        const books = foldFacts(accepted);
        for (const projectId of ids) {
          const response = await api.http.get(`/api/projects/${projectId}/figures?minPosition=${lastPosition}`).set('Authorization', analyst);
          expect(response.status).toBe(200);
          expect(BigInt(response.body.asOfPosition)).toBeGreaterThanOrEqual(BigInt(lastPosition));
          compare(`project ${projectId}`, response.body.figures, projectFigures(books.get(projectId)!));
        }
        const portfolio = await api.http.get(`/api/portfolio/figures?minPosition=${lastPosition}`).set('Authorization', analyst);
        expect(portfolio.status).toBe(200);
        compare('portfolio', portfolio.body.figures, portfolioFigures(books.values()));
        // The fold's rules and the API's agree on what is valid (DESIGN §3).
        expect(disagreements).toEqual([]);
      }),
      { numRuns: NUM_RUNS, interruptAfterTimeLimit: 100_000 },
    );
    console.log(`figures property: ${run} runs, ${stats.posted} commands posted, ${stats.accepted} accepted, ${stats.refused} refused`);
    expect(stats.accepted).toBeGreaterThan(NUM_RUNS * 5);
  }, 150_000);

  /** Resolves an action against the books, posts it, and says whether the fold expected it to pass. */
  async function perform(
    projectId: string,
    b: ProjectBooks,
    a: Action,
    effective: string | undefined,
    counters: Record<'a' | 'r' | 'c' | 'd' | 'i', number>,
  ): Promise<{ status: number; shouldAccept: boolean } | undefined> {
    const base = `/api/projects/${projectId}`;
    const dated = <T extends object>(body: T) => (effective === undefined ? body : { ...body, effectiveDate: effective });
    const nth = <T>(map: Map<string, T>, n: number | undefined): [string, T] | undefined => {
      if (n === undefined || map.size === 0) return undefined;
      return [...map.entries()][n % map.size];
    };
    const sized = (s: { share: number } | { raw: bigint }, room: bigint): bigint => {
      if ('raw' in s) return s.raw;
      const share = (room * BigInt(s.share)) / 1000n;
      return share > 0n ? share : 1n;
    };
    switch (a.kind) {
      case 'revise':
        return {
          status: await post(`${base}/planned-total`, officer, dated({ amount: yuan(a.amount), reason: '概算调整' }), {
            kind: 'revise',
            projectId,
            amount: a.amount,
          }),
          shouldAccept: true,
        };
      case 'allocate': {
        const allocationId = `a${++counters.a}`;
        return {
          status: await post(`${base}/allocations`, officer, dated({ allocationId, source: a.source, amount: yuan(a.amount), fiscalYear: 2024 }), {
            kind: 'allocate',
            projectId,
            allocationId,
            source: a.source,
            amount: a.amount,
          }),
          shouldAccept: true,
        };
      }
      case 'receive': {
        const receiptId = `r${++counters.r}`;
        const allocation = nth(b.allocations, a.against);
        const room = allocation ? allocation[1].amount - allocation[1].received : 50_000_000_00n;
        const amount = sized(a.size, room > 0n ? room : 1n);
        return {
          status: await post(
            `${base}/receipts`,
            clerk,
            dated({ receiptId, source: a.source, amount: yuan(amount), ...(allocation && { allocationId: allocation[0] }) }),
            { kind: 'receive', projectId, receiptId, source: a.source, amount, ...(allocation && { allocationId: allocation[0] }) },
          ),
          // A receipt fulfils its allocation only with the allocation's own source money.
          shouldAccept: !allocation || (amount <= room && allocation[1].source === a.source),
        };
      }
      case 'contract': {
        const contractId = `c${++counters.c}`;
        return {
          status: await post(`${base}/contracts`, clerk, dated({ contractId, counterparty: '某建设公司', amount: yuan(a.amount) }), {
            kind: 'contract',
            projectId,
            contractId,
            amount: a.amount,
          }),
          shouldAccept: true,
        };
      }
      case 'disburse': {
        const disbursementId = `d${++counters.d}`;
        const receipt = nth(b.receipts, a.receipt);
        const contract = nth(b.contracts, a.contract);
        let room = receivedTotal(b) - disbursedTotal(b);
        if (receipt && receipt[1].amount - receipt[1].drawn < room) room = receipt[1].amount - receipt[1].drawn;
        if (contract && contract[1].amount - contract[1].paid < room) room = contract[1].amount - contract[1].paid;
        const amount = sized(a.size, room > 0n ? room : 1n);
        return {
          status: await post(
            `${base}/disbursements`,
            clerk,
            dated({
              disbursementId,
              amount: yuan(amount),
              category: a.category,
              ...(receipt && { receiptId: receipt[0] }),
              ...(contract && { contractId: contract[0] }),
            }),
            {
              kind: 'disburse',
              projectId,
              disbursementId,
              category: a.category,
              amount,
              ...(receipt && { receiptId: receipt[0] }),
              ...(contract && { contractId: contract[0] }),
            },
          ),
          shouldAccept: amount <= room,
        };
      }
      case 'reverse': {
        const target = nth(b.disbursements, a.which);
        if (!target) return undefined;
        return {
          status: await post(`${base}/disbursements/${target[0]}/reversal`, officer, dated({ reason: '凭证重复录入' }), {
            kind: 'reverse',
            projectId,
            disbursementId: target[0],
          }),
          shouldAccept: !target[1].reversed,
        };
      }
      case 'target': {
        const indicatorId = `i${++counters.i}`;
        return {
          status: await post(`${base}/indicators`, officer, dated({ indicatorId, name: '完成量', unit: '吨', target: quantity(a.target) }), {
            kind: 'target',
            projectId,
            indicatorId,
            target: a.target,
          }),
          shouldAccept: true,
        };
      }
      case 'actual': {
        const indicator = nth(b.indicators, a.which);
        if (!indicator) return undefined;
        return {
          status: await post(`${base}/indicators/${indicator[0]}/actuals`, officer, dated({ actual: quantity(a.actual) }), {
            kind: 'actual',
            projectId,
            indicatorId: indicator[0],
            actual: a.actual,
          }),
          shouldAccept: true,
        };
      }
    }
  }
});

interface ApiFigure {
  key: string;
  value: string | null;
  numerator?: string;
  denominator?: string;
  unit: string;
  reason?: string;
}

/** Every expected figure is returned with that value; any other returned figure is a zero breakdown. */
function compare(where: string, figures: ApiFigure[], expected: Map<string, Expected>): void {
  const byKey = new Map(figures.map((f) => [f.key, f]));
  expect(byKey.size).toBe(figures.length); // no key twice
  const problems: string[] = [];
  for (const [key, want] of expected) {
    const got = byKey.get(key);
    if (!got) {
      if (!(isBreakdown(key) && want.value === '0.00')) problems.push(`${key}: missing (expected ${want.value})`);
      continue;
    }
    if (got.value !== want.value) problems.push(`${key}: API ${got.value}, fold ${want.value}`);
    if (got.value === null && !got.reason) problems.push(`${key}: null without a reason`);
    if (want.terms && got.value !== null) {
      const scale = want.scale ?? 2;
      if (got.numerator === undefined || units(got.numerator, scale) !== want.terms[0])
        problems.push(`${key}: numerator ${got.numerator}, fold ${want.terms[0]} (10^-${scale})`);
      if (got.denominator === undefined || units(got.denominator, scale) !== want.terms[1])
        problems.push(`${key}: denominator ${got.denominator}, fold ${want.terms[1]} (10^-${scale})`);
    }
  }
  for (const figure of figures) {
    if (expected.has(figure.key)) continue;
    if (!(isBreakdown(figure.key) && figure.value === '0.00')) problems.push(`${figure.key}: unexpected figure ${figure.value}`);
  }
  expect({ where, problems }).toEqual({ where, problems: [] });
}

function isBreakdown(key: string): boolean {
  return key.startsWith('received_by_source:') || key.startsWith('disbursed_by_category:');
}
