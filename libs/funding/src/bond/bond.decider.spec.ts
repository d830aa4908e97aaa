import { parseYuan } from '@fundtrail/money';
import { spec } from '../testing/decider-spec';
import type { AssignBondProceeds, IssueBond } from './bond.commands';
import { PersistentMap } from '../shared/persistent-map';
import { decideBond, evolveBond, initialBondState } from './bond.decider';
import type { BondIssued, BondProceedsAssigned } from './bond.events';

const bondId = 'gd-special-2024-07';
const bond = spec(decideBond, evolveBond, initialBondState);

const issued: BondIssued = {
  type: 'BondIssued',
  data: {
    bondId,
    name: '2024 Guangdong special bond (7th)',
    kind: 'special',
    amount: '1000.00',
    issueDate: '2024-07-15',
  },
};
const assigned = (assignmentId: string, amount: string, projectId = 'xishan-ring-road'): BondProceedsAssigned => ({
  type: 'BondProceedsAssigned',
  data: { bondId, assignmentId, projectId, amount },
});
const assign = (assignmentId: string, amount: string, projectId = 'xishan-ring-road'): AssignBondProceeds => ({
  type: 'AssignBondProceeds',
  data: { bondId, assignmentId, projectId, amount: parseYuan(amount) },
});
const issue: IssueBond = { type: 'IssueBond', data: { ...issued.data, amount: parseYuan('1000') } };

describe('IssueBond', () => {
  it('issues a bond', () => {
    bond.given([]).when(issue).then([issued]);
  });

  it('keeps its term and coupon rate when given', () => {
    bond
      .given([])
      .when({ type: 'IssueBond', data: { ...issue.data, termYears: 10, couponRate: '2.27' } })
      .then([{ type: 'BondIssued', data: { ...issued.data, termYears: 10, couponRate: '2.27' } }]);
  });

  it('leaves absent optional fields out of the event', () => {
    bond
      .given([])
      .when({ type: 'IssueBond', data: { ...issue.data, termYears: undefined, couponRate: undefined } })
      .then([issued]);
  });

  it('refuses a bond already issued', () => {
    bond.given([issued]).when(issue).thenThrows('DUPLICATE_ID', { field: 'bondId' });
  });
});

describe('AssignBondProceeds', () => {
  it('assigns proceeds to a project', () => {
    bond
      .given([issued])
      .when(assign('assign-1', '400'))
      .then([assigned('assign-1', '400.00')]);
  });

  it('refuses a bond not issued', () => {
    bond.given([]).when(assign('assign-1', '1.00')).thenThrows('BOND_NOT_FOUND');
  });

  it('refuses an assignment id already used', () => {
    bond
      .given([issued, assigned('assign-1', '1.00')])
      .when(assign('assign-1', '1.00', 'another-project'))
      .thenThrows('DUPLICATE_ID', { field: 'assignmentId' });
  });

  it('assigns exactly what is left of the issue, across projects', () => {
    bond
      .given([issued, assigned('assign-1', '400.00'), assigned('assign-2', '500.00', 'east-school')])
      .when(assign('assign-3', '100.00'))
      .then([assigned('assign-3', '100.00')]);
  });

  it('refuses to assign more than was issued', () => {
    bond
      .given([issued, assigned('assign-1', '400.00'), assigned('assign-2', '500.00', 'east-school')])
      .when(assign('assign-3', '100.01'))
      .thenThrows('BOND_OVER_ASSIGNED', {
        field: 'amount',
        message: /100\.00 yuan unassigned; requested 100\.01 yuan/,
      });
  });
});

describe('evolveBond', () => {
  it('sums the assigned proceeds in fen', () => {
    const state = [issued, assigned('assign-1', '400.00'), assigned('assign-2', '0.01')].reduce(evolveBond, initialBondState);
    expect(state).toEqual({
      status: 'issued',
      bondId,
      kind: 'special',
      amount: 100_000n,
      assignedTotal: 40_001n,
      assignments: PersistentMap.of([
        ['assign-1', { projectId: 'xishan-ring-road', amount: 40_000n }],
        ['assign-2', { projectId: 'xishan-ring-road', amount: 1n }],
      ]),
    });
  });
});
