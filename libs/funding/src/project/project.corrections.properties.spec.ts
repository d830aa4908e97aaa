import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseYuan, type Fen } from '@fundtrail/money';
import { FundingRuleViolation, type RuleCode } from '../shared/funding-rule-violation';
import type { ProjectCommand } from './project.commands';
import { decideProject, evolveProject, initialProjectState, type ProjectState, type RegisteredProject } from './project.decider';
import type { ProjectEvent } from './project.events';

/*
 * Approvals, payments and every correction interacting: random command sequences, amounts aimed at
 * the limits the rules guard (exactly on them, one fen either side). After each accepted command
 * the books are recomputed from the events alone, by a fold that shares nothing with the decider,
 * and must hold:
 *   Σ disbursed ≤ Σ received and Σ approved ≤ Σ received (all net of reversals);
 *   per receipt, contract, approval, allocation: what rests on it ≤ its amount;
 *   nothing rests on a reversed receipt, allocation or approval;
 * and the decider's state must keep the same books (or it would refuse, or allow, the wrong thing).
 */

const projectId = 'prop-corrections';

type Amount = { kind: 'fixed'; fen: Fen } | { kind: 'limit'; offset: -1n | 0n | 1n; pick: number };
const amount: fc.Arbitrary<Amount> = fc.oneof(
  fc.bigInt({ min: 1n, max: 50_000n }).map((fen) => ({ kind: 'fixed', fen }) as const),
  fc.record({
    kind: fc.constant('limit' as const),
    offset: fc.constantFrom(-1n as const, 0n as const, 1n as const),
    pick: fc.nat({ max: 4 }),
  }),
);
/** Something the project holds (reversed ones included), chosen by `pick`; now and then an id it never held. */
type Pick = { pick: number } | { unknown: true };
const pick: fc.Arbitrary<Pick> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ pick: fc.nat({ max: 1000 }) }) },
  { weight: 1, arbitrary: fc.constant({ unknown: true as const }) },
);
const ref = fc.option(pick, { freq: 2 });
/** A new id, or now and then one already used. */
const fresh = fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: pick });

type Intent =
  | { kind: 'allocate'; id: Pick | null; amount: Amount }
  | { kind: 'reverse-allocation'; which: Pick }
  | { kind: 'receive'; id: Pick | null; allocation: Pick | null; amount: Amount }
  | { kind: 'reverse-receipt'; which: Pick }
  | { kind: 'sign'; id: Pick | null; amount: Amount }
  | { kind: 'amend'; which: Pick; amount: Amount }
  | { kind: 'approve'; id: Pick | null; receipt: Pick | null; contract: Pick | null; amount: Amount }
  | { kind: 'reverse-approval'; which: Pick }
  | {
      kind: 'disburse';
      id: Pick | null;
      receipt: Pick | null;
      contract: Pick | null;
      approval: Pick | null;
      inherit: boolean;
      amount: Amount;
    }
  | { kind: 'reverse-disbursement'; which: Pick };

const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('allocate' as const), id: fresh, amount }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse-allocation' as const), which: pick }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('receive' as const), id: fresh, allocation: ref, amount }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse-receipt' as const), which: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sign' as const), id: fresh, amount }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('amend' as const), which: pick, amount }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('approve' as const), id: fresh, receipt: ref, contract: ref, amount }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse-approval' as const), which: pick }) },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant('disburse' as const),
      id: fresh,
      receipt: ref,
      contract: ref,
      approval: ref,
      inherit: fc.boolean(),
      amount,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reverse-disbursement' as const), which: pick }) },
);

/** An amount at one of the limits (or one fen off), or a fixed one; always a valid positive amount. */
function resolve(choice: Amount, limits: Fen[]): Fen {
  if (choice.kind === 'fixed' || limits.length === 0) return choice.kind === 'fixed' ? choice.fen : 100n;
  const fen = limits[choice.pick % limits.length] + choice.offset;
  return fen < 1n ? 1n : fen;
}

let counter = 0;

/** The id an intent names: one the map holds, one it never held, or (for a new entry) a fresh one. */
function idOf(choice: Pick | null, held: ReadonlyMap<string, unknown>, prefix: string): string {
  if (choice === null) return `${prefix}${++counter}`;
  if ('unknown' in choice || held.size === 0) return `${prefix}-never`;
  return [...held.keys()].sort()[choice.pick % held.size];
}

function toCommand(intent: Intent, p: RegisteredProject): ProjectCommand {
  const room = <T extends { amount: Fen }>(entry: T | undefined, used: (e: T) => Fen) => (entry === undefined ? [] : [entry.amount - used(entry)]);
  const maybe = <K extends string>(key: K, id: string | undefined) => (id === undefined ? {} : ({ [key]: id } as Record<K, string>));
  const refTo = (choice: Pick | null, held: ReadonlyMap<string, unknown>, prefix: string) => (choice === null ? undefined : idOf(choice, held, prefix));
  switch (intent.kind) {
    case 'allocate':
      return {
        type: 'AllocateFunds',
        data: {
          projectId,
          allocationId: idOf(intent.id, p.allocations, 'a'),
          source: 'central-subsidy',
          amount: resolve(intent.amount, []),
          fiscalYear: 2024,
        },
      };
    case 'reverse-allocation':
      return {
        type: 'ReverseAllocation',
        data: { projectId, allocationId: idOf(intent.which, p.allocations, 'a'), reason: 'r' },
      };
    case 'receive': {
      const allocationId = refTo(intent.allocation, p.allocations, 'a');
      const allocation = allocationId === undefined ? undefined : p.allocations.get(allocationId);
      const receiptId = idOf(intent.id, p.receipts, 'r');
      return {
        type: 'ReceiveFunds',
        data: {
          projectId,
          receiptId,
          // A receipt fulfils its allocation with the allocation's own source money.
          source: allocationId !== undefined ? 'central-subsidy' : counter % 3 === 0 ? 'carry-over' : 'district-budget',
          amount: resolve(
            intent.amount,
            room(allocation, (a) => a.received),
          ),
          ...maybe('allocationId', allocationId),
        },
      };
    }
    case 'reverse-receipt':
      return {
        type: 'ReverseReceipt',
        data: { projectId, receiptId: idOf(intent.which, p.receipts, 'r'), reason: 'r' },
      };
    case 'sign':
      return {
        type: 'SignContract',
        data: {
          projectId,
          contractId: idOf(intent.id, p.contracts, 'c'),
          counterparty: 'c',
          amount: resolve(intent.amount, []),
        },
      };
    case 'amend': {
      const contractId = idOf(intent.which, p.contracts, 'c');
      const contract = p.contracts.get(contractId);
      const floor = contract === undefined ? [] : [contract.paid > contract.approved ? contract.paid : contract.approved];
      return {
        type: 'AmendContract',
        data: { projectId, contractId, amount: resolve(intent.amount, floor), reason: 'r' },
      };
    }
    case 'approve': {
      const receiptId = refTo(intent.receipt, p.receipts, 'r');
      const contractId = refTo(intent.contract, p.contracts, 'c');
      const receipt = receiptId === undefined ? undefined : p.receipts.get(receiptId);
      const contract = contractId === undefined ? undefined : p.contracts.get(contractId);
      const limits = [p.receivedTotal - p.approvedTotal, ...room(receipt, (r) => r.approved), ...room(contract, (c) => c.approved)];
      return {
        type: 'ApprovePayment',
        data: {
          projectId,
          approvalId: idOf(intent.id, p.approvals, 'ap'),
          amount: resolve(intent.amount, limits),
          ...maybe('receiptId', receiptId),
          ...maybe('contractId', contractId),
        },
      };
    }
    case 'reverse-approval':
      return {
        type: 'ReversePaymentApproval',
        data: { projectId, approvalId: idOf(intent.which, p.approvals, 'ap'), reason: 'r' },
      };
    case 'disburse': {
      const approvalId = refTo(intent.approval, p.approvals, 'ap');
      const approval = approvalId === undefined ? undefined : p.approvals.get(approvalId);
      // Either name nothing else and let the approval's references apply, or name references (which may contradict it).
      const inherit = approval !== undefined && intent.inherit;
      const receiptId = inherit ? undefined : refTo(intent.receipt, p.receipts, 'r');
      const contractId = inherit ? undefined : refTo(intent.contract, p.contracts, 'c');
      const receipt = p.receipts.get(receiptId ?? approval?.receiptId ?? '');
      const contract = p.contracts.get(contractId ?? approval?.contractId ?? '');
      const limits = [p.receivedTotal - p.disbursedTotal, ...room(receipt, (r) => r.drawn), ...room(contract, (c) => c.paid), ...room(approval, (a) => a.paid)];
      return {
        type: 'RecordDisbursement',
        data: {
          projectId,
          disbursementId: idOf(intent.id, p.disbursements, 'd'),
          amount: resolve(intent.amount, limits),
          category: 'construction',
          ...maybe('receiptId', receiptId),
          ...maybe('contractId', contractId),
          ...maybe('approvalId', approvalId),
        },
      };
    }
    case 'reverse-disbursement':
      return {
        type: 'ReverseDisbursement',
        data: { projectId, disbursementId: idOf(intent.which, p.disbursements, 'd'), reason: 'r' },
      };
  }
}

// ---------------------------------------------------------------------------
// The books, from the events alone.
// ---------------------------------------------------------------------------

type Account = { limit: Fen; used: Fen; approved: Fen; reversed: boolean };
type Books = {
  received: Fen;
  disbursed: Fen;
  approved: Fen;
  receipts: Map<string, Account>;
  contracts: Map<string, Account>;
  allocations: Map<string, Account>;
  approvals: Map<string, Account>;
};

function books(events: readonly ProjectEvent[]): Books {
  const b: Books = {
    received: 0n,
    disbursed: 0n,
    approved: 0n,
    receipts: new Map(),
    contracts: new Map(),
    allocations: new Map(),
    approvals: new Map(),
  };
  const account = (limit: string): Account => ({ limit: parseYuan(limit), used: 0n, approved: 0n, reversed: false });
  const at = (accounts: Map<string, Account>, key: string | undefined) => (key === undefined ? undefined : accounts.get(key));
  for (const { type, data } of events) {
    switch (type) {
      case 'FundsAllocated':
        b.allocations.set(data.allocationId, account(data.amount));
        break;
      case 'AllocationReversed':
        b.allocations.get(data.allocationId)!.reversed = true;
        break;
      case 'FundsReceived': {
        b.received += parseYuan(data.amount);
        b.receipts.set(data.receiptId, account(data.amount));
        const allocation = at(b.allocations, data.allocationId);
        if (allocation) allocation.used += parseYuan(data.amount);
        break;
      }
      case 'ReceiptReversed': {
        b.received -= parseYuan(data.amount);
        b.receipts.get(data.receiptId)!.reversed = true;
        const allocation = at(b.allocations, data.allocationId);
        if (allocation) allocation.used -= parseYuan(data.amount);
        break;
      }
      case 'ContractSigned':
        b.contracts.set(data.contractId, account(data.amount));
        break;
      case 'ContractAmended':
        b.contracts.get(data.contractId)!.limit = parseYuan(data.amount);
        break;
      case 'PaymentApproved':
      case 'PaymentApprovalReversed': {
        const fen = parseYuan(data.amount) * (type === 'PaymentApproved' ? 1n : -1n);
        b.approved += fen;
        if (type === 'PaymentApproved') b.approvals.set(data.approvalId, account(data.amount));
        else b.approvals.get(data.approvalId)!.reversed = true;
        for (const entry of [at(b.receipts, data.receiptId), at(b.contracts, data.contractId)]) if (entry) entry.approved += fen;
        break;
      }
      case 'DisbursementRecorded':
      case 'DisbursementReversed': {
        const fen = parseYuan(data.amount) * (type === 'DisbursementRecorded' ? 1n : -1n);
        b.disbursed += fen;
        for (const entry of [at(b.receipts, data.receiptId), at(b.contracts, data.contractId), at(b.approvals, data.approvalId)]) if (entry) entry.used += fen;
        break;
      }
      default:
        break;
    }
  }
  return b;
}

function assertBooksHold(events: readonly ProjectEvent[], state: RegisteredProject): void {
  const b = books(events);
  assert.ok(b.disbursed >= 0n && b.disbursed <= b.received, `disbursed ${b.disbursed} of ${b.received} received`);
  assert.ok(b.approved >= 0n && b.approved <= b.received, `approved ${b.approved} of ${b.received} received`);
  for (const [what, accounts] of Object.entries({
    receipt: b.receipts,
    contract: b.contracts,
    allocation: b.allocations,
    approval: b.approvals,
  })) {
    for (const [key, a] of accounts) {
      assert.ok(a.used >= 0n && a.used <= a.limit, `${what} ${key}: ${a.used} used of ${a.limit}`);
      assert.ok(a.approved >= 0n && a.approved <= a.limit, `${what} ${key}: ${a.approved} approved of ${a.limit}`);
      if (a.reversed) assert.ok(a.used === 0n && a.approved === 0n, `reversed ${what} ${key} still carries money`);
    }
  }
  assert.equal(state.receivedTotal, b.received);
  assert.equal(state.disbursedTotal, b.disbursed);
  assert.equal(state.approvedTotal, b.approved);
  const same = <T>(accounts: Map<string, Account>, entries: ReadonlyMap<string, T>, read: (entry: T) => [Fen, Fen, boolean]) => {
    assert.equal(entries.size, accounts.size);
    for (const [key, entry] of entries) {
      const a = accounts.get(key)!;
      assert.deepStrictEqual(read(entry), [a.used, a.approved, a.reversed], key);
    }
  };
  same(b.receipts, state.receipts, (r) => [r.drawn, r.approved, r.reversed === true]);
  same(b.contracts, state.contracts, (c) => [c.paid, c.approved, false]);
  same(b.allocations, state.allocations, (a) => [a.received, 0n, a.reversed === true]);
  same(b.approvals, state.approvals, (a) => [a.paid, 0n, a.reversed === true]);
  for (const [key, c] of state.contracts) assert.equal(c.amount, b.contracts.get(key)!.limit, key);
}

// ---------------------------------------------------------------------------

const seen = { accepted: new Map<string, number>(), refused: new Map<RuleCode, number>() };
const tally = <K>(counts: Map<K, number>, key: K) => counts.set(key, (counts.get(key) ?? 0) + 1);

function registered(state: ProjectState): RegisteredProject {
  if (state.status !== 'registered') throw new Error('the project must stay registered');
  return state;
}

function run(intents: Intent[]): void {
  const log: ProjectEvent[] = decideProject({ type: 'RegisterProject', data: { projectId, name: 'p', category: 'c' } }, initialProjectState);
  let state = log.reduce(evolveProject, initialProjectState);
  for (const next of intents) {
    const command = toCommand(next, registered(state));
    let emitted: ProjectEvent[];
    try {
      emitted = decideProject(command, state);
    } catch (error) {
      if (!(error instanceof FundingRuleViolation)) throw error;
      tally(seen.refused, error.code);
      continue;
    }
    for (const event of emitted) {
      tally(seen.accepted, event.type);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(event)), event); // JSON only
    }
    log.push(...emitted);
    state = emitted.reduce(evolveProject, state);
    assertBooksHold(log, registered(state));
  }
  assert.deepStrictEqual(log.reduce(evolveProject, initialProjectState), state);
}

describe('approvals, payments and corrections together', () => {
  it('keep the books within every limit, whatever the order, and replay to the same state', () => {
    fc.assert(
      fc.property(fc.array(intent, { minLength: 20, maxLength: 80, size: 'max' }), (intents) => run(intents)),
      { numRuns: 250 },
    );

    // Every correction, and both sides of every limit, must be reached, or the property proves little.
    for (const type of [
      'PaymentApproved',
      'PaymentApprovalReversed',
      'ReceiptReversed',
      'AllocationReversed',
      'ContractAmended',
      'DisbursementRecorded',
      'DisbursementReversed',
    ]) {
      expect({ type, accepted: (seen.accepted.get(type) ?? 0) > 30 }).toEqual({ type, accepted: true });
    }
    for (const code of [
      'INSUFFICIENT_FUNDS',
      'CONTRACT_EXCEEDED',
      'ALLOCATION_EXCEEDED',
      'APPROVAL_EXCEEDED',
      'RECEIPT_IN_USE',
      'ALLOCATION_IN_USE',
      'APPROVAL_IN_USE',
      'ALREADY_REVERSED',
      'UNKNOWN_RECEIPT',
      'UNKNOWN_APPROVAL',
      'APPROVAL_MISMATCH',
    ] as const) {
      expect({ code, refused: (seen.refused.get(code) ?? 0) > 5 }).toEqual({ code, refused: true });
    }
  });
});
