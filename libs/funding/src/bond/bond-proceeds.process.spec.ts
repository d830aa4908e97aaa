import { SLUG_PATTERN } from '../shared/vocabulary';
import { decideProject, evolveProject, initialProjectState } from '../project/project.decider';
import type { FundsReceived, ProjectEvent, ProjectRegistered } from '../project/project.events';
import { spec } from '../testing/decider-spec';
import { assignmentAlreadyReceived, bondReceiptId, receiveFundsForAssignment } from './bond-proceeds.process';
import type { BondProceedsAssigned } from './bond.events';

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
    project
      .given([registered, receivedFromBond])
      .when(receiveFundsForAssignment(assigned, 'special'))
      .thenThrows('DUPLICATE_ID', { field: 'receiptId' });
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
