import { SLUG_PATTERN } from '../shared/vocabulary';
import { decideProject, evolveProject, initialProjectState } from '../project/project.decider';
import type { FundsReceived, ProjectEvent, ProjectRegistered } from '../project/project.events';
import type { ReceiveFunds } from '../project/project.commands';
import { isDerivedReceiptId } from '../shared/derived-ids';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { spec } from '../testing/decider-spec';
import {
  assertAssignmentReceivable,
  assertReceiptFromAssignment,
  assignmentAlreadyReceived,
  assignmentReceiptSettled,
  bondReceiptId,
  receiveFundsForAssignment,
  reverseReceiptForAssignment,
} from './bond-proceeds.process';
import { evolveBond, initialBondState } from './bond.decider';
import type { BondAssignmentReversed, BondEvent, BondIssued, BondProceedsAssigned } from './bond.events';

const projectId = 'xishan-ring-road';
const bondId = 'gd-special-2024-07';
const assigned: BondProceedsAssigned = {
  type: 'BondProceedsAssigned',
  data: { bondId, assignmentId: 'assign-1', projectId, amount: '400.00' },
};
const registered: ProjectRegistered = {
  type: 'ProjectRegistered',
  data: { projectId, name: 'Xishan ring road', department: 'Transport bureau', category: 'transport' },
};
const receiptId = bondReceiptId(bondId, 'assign-1');
const receivedFromBond: FundsReceived = {
  type: 'FundsReceived',
  data: { projectId, receiptId, source: 'special-bond', amount: '400.00', bondId, assignmentId: 'assign-1' },
};
const project = spec(decideProject, evolveProject, initialProjectState);
const fold = (events: ProjectEvent[]) => events.reduce(evolveProject, initialProjectState);

describe('bondReceiptId', () => {
  it('is the same for the same assignment', () => {
    expect(bondReceiptId(bondId, 'assign-1')).toBe(bondReceiptId(bondId, 'assign-1'));
  });

  it('differs between assignments and between bonds', () => {
    const ids = new Set([
      bondReceiptId(bondId, 'assign-1'),
      bondReceiptId(bondId, 'assign-2'),
      bondReceiptId('other-bond', 'assign-1'),
      bondReceiptId('a-b', 'c'),
      bondReceiptId('a', 'b-c'),
    ]);
    expect(ids.size).toBe(5);
  });

  it('lies in the reserved namespace, which ordinary slugs beginning with "bond-" do not', () => {
    expect(isDerivedReceiptId(bondReceiptId(bondId, 'assign-1'))).toBe(true);
    expect(
      ['bond-2024', 'bond-2024-07', `bond-${'0'.repeat(23)}`, `bond-${'0'.repeat(25)}`, `bond-${'A'.repeat(24)}`, 'special-bond-2023'].filter(
        isDerivedReceiptId,
      ),
    ).toEqual([]);
  });

  it('is a valid slug even when both ids are 64 characters long', () => {
    const longest = 'a'.repeat(64);
    expect(bondReceiptId(longest, longest)).toMatch(SLUG_PATTERN);
    expect(bondReceiptId(longest, longest)).toMatch(/^bond-[0-9a-f]{24}$/);
  });
});

describe('receiveFundsForAssignment', () => {
  it('turns an assignment into a receipt on the project, sourced from the bond kind', () => {
    expect(receiveFundsForAssignment(assigned, 'special')).toStrictEqual({
      type: 'ReceiveFunds',
      data: { projectId, receiptId, source: 'special-bond', amount: 40_000n, bondId, assignmentId: 'assign-1' },
    });
    expect(receiveFundsForAssignment(assigned, 'treasury').data.source).toBe('treasury-bond');
  });

  it('is received by the project', () => {
    project.given([registered]).when(receiveFundsForAssignment(assigned, 'special')).then([receivedFromBond]);
  });

  it('is refused as a duplicate when the assignment is retried, so the money counts once', () => {
    project.given([registered, receivedFromBond]).when(receiveFundsForAssignment(assigned, 'special')).thenThrows('DUPLICATE_ID', { field: 'receiptId' });
  });
});

describe('assignmentAlreadyReceived', () => {
  it('is false before the receipt exists', () => {
    expect(assignmentAlreadyReceived(fold([registered]), assigned)).toBe(false);
    expect(assignmentAlreadyReceived(initialProjectState, assigned)).toBe(false);
  });

  it('is true once the receipt exists', () => {
    expect(assignmentAlreadyReceived(fold([registered, receivedFromBond]), assigned)).toBe(true);
  });

  it('is false when a client receipt took the same id', () => {
    const squatted: FundsReceived = {
      type: 'FundsReceived',
      data: { projectId, receiptId, source: 'self-raised', amount: '1.00' },
    };
    expect(assignmentAlreadyReceived(fold([registered, squatted]), assigned)).toBe(false);
  });
});

/** The refusal a check throws (or a failure when it throws none). */
function refusal(check: () => void): FundingRuleViolation {
  try {
    check();
  } catch (error) {
    if (error instanceof FundingRuleViolation) return error;
    throw error;
  }
  throw new Error('expected a FundingRuleViolation, but the check passed');
}

const bondIssued: BondIssued = {
  type: 'BondIssued',
  data: { bondId, name: 'Guangdong special bond (7th)', kind: 'special', amount: '1000.00', issueDate: '2024-07-15' },
};
const bondState = (events: BondEvent[]) => events.reduce(evolveBond, initialBondState);
const assignment = { bondId, assignmentId: 'assign-1', projectId, amount: 40_000n };

describe('assertAssignmentReceivable (before the assignment is appended)', () => {
  it('passes when the project can take the receipt', () => {
    expect(() => assertAssignmentReceivable(assignment, 'special', fold([registered]))).not.toThrow();
  });

  it('refuses an assignment to a project that does not exist, naming projectId', () => {
    expect(refusal(() => assertAssignmentReceivable(assignment, 'special', initialProjectState))).toMatchObject({
      code: 'UNKNOWN_PROJECT',
      field: 'projectId',
    });
  });

  it('refuses an assignment whose receipt id another receipt holds, naming assignmentId and the id', () => {
    const squatted: FundsReceived = { type: 'FundsReceived', data: { projectId, receiptId, source: 'self-raised', amount: '1.00' } };
    const violation = refusal(() => assertAssignmentReceivable(assignment, 'special', fold([registered, squatted])));
    expect(violation).toMatchObject({ code: 'ASSIGNMENT_RECEIPT_TAKEN', field: 'assignmentId' });
    expect(violation.message).toContain(receiptId);
  });
});

describe('assertReceiptFromAssignment (a receipt that names a bond)', () => {
  const clientReceipt = (extra: Partial<ReceiveFunds['data']> = {}): ReceiveFunds['data'] => ({
    projectId,
    receiptId: 'r-1',
    source: 'special-bond',
    amount: 40_000n,
    bondId,
    ...extra,
  });
  const withAssignment = bondState([bondIssued, assigned]);

  it('has nothing to check on a receipt that names no bond', () => {
    expect(() => assertReceiptFromAssignment(clientReceipt({ bondId: undefined }), initialBondState)).not.toThrow();
  });

  it('refuses an assignment without its bond', () => {
    expect(refusal(() => assertReceiptFromAssignment(clientReceipt({ bondId: undefined, assignmentId: 'assign-1' }), initialBondState))).toMatchObject({
      code: 'BOND_RECEIPT_MISMATCH',
      field: 'bondId',
    });
  });

  it('refuses a bond that was never issued', () => {
    expect(refusal(() => assertReceiptFromAssignment(clientReceipt(), initialBondState))).toMatchObject({ code: 'UNKNOWN_BOND', field: 'bondId' });
  });

  it('refuses a bond with no assignment to this project', () => {
    const elsewhere = bondState([bondIssued, { type: 'BondProceedsAssigned', data: { ...assigned.data, projectId: 'east-school' } }]);
    expect(refusal(() => assertReceiptFromAssignment(clientReceipt(), elsewhere))).toMatchObject({ code: 'BOND_NOT_ASSIGNED', field: 'bondId' });
    expect(refusal(() => assertReceiptFromAssignment(clientReceipt(), bondState([bondIssued])))).toMatchObject({ code: 'BOND_NOT_ASSIGNED', field: 'bondId' });
  });

  it("refuses a client receipt naming a bond assigned to this project: its proceeds already arrive as the assignment's receipt", () => {
    const violation = refusal(() => assertReceiptFromAssignment(clientReceipt(), withAssignment));
    expect(violation).toMatchObject({ code: 'BOND_RECEIPT_BY_ASSIGNMENT', field: 'bondId' });
    expect(violation.message).toContain(receiptId);
  });

  it('refuses an assignment the bond does not hold for this project', () => {
    expect(refusal(() => assertReceiptFromAssignment(clientReceipt({ assignmentId: 'assign-9' }), withAssignment))).toMatchObject({
      code: 'BOND_NOT_ASSIGNED',
      field: 'assignmentId',
    });
  });

  it('accepts exactly the receipt the assignment makes, and refuses one that differs', () => {
    const exact = receiveFundsForAssignment(assigned, 'special').data;
    expect(() => assertReceiptFromAssignment(exact, withAssignment)).not.toThrow();
    expect(refusal(() => assertReceiptFromAssignment({ ...exact, amount: 39_999n }, withAssignment))).toMatchObject({
      code: 'BOND_RECEIPT_MISMATCH',
      field: 'amount',
    });
    expect(refusal(() => assertReceiptFromAssignment({ ...exact, source: 'general-bond' }, withAssignment))).toMatchObject({
      code: 'BOND_RECEIPT_MISMATCH',
      field: 'source',
    });
    expect(refusal(() => assertReceiptFromAssignment({ ...exact, receiptId: 'r-1' }, withAssignment))).toMatchObject({
      code: 'BOND_RECEIPT_MISMATCH',
      field: 'receiptId',
    });
  });
});

describe('the printed precision of an assignment and its reversal', () => {
  it("the receipt keeps the assignment's printed precision: 0.8 亿元 stays known to 0.05 亿元", () => {
    const inYi: BondProceedsAssigned = { ...assigned, data: { ...assigned.data, amount: '80000000.00', printed: { unit: 'yi', decimals: 1 } } };
    const command = receiveFundsForAssignment(inYi, 'special');
    expect(command.data).toMatchObject({ amount: 8_000_000_000n, printed: { unit: 'yi', decimals: 1 } });
    const [event] = decideProject(command, fold([registered]));
    expect(event.data).toMatchObject({ receiptId, amount: '80000000.00', printed: { unit: 'yi', decimals: 1 } });
    expect(receiveFundsForAssignment(assigned, 'special').data).not.toHaveProperty('printed');
  });

  const reversal: BondAssignmentReversed = {
    type: 'BondAssignmentReversed',
    data: { bondId, assignmentId: 'assign-1', projectId, amount: '400.00', reason: 'assigned to the wrong project' },
  };

  it("a reversed assignment reverses exactly its receipt, with the assignment's reason", () => {
    project
      .given([registered, receivedFromBond])
      .when(reverseReceiptForAssignment(reversal))
      .then([
        {
          type: 'ReceiptReversed',
          data: { projectId, receiptId, reason: 'assigned to the wrong project', amount: '400.00', source: 'special-bond', bondId, assignmentId: 'assign-1' },
        },
      ]);
  });

  it('is settled once the receipt is reversed, or when the receipt never arrived; not before', () => {
    expect(assignmentReceiptSettled(fold([registered, receivedFromBond]), reversal)).toBe(false);
    const [reversed] = decideProject(reverseReceiptForAssignment(reversal), fold([registered, receivedFromBond]));
    expect(assignmentReceiptSettled(fold([registered, receivedFromBond, reversed]), reversal)).toBe(true);
    expect(assignmentReceiptSettled(fold([registered]), reversal)).toBe(true);
  });
});
