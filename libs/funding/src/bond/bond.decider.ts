import { formatYuan, parseYuan, type Fen } from '@fundtrail/money';
import { printedFor } from '../shared/printed';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { withoutUndefined } from '../shared/event-data';
import { PersistentMap } from '../shared/persistent-map';
import type { BondKind } from '../shared/vocabulary';
import type { AssignBondProceeds, BondCommand, IssueBond, ReverseBondAssignment } from './bond.commands';
import type { BondAssignmentReversed, BondEvent, BondIssued, BondProceedsAssigned } from './bond.events';

/** Reversed ones stay (an assignment id is never reused) and count for nothing. */
export type BondAssignment = { projectId: string; amount: Fen; reversed?: true };

export type IssuedBond = {
  status: 'issued';
  bondId: string;
  kind: BondKind;
  amount: Fen;
  assignments: PersistentMap<BondAssignment>;
  /** Net of reversed assignments. */
  assignedTotal: Fen;
};

export type BondState = { status: 'initial' } | IssuedBond;

export const initialBondState: BondState = { status: 'initial' };

/** Proceeds not yet assigned to a project. */
export function unassignedProceeds(bond: IssuedBond): Fen {
  return bond.amount - bond.assignedTotal;
}

// ---------------------------------------------------------------------------
// evolve
// ---------------------------------------------------------------------------

export function evolveBond(state: BondState, event: BondEvent): BondState {
  if (state.status === 'initial') {
    return event.type === 'BondIssued' ? bondIssued(event.data) : state;
  }
  switch (event.type) {
    case 'BondIssued':
      return state; // a stream issues its bond once
    case 'BondProceedsAssigned':
      return proceedsAssigned(state, event.data);
    case 'BondAssignmentReversed':
      return {
        ...state,
        assignments: state.assignments.update(event.data.assignmentId, (a) => ({ ...a, reversed: true })),
        assignedTotal: state.assignedTotal - parseYuan(event.data.amount),
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

function bondIssued(data: BondIssued['data']): IssuedBond {
  return {
    status: 'issued',
    bondId: data.bondId,
    kind: data.kind,
    amount: parseYuan(data.amount),
    assignments: PersistentMap.empty(),
    assignedTotal: 0n,
  };
}

function proceedsAssigned(bond: IssuedBond, data: BondProceedsAssigned['data']): IssuedBond {
  const amount = parseYuan(data.amount);
  return {
    ...bond,
    assignments: bond.assignments.set(data.assignmentId, { projectId: data.projectId, amount }),
    assignedTotal: bond.assignedTotal + amount,
  };
}

// ---------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------

export function decideBond(command: BondCommand, state: BondState): BondEvent[] {
  switch (command.type) {
    case 'IssueBond':
      return [issueBond(command.data, state)];
    case 'AssignBondProceeds':
      return [assignBondProceeds(command.data, issued(state, command.data.bondId))];
    case 'ReverseBondAssignment':
      return [reverseBondAssignment(command, issued(state, command.data.bondId))];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function issued(state: BondState, bondId: string): IssuedBond {
  if (state.status !== 'issued') {
    throw new FundingRuleViolation('BOND_NOT_FOUND', `Bond ${bondId} has not been issued`, 'bondId');
  }
  return state;
}

function issueBond(data: IssueBond['data'], state: BondState): BondIssued {
  if (state.status !== 'initial') {
    throw new FundingRuleViolation('DUPLICATE_ID', `Bond ${data.bondId} is already issued`, 'bondId');
  }
  return {
    type: 'BondIssued',
    data: withoutUndefined({
      bondId: data.bondId,
      name: data.name,
      kind: data.kind,
      amount: formatYuan(data.amount),
      issueDate: data.issueDate,
      termYears: data.termYears,
      couponRate: data.couponRate,
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

function assignBondProceeds(data: AssignBondProceeds['data'], bond: IssuedBond): BondProceedsAssigned {
  if (bond.assignments.has(data.assignmentId)) {
    throw new FundingRuleViolation('DUPLICATE_ID', `Assignment ${data.assignmentId} already exists on bond ${data.bondId}`, 'assignmentId');
  }
  const unassigned = unassignedProceeds(bond);
  if (data.amount > unassigned) {
    throw new FundingRuleViolation(
      'BOND_OVER_ASSIGNED',
      `Bond ${data.bondId} has ${formatYuan(unassigned)} yuan unassigned; requested ${formatYuan(data.amount)} yuan`,
      'amount',
    );
  }
  return {
    type: 'BondProceedsAssigned',
    data: withoutUndefined({
      bondId: data.bondId,
      assignmentId: data.assignmentId,
      projectId: data.projectId,
      amount: formatYuan(data.amount),
      printed: printedFor(data.amount, data.printed),
    }),
  };
}

function reverseBondAssignment(command: ReverseBondAssignment, bond: IssuedBond): BondAssignmentReversed {
  const { data } = command;
  const assignment = bond.assignments.get(data.assignmentId);
  if (assignment === undefined) {
    throw new FundingRuleViolation('ASSIGNMENT_NOT_FOUND', `Assignment ${data.assignmentId} does not exist on bond ${data.bondId}`, 'assignmentId');
  }
  if (assignment.reversed) {
    throw new FundingRuleViolation('ALREADY_REVERSED', `Assignment ${data.assignmentId} is already reversed`, 'assignmentId');
  }
  if (command.lookedUp.projectReceiptInUse) {
    throw new FundingRuleViolation(
      'RECEIPT_IN_USE',
      `Project ${assignment.projectId} has drawn on or approved against the receipt of assignment ${data.assignmentId}`,
      'assignmentId',
    );
  }
  return {
    type: 'BondAssignmentReversed',
    data: {
      bondId: data.bondId,
      assignmentId: data.assignmentId,
      projectId: assignment.projectId,
      amount: formatYuan(assignment.amount),
      reason: data.reason,
    },
  };
}
