import { formatYuan, parseYuan } from '@fundtrail/money';
import type { EventLike } from '../figures';

/** A bond issue as the read side shows it: issued, assigned, and to which projects. */
export interface BondDetails {
  bondId: string;
  name: string;
  kind: string;
  amount: string;
  issueDate: string;
  termYears?: number;
  couponRate?: string;
  /** Net of reversed assignments. */
  assignedTotal: string;
  /** Reversed ones stay listed, marked, with the reason. */
  assignments: Record<string, { projectId: string; amount: string; reversed?: true; reversalReason?: string }>;
}

export function emptyBondDetails(bondId: string): BondDetails {
  return { bondId, name: '', kind: '', amount: '0.00', issueDate: '', assignedTotal: '0.00', assignments: {} };
}

export function foldBondDetails(details: BondDetails, event: EventLike): BondDetails {
  const data = event.data;
  if (event.type === 'BondIssued') {
    details.name = String(data.name);
    details.kind = String(data.kind);
    details.amount = String(data.amount);
    details.issueDate = String(data.issueDate);
    if (typeof data.termYears === 'number') details.termYears = data.termYears;
    if (typeof data.couponRate === 'string') details.couponRate = data.couponRate;
  } else if (event.type === 'BondProceedsAssigned') {
    details.assignments[String(data.assignmentId)] = { projectId: String(data.projectId), amount: String(data.amount) };
    details.assignedTotal = formatYuan(parseYuan(details.assignedTotal, { allowZero: true }) + parseYuan(data.amount));
  } else if (event.type === 'BondAssignmentReversed') {
    const assignment = details.assignments[String(data.assignmentId)];
    if (assignment !== undefined) {
      assignment.reversed = true;
      assignment.reversalReason = String(data.reason);
    }
    const assigned = parseYuan(details.assignedTotal, { allowZero: true }) - parseYuan(data.amount);
    details.assignedTotal = formatYuan(assigned);
  }
  return details;
}
