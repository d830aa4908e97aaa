import { createHash } from 'node:crypto';
import { parseYuan } from '@fundtrail/money';
import type { ReceiveFunds } from '../project/project.commands';
import type { ProjectState } from '../project/project.decider';
import { bondSource, type BondKind } from '../shared/vocabulary';
import type { BondProceedsAssigned } from './bond.events';

/**
 * The receipt id a bond assignment arrives under: the same (bondId, assignmentId) always
 * gives the same id, so a retried or replayed assignment names the receipt it already made,
 * and the project decider refuses the second one with DUPLICATE_ID instead of counting the
 * money twice. `bond-` + 24 hex digits (96 bits) is a valid slug whatever the input lengths;
 * '/' cannot occur in a slug, so no two (bondId, assignmentId) pairs share a hash input.
 */
export function bondReceiptId(bondId: string, assignmentId: string): string {
  const digest = createHash('sha256').update(`${bondId}/${assignmentId}`).digest('hex');
  return `bond-${digest.slice(0, 24)}`;
}

/** BondProceedsAssigned (bond stream) -> ReceiveFunds (the project's stream). */
export function receiveFundsForAssignment(event: BondProceedsAssigned, bondKind: BondKind): ReceiveFunds {
  const { bondId, assignmentId, projectId, amount } = event.data;
  return {
    type: 'ReceiveFunds',
    data: {
      projectId,
      receiptId: bondReceiptId(bondId, assignmentId),
      source: bondSource(bondKind),
      amount: parseYuan(amount),
      bondId,
      assignmentId,
    },
  };
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
