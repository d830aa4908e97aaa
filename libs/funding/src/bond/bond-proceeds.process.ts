import { formatYuan, parseYuan } from '@fundtrail/money';
import type { ReceiveFunds, ReverseBondReceipt } from '../project/project.commands';
import { decideProject, type ProjectState } from '../project/project.decider';
import { bondReceiptId } from '../shared/derived-ids';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { bondSource, type BondKind } from '../shared/vocabulary';
import type { AssignBondProceeds } from './bond.commands';
import type { BondState } from './bond.decider';
import type { BondAssignmentReversed, BondProceedsAssigned } from './bond.events';

export { bondReceiptId } from '../shared/derived-ids';

/** Checkpoint of the process that receives assignments: verify reads it to tell a receipt still due from a missing one. */
export const BOND_PROCEEDS_CHECKPOINT = 'bond-proceeds-receiver';

/** BondProceedsAssigned (bond stream) -> ReceiveFunds (the project's stream). */
export function receiveFundsForAssignment(event: BondProceedsAssigned, bondKind: BondKind): ReceiveFunds {
  const { bondId, assignmentId, projectId, amount, printed } = event.data;
  return {
    type: 'ReceiveFunds',
    data: {
      projectId,
      receiptId: bondReceiptId(bondId, assignmentId),
      source: bondSource(bondKind),
      amount: parseYuan(amount),
      bondId,
      assignmentId,
      // The receipt repeats the assignment's amount, so it is known exactly as well as that was printed.
      ...(printed !== undefined && { printed }),
    },
  };
}

/** BondAssignmentReversed (bond stream) -> ReverseBondReceipt (the project's stream): the proceeds never arrived. */
export function reverseReceiptForAssignment(event: BondAssignmentReversed): ReverseBondReceipt {
  const { bondId, assignmentId, projectId, reason } = event.data;
  return {
    type: 'ReverseBondReceipt',
    data: { projectId, receiptId: bondReceiptId(bondId, assignmentId), bondId, assignmentId, reason },
  };
}

/**
 * Whether the project has nothing left to reverse for this assignment: its receipt is reversed
 * already (a retry), or was never written (the assignment was reversed before its receipt arrived).
 */
export function assignmentReceiptSettled(project: ProjectState, event: BondAssignmentReversed): boolean {
  if (project.status !== 'registered') return true;
  const receipt = project.receipts.get(bondReceiptId(event.data.bondId, event.data.assignmentId));
  if (receipt?.bondId !== event.data.bondId || receipt.assignmentId !== event.data.assignmentId) return true;
  return receipt.reversed === true;
}

/**
 * True when the project already holds the receipt this assignment produces. Lets the handler
 * treat a retry as done without mistaking a client receipt that happens to carry the same id.
 */
export function assignmentAlreadyReceived(project: ProjectState, event: BondProceedsAssigned): boolean {
  if (project.status !== 'registered') return false;
  const receipt = project.receipts.get(bondReceiptId(event.data.bondId, event.data.assignmentId));
  return receipt?.bondId === event.data.bondId && receipt.assignmentId === event.data.assignmentId;
}

/**
 * Refuses an assignment whose receipt the project could not take, before the assignment is
 * appended: the bond stream must never record proceeds that its project will not receive.
 * Whatever the project decider would refuse the receipt for is refused here, on the assignment.
 */
export function assertAssignmentReceivable(assignment: AssignBondProceeds['data'], bondKind: BondKind, project: ProjectState): void {
  const { bondId, assignmentId, projectId } = assignment;
  const receipt = receiveFundsForAssignment(
    { type: 'BondProceedsAssigned', data: { bondId, assignmentId, projectId, amount: formatYuan(assignment.amount) } },
    bondKind,
  );
  try {
    decideProject(receipt, project);
  } catch (error) {
    if (!(error instanceof FundingRuleViolation)) throw error;
    if (error.code === 'PROJECT_NOT_FOUND') {
      throw new FundingRuleViolation('UNKNOWN_PROJECT', `project ${projectId} does not exist`, 'projectId');
    }
    if (error.code === 'DUPLICATE_ID' && error.field === 'receiptId') {
      throw new FundingRuleViolation(
        'ASSIGNMENT_RECEIPT_TAKEN',
        `project ${projectId} already holds a receipt ${receipt.data.receiptId}, the id this assignment's proceeds would arrive under; choose another assignmentId`,
        'assignmentId',
      );
    }
    throw error;
  }
}

/**
 * A receipt that names a bond (or an assignment) must be the receipt of one of that bond's
 * assignments to its project, as the assignment made it: any other would point at proceeds never
 * assigned there, or count assigned proceeds twice. Receipts that name neither are not checked here.
 */
export function assertReceiptFromAssignment(receipt: ReceiveFunds['data'], bond: BondState): void {
  const { bondId, assignmentId, projectId } = receipt;
  if (bondId === undefined) {
    if (assignmentId === undefined) return;
    throw new FundingRuleViolation('BOND_RECEIPT_MISMATCH', `A receipt of assignment ${assignmentId} must name its bond`, 'bondId');
  }
  if (bond.status !== 'issued') {
    throw new FundingRuleViolation('UNKNOWN_BOND', `Bond ${bondId} has not been issued`, 'bondId');
  }
  const assignment = assignmentId === undefined ? undefined : bond.assignments.get(assignmentId);
  if (assignment === undefined || assignment.projectId !== projectId) {
    if (assignmentId !== undefined) {
      throw new FundingRuleViolation('BOND_NOT_ASSIGNED', `Bond ${bondId} has no assignment ${assignmentId} to project ${projectId}`, 'assignmentId');
    }
    const here = [...bond.assignments].filter(([, a]) => a.projectId === projectId).map(([id]) => id);
    if (here.length === 0) {
      throw new FundingRuleViolation('BOND_NOT_ASSIGNED', `Bond ${bondId} assigned no proceeds to project ${projectId}`, 'bondId');
    }
    const receipts = here.slice(0, 5).map((id) => `${id} (receipt ${bondReceiptId(bondId, id)})`);
    throw new FundingRuleViolation(
      'BOND_RECEIPT_BY_ASSIGNMENT',
      `Bond ${bondId}'s proceeds reach project ${projectId} as the receipts of its assignments ${receipts.join(', ')}${here.length > 5 ? ', …' : ''}; a receipt may not name the bond itself`,
      'bondId',
    );
  }
  const expected = receiveFundsForAssignment(
    { type: 'BondProceedsAssigned', data: { bondId, assignmentId: assignmentId!, projectId, amount: formatYuan(assignment.amount) } },
    bond.kind,
  ).data;
  for (const field of ['receiptId', 'source', 'amount'] as const) {
    if (receipt[field] !== expected[field]) {
      const show = (value: unknown) => (typeof value === 'bigint' ? formatYuan(value) : String(value));
      throw new FundingRuleViolation(
        'BOND_RECEIPT_MISMATCH',
        `The receipt of assignment ${assignmentId} of bond ${bondId} has ${field} ${show(expected[field])}, not ${show(receipt[field])}`,
        field,
      );
    }
  }
}
