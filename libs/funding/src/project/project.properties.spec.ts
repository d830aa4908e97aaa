import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_YUAN_FEN, parseYuan, type Fen } from '@fundtrail/money';
import { FundingRuleViolation, type RuleCode } from '../shared/funding-rule-violation';
import type { ProjectCommand } from './project.commands';
import { decideProject, evolveProject, initialProjectState, type ProjectState, type RegisteredProject } from './project.decider';
import type { ProjectEvent } from './project.events';

const projectId = 'prop-project';

// ---------------------------------------------------------------------------
// Intents: generated without a state, turned into commands against the state at hand,
// so amounts can sit exactly on (or one fen past) the limit the rules guard.
// ---------------------------------------------------------------------------

type Amount = { kind: 'fixed'; fen: Fen } | { kind: 'limit'; offset: -1n | 0n | 1n; pick: number };
type Intent =
  | { kind: 'register' }
  | { kind: 'revise'; amount: Amount }
  | { kind: 'allocate'; id: number; amount: Amount }
  | { kind: 'receive'; id: number; allocation: number | null; amount: Amount }
  | { kind: 'sign'; id: number; amount: Amount }
  | { kind: 'disburse'; id: number; receipt: number | null; contract: number | null; amount: Amount }
  | { kind: 'reverse'; pick: number }
  | { kind: 'target'; id: number; quantity: bigint }
  | { kind: 'report'; id: number; quantity: bigint };

const fixedFen = fc.oneof(
  fc.constantFrom(1n, 99n, 100n, MAX_YUAN_FEN - 1n, MAX_YUAN_FEN),
  fc.bigInt({ min: 1n, max: 100_000n }),
  fc.bigInt({ min: 1n, max: MAX_YUAN_FEN }),
);
const amount: fc.Arbitrary<Amount> = fc.oneof(
  fixedFen.map((fen) => ({ kind: 'fixed', fen }) as const),
  fc.record({
    kind: fc.constant('limit' as const),
    offset: fc.constantFrom(-1n as const, 0n as const, 1n as const),
    pick: fc.nat({ max: 3 }),
  }),
);
const id = fc.nat({ max: 5 }); // few ids, so duplicates and unknown references happen
const quantity = fc.bigInt({ min: 0n, max: 10n ** 12n });

const intent: fc.Arbitrary<Intent> = fc.oneof(
  { arbitrary: fc.constant<Intent>({ kind: 'register' }), weight: 1 },
  { arbitrary: amount.map((a): Intent => ({ kind: 'revise', amount: a })), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('allocate' as const), id, amount }), weight: 3 },
  {
    arbitrary: fc.record({ kind: fc.constant('receive' as const), id, allocation: fc.option(id, { freq: 2 }), amount }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('sign' as const), id, amount }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('disburse' as const),
      id: fc.nat({ max: 30 }),
      receipt: fc.option(id, { freq: 2 }),
      contract: fc.option(id, { freq: 2 }),
      amount,
    }),
    weight: 8,
  },
  { arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat({ max: 40 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('target' as const), id, quantity }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('report' as const), id, quantity }), weight: 1 },
);

/** The amount that reaches one of the `limits` exactly (or one fen either side), kept valid at the edge. */
function resolve(choice: Amount, ...limits: Fen[]): Fen {
  const tightest = limits.reduce((a, b) => (a < b ? a : b));
  const candidates = [tightest, ...limits];
  const fen = choice.kind === 'fixed' ? choice.fen : candidates[choice.pick % candidates.length] + choice.offset;
  return fen < 1n ? 1n : fen > MAX_YUAN_FEN ? MAX_YUAN_FEN : fen;
}

function toCommand(intent: Intent, project: RegisteredProject, disbursementIds: string[]): ProjectCommand {
  switch (intent.kind) {
    case 'register':
      return { type: 'RegisterProject', data: { projectId, name: 'again', department: 'd', category: 'c' } };
    case 'revise':
      return {
        type: 'RevisePlannedTotal',
        data: { projectId, amount: resolve(intent.amount, MAX_YUAN_FEN), reason: 'r' },
      };
    case 'allocate':
      return {
        type: 'AllocateFunds',
        data: {
          projectId,
          allocationId: `alloc-${intent.id}`,
          source: 'central-subsidy',
          amount: resolve(intent.amount, 1_000_000n),
          fiscalYear: 2024,
        },
      };
    case 'receive':
      return receive(intent, project);
    case 'sign':
      return {
        type: 'SignContract',
        data: {
          projectId,
          contractId: `contract-${intent.id}`,
          counterparty: 'c',
          amount: resolve(intent.amount, 1_000_000n),
        },
      };
    case 'disburse':
      return disburse(intent, project);
    case 'reverse': {
      const disbursementId = disbursementIds.length === 0 ? 'pay-none' : disbursementIds[intent.pick % disbursementIds.length];
      return { type: 'ReverseDisbursement', data: { projectId, disbursementId, reason: 'r' } };
    }
    case 'target':
      return {
        type: 'SetOutputTarget',
        data: { projectId, indicatorId: `ind-${intent.id}`, name: 'n', unit: 'u', target: intent.quantity },
      };
    case 'report':
      return { type: 'ReportOutput', data: { projectId, indicatorId: `ind-${intent.id}`, actual: intent.quantity } };
  }
}

function receive(intent: Extract<Intent, { kind: 'receive' }>, project: RegisteredProject): ProjectCommand {
  const allocationId = intent.allocation === null ? undefined : `alloc-${intent.allocation}`;
  const allocation = allocationId === undefined ? undefined : project.allocations.get(allocationId);
  const limit = allocation === undefined ? 1_000_000n : allocation.amount - allocation.received;
  return {
    type: 'ReceiveFunds',
    data: {
      projectId,
      receiptId: `receipt-${intent.id}`,
      // Mostly the allocation's own source; every fourth receipt another one, which must be refused.
      source: allocation !== undefined && intent.id % 4 !== 0 ? allocation.source : 'district-budget',
      amount: resolve(intent.amount, limit),
      ...(allocationId !== undefined && { allocationId }),
    },
  };
}

function disburse(intent: Extract<Intent, { kind: 'disburse' }>, project: RegisteredProject): ProjectCommand {
  const receiptId = intent.receipt === null ? undefined : `receipt-${intent.receipt}`;
  const contractId = intent.contract === null ? undefined : `contract-${intent.contract}`;
  const receipt = receiptId === undefined ? undefined : project.receipts.get(receiptId);
  const contract = contractId === undefined ? undefined : project.contracts.get(contractId);
  const limits = [project.receivedTotal - project.disbursedTotal];
  if (receipt) limits.push(receipt.amount - receipt.drawn);
  if (contract) limits.push(contract.amount - contract.paid);
  return {
    type: 'RecordDisbursement',
    data: {
      projectId,
      disbursementId: `pay-${intent.id}`,
      amount: resolve(intent.amount, ...limits),
      category: 'construction',
      ...(receiptId !== undefined && { receiptId }),
      ...(contractId !== undefined && { contractId }),
    },
  };
}

// ---------------------------------------------------------------------------
// The books, recomputed from the events alone, apart from the decider's state.
// ---------------------------------------------------------------------------

type Account = { limit: Fen; used: Fen };
type Books = {
  received: Fen;
  disbursed: Fen;
  receipts: Map<string, Account>;
  contracts: Map<string, Account>;
  allocations: Map<string, Account>;
  /** Receipts whose source differs from the allocation they fulfil. */
  mismatchedSources: string[];
};

function books(events: ProjectEvent[]): Books {
  const result: Books = {
    received: 0n,
    disbursed: 0n,
    receipts: new Map(),
    contracts: new Map(),
    allocations: new Map(),
    mismatchedSources: [],
  };
  const allocationSources = new Map<string, string>();
  const use = (accounts: Map<string, Account>, key: string | undefined, fen: Fen) => {
    const account = key === undefined ? undefined : accounts.get(key);
    if (account) account.used += fen;
  };
  for (const event of events) {
    switch (event.type) {
      case 'FundsAllocated':
        result.allocations.set(event.data.allocationId, { limit: parseYuan(event.data.amount), used: 0n });
        allocationSources.set(event.data.allocationId, event.data.source);
        break;
      case 'FundsReceived':
        result.received += parseYuan(event.data.amount);
        result.receipts.set(event.data.receiptId, { limit: parseYuan(event.data.amount), used: 0n });
        use(result.allocations, event.data.allocationId, parseYuan(event.data.amount));
        if (event.data.allocationId !== undefined && allocationSources.get(event.data.allocationId) !== event.data.source) {
          result.mismatchedSources.push(event.data.receiptId);
        }
        break;
      case 'ContractSigned':
        result.contracts.set(event.data.contractId, { limit: parseYuan(event.data.amount), used: 0n });
        break;
      case 'DisbursementRecorded':
      case 'DisbursementReversed': {
        const fen = parseYuan(event.data.amount) * (event.type === 'DisbursementRecorded' ? 1n : -1n);
        result.disbursed += fen;
        use(result.receipts, event.data.receiptId, fen);
        use(result.contracts, event.data.contractId, fen);
        break;
      }
      default:
        break;
    }
  }
  return result;
}

// node:assert in the hot loop: jest's expect costs too much at thousands of calls per run.
function assertWithinLimits(accounts: Map<string, Account>, what: string): void {
  for (const [key, { limit, used }] of accounts) {
    assert.ok(used >= 0n && used <= limit, `${what} ${key}: ${used} used of ${limit}`);
  }
}

function assertBooksHold(events: ProjectEvent[], state: RegisteredProject): void {
  const ledger = books(events);
  assert.ok(ledger.disbursed >= 0n && ledger.disbursed <= ledger.received, 'disbursed more than received');
  assertWithinLimits(ledger.receipts, 'receipt');
  assertWithinLimits(ledger.contracts, 'contract');
  assertWithinLimits(ledger.allocations, 'allocation');
  assert.deepEqual(ledger.mismatchedSources, [], 'receipts of another source than their allocation');
  // The decider's state must keep the same books, or it would refuse (or allow) the wrong commands.
  assert.equal(state.receivedTotal, ledger.received);
  assert.equal(state.disbursedTotal, ledger.disbursed);
  assertSameUse(ledger.receipts, state.receipts, (receipt) => receipt.drawn);
  assertSameUse(ledger.contracts, state.contracts, (contract) => contract.paid);
  assertSameUse(ledger.allocations, state.allocations, (allocation) => allocation.received);
}

function assertSameUse<T>(accounts: Map<string, Account>, entries: ReadonlyMap<string, T>, used: (entry: T) => Fen): void {
  assert.equal(entries.size, accounts.size);
  for (const [key, entry] of entries) assert.equal(used(entry), accounts.get(key)?.used, key);
}

const MONEY_FIELDS = ['amount', 'plannedTotal', 'target', 'actual'] as const;

function assertJsonOnly(event: ProjectEvent): void {
  const data: Record<string, unknown> = event.data;
  for (const field of MONEY_FIELDS) {
    if (field in data) assert.equal(typeof data[field], 'string', `${event.type}.${field}`);
  }
  assert.deepStrictEqual(JSON.parse(JSON.stringify(event)), event);
}

// ---------------------------------------------------------------------------

function registered(state: ProjectState): RegisteredProject {
  if (state.status !== 'registered') throw new Error('the project must stay registered');
  return state;
}

const seen = { accepted: new Map<string, number>(), refused: new Map<RuleCode, number>() };
const tally = <K>(counts: Map<K, number>, key: K) => counts.set(key, (counts.get(key) ?? 0) + 1);

function run(intents: Intent[]): void {
  const register: ProjectCommand = {
    type: 'RegisterProject',
    data: { projectId, name: 'p', department: 'd', category: 'c' },
  };
  const log: ProjectEvent[] = decideProject(register, initialProjectState);
  let state = log.reduce(evolveProject, initialProjectState);
  const disbursementIds: string[] = [];

  for (const next of intents) {
    const command = toCommand(next, registered(state), disbursementIds);
    let emitted: ProjectEvent[];
    try {
      emitted = decideProject(command, state);
    } catch (error) {
      if (!(error instanceof FundingRuleViolation)) throw error;
      tally(seen.refused, error.code);
      continue;
    }
    for (const event of emitted) {
      assertJsonOnly(event);
      tally(seen.accepted, event.type);
      if (event.type === 'DisbursementRecorded') disbursementIds.push(event.data.disbursementId);
    }
    log.push(...emitted);
    state = emitted.reduce(evolveProject, state);
    assertBooksHold(log, registered(state));
  }

  assert.deepStrictEqual(log.reduce(evolveProject, initialProjectState), state);
}

describe('project decider properties', () => {
  it('keeps the books within their limits and replays to the same state', () => {
    fc.assert(
      fc.property(fc.array(intent, { minLength: 10, maxLength: 60, size: 'max' }), (intents) => run(intents)),
      { numRuns: 200 },
    );

    // The generator must reach both sides of every limit, or the properties above prove little.
    for (const type of ['FundsReceived', 'DisbursementRecorded', 'DisbursementReversed', 'ContractSigned', 'FundsAllocated']) {
      expect(seen.accepted.get(type) ?? 0).toBeGreaterThan(50);
    }
    for (const code of ['INSUFFICIENT_FUNDS', 'CONTRACT_EXCEEDED', 'ALLOCATION_EXCEEDED', 'ALREADY_REVERSED', 'DUPLICATE_ID'] as const) {
      expect(seen.refused.get(code) ?? 0).toBeGreaterThan(5);
    }
  });
});
