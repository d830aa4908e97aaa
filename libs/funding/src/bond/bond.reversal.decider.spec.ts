import { parseAmount, parseYuan } from '@fundtrail/money';
import { spec } from '../testing/decider-spec';
import type { AssignBondProceeds, ReverseBondAssignment } from './bond.commands';
import { decideBond, evolveBond, initialBondState } from './bond.decider';
import type { BondAssignmentReversed, BondIssued, BondProceedsAssigned } from './bond.events';

const bondId = 'yunnan-special-2024-03';
const bond = spec(decideBond, evolveBond, initialBondState);

const issued: BondIssued = {
  type: 'BondIssued',
  data: { bondId, name: '2024年云南省专项债券（三期）', kind: 'special', amount: '1000.00', issueDate: '2024-03-15' },
};
const assigned = (assignmentId: string, amount: string, projectId = 'county-road'): BondProceedsAssigned => ({
  type: 'BondProceedsAssigned',
  data: { bondId, assignmentId, projectId, amount },
});
const reversed = (assignmentId: string, amount: string, projectId = 'county-road'): BondAssignmentReversed => ({
  type: 'BondAssignmentReversed',
  data: { bondId, assignmentId, projectId, amount, reason: 'assigned to the wrong project' },
});
const reverse = (assignmentId: string, projectReceiptInUse = false): ReverseBondAssignment => ({
  type: 'ReverseBondAssignment',
  data: { bondId, assignmentId, reason: 'assigned to the wrong project' },
  lookedUp: { projectReceiptInUse },
});
const assign = (assignmentId: string, amount: string): AssignBondProceeds => ({
  type: 'AssignBondProceeds',
  data: { bondId, assignmentId, projectId: 'other-road', amount: parseYuan(amount) },
});

describe('ReverseBondAssignment', () => {
  const history = [issued, assigned('as-1', '600.00'), assigned('as-2', '400.00', 'bridge')];

  it('reverses an assignment, repeating its project and amount', () => {
    bond
      .given(history)
      .when(reverse('as-2'))
      .then([reversed('as-2', '400.00', 'bridge')]);
  });

  it('makes the proceeds assignable again, exactly', () => {
    const after = [...history, reversed('as-2', '400.00', 'bridge')];
    bond
      .given(after)
      .when(assign('as-3', '400.00'))
      .then([
        {
          type: 'BondProceedsAssigned',
          data: { bondId, assignmentId: 'as-3', projectId: 'other-road', amount: '400.00' },
        },
      ]);
    bond.given(after).when(assign('as-3', '400.01')).thenThrows('BOND_OVER_ASSIGNED');
    const state = after.reduce(evolveBond, initialBondState);
    expect(state).toMatchObject({ assignedTotal: 60_000n });
  });

  it('keeps a reversed assignment id taken', () => {
    bond
      .given([...history, reversed('as-2', '400.00', 'bridge')])
      .when(assign('as-2', '1.00'))
      .thenThrows('DUPLICATE_ID', { field: 'assignmentId' });
  });

  it('refuses when the project has drawn on or approved against the receipt (RECEIPT_IN_USE)', () => {
    bond
      .given(history)
      .when(reverse('as-1', true))
      .thenThrows('RECEIPT_IN_USE', { field: 'assignmentId', message: /county-road/ });
  });

  it('refuses an unknown assignment (404), a second reversal, and an unissued bond', () => {
    bond.given(history).when(reverse('as-9')).thenThrows('ASSIGNMENT_NOT_FOUND', { field: 'assignmentId' });
    bond
      .given([...history, reversed('as-1', '600.00')])
      .when(reverse('as-1'))
      .thenThrows('ALREADY_REVERSED', { field: 'assignmentId' });
    bond.given([]).when(reverse('as-1')).thenThrows('BOND_NOT_FOUND', { field: 'bondId' });
  });
});

describe('printed precision on bond events', () => {
  it('is kept on issue and assignment when typed in 亿元', () => {
    const issuedAmount = parseAmount('0.5', 'yi');
    bond
      .given([])
      .when({
        type: 'IssueBond',
        data: {
          bondId,
          name: 'n',
          kind: 'special',
          amount: issuedAmount.fen,
          issueDate: '2024-03-15',
          printed: issuedAmount.printed,
        },
      })
      .then([
        {
          type: 'BondIssued',
          data: {
            bondId,
            name: 'n',
            kind: 'special',
            amount: '50000000.00',
            issueDate: '2024-03-15',
            printed: { unit: 'yi', decimals: 1 },
          },
        },
      ]);
    bond
      .given([issued])
      .when({
        type: 'AssignBondProceeds',
        data: { bondId, assignmentId: 'as-1', projectId: 'p', amount: 100_000n, printed: { unit: 'wan', decimals: 1 } },
      })
      .then([
        {
          type: 'BondProceedsAssigned',
          data: {
            bondId,
            assignmentId: 'as-1',
            projectId: 'p',
            amount: '1000.00',
            printed: { unit: 'wan', decimals: 1 },
          },
        },
      ]);
  });
});
