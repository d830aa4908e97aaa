import type { RecordedEvent } from '@fundtrail/event-store';
import { bondReceiptId, type BondKind, bondSource, isDerivedReceiptId } from '@fundtrail/funding';
import { parseYuan } from '@fundtrail/money';

/**
 * What a link between two streams can be found to be:
 * - receipt-missing: an assignment the bond process has passed, with no receipt in its project;
 * - receipt-pending: the same, but the bond process has not reached it yet (not a failure);
 * - receipt-id-taken: the assignment's receipt id is held by a receipt that is not its receipt;
 * - receipt-differs: its receipt exists but has another amount or source;
 * - unknown-bond: a receipt or an assignment names a bond that was never issued;
 * - no-assignment: a receipt names a bond (or an assignment) it is not the receipt of;
 * - receipt-not-reversed: a reversed assignment whose receipt still counts in its project
 *   (receipt-reversal-pending while the bond process has not reached the reversal);
 * - receipt-reversed-alone: an assignment's receipt reversed while the assignment stands.
 */
export type CrossLinkProblem =
  | 'receipt-missing'
  | 'receipt-pending'
  | 'receipt-id-taken'
  | 'receipt-differs'
  | 'unknown-bond'
  | 'no-assignment'
  | 'receipt-not-reversed'
  | 'receipt-reversal-pending'
  | 'receipt-reversed-alone';

export interface CrossLink {
  problem: CrossLinkProblem;
  /** The event holding the reference. */
  streamId: string;
  eventId: string;
  globalPosition: string;
  projectId: string;
  bondId?: string;
  assignmentId?: string;
  receiptId?: string;
  detail: string;
}

export interface CrossLinkReport {
  ok: boolean;
  /** Bond assignments checked against their project receipts. */
  assignments: number;
  /** Receipts that name a bond or an assignment, or carry a derived id, checked against the bonds. */
  bondReceipts: number;
  broken: CrossLink[];
  /** Assignments whose receipt the bond process has yet to write (beyond its checkpoint). */
  pending: CrossLink[];
}

interface Located {
  streamId: string;
  eventId: string;
  globalPosition: bigint;
}

interface Assignment extends Located {
  bondId: string;
  assignmentId: string;
  projectId: string;
  amount: unknown;
  /** Where the assignment was reversed, if it was. */
  reversal?: Located;
}

interface BondReceipt extends Located {
  projectId: string;
  receiptId: string;
  bondId?: string;
  assignmentId?: string;
  source: unknown;
  amount: unknown;
  reversed?: true;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function sameAmount(a: unknown, b: unknown): boolean {
  try {
    return parseYuan(a) === parseYuan(b);
  } catch {
    return false;
  }
}

/**
 * Checks every link between a bond stream and a project stream: each assignment has its receipt
 * (same amount, bond, assignment and source kind), and each receipt that names a bond is the
 * receipt of one of its assignments. Fed the log in global order; keeps only the links, so memory
 * grows with the number of assignments and bond receipts, not of events.
 */
export class CrossLinkCheck {
  private readonly bondKinds = new Map<string, string>();
  private readonly projects = new Set<string>();
  private readonly assignments: Assignment[] = [];
  private readonly assignmentsById = new Map<string, Assignment>();
  private readonly receipts = new Map<string, BondReceipt>();

  observe(event: RecordedEvent): void {
    const located = { streamId: event.streamId, eventId: event.eventId, globalPosition: event.globalPosition };
    if (event.streamId.startsWith('bond-')) {
      const bondId = event.streamId.slice('bond-'.length);
      if (event.type === 'BondIssued') this.bondKinds.set(bondId, String(event.data.kind));
      if (event.type === 'BondProceedsAssigned') {
        const assignment = {
          ...located,
          bondId,
          assignmentId: String(event.data.assignmentId),
          projectId: String(event.data.projectId),
          amount: event.data.amount,
        };
        this.assignments.push(assignment);
        this.assignmentsById.set(`${bondId}\n${assignment.assignmentId}`, assignment);
      }
      if (event.type === 'BondAssignmentReversed') {
        const assignment = this.assignmentsById.get(`${bondId}\n${String(event.data.assignmentId)}`);
        if (assignment !== undefined) assignment.reversal = located;
      }
    } else if (event.streamId.startsWith('project-')) {
      const projectId = event.streamId.slice('project-'.length);
      if (event.type === 'ProjectRegistered') this.projects.add(projectId);
      const receiptId = text(event.data.receiptId);
      if (event.type === 'ReceiptReversed' && receiptId !== undefined) {
        const receipt = this.receipts.get(receiptKey(projectId, receiptId));
        if (receipt !== undefined) receipt.reversed = true;
        return;
      }
      if (event.type !== 'FundsReceived' || receiptId === undefined) return;
      const bondId = text(event.data.bondId);
      const assignmentId = text(event.data.assignmentId);
      if (bondId === undefined && assignmentId === undefined && !isDerivedReceiptId(receiptId)) return;
      const key = receiptKey(projectId, receiptId);
      if (this.receipts.has(key)) return; // a receipt id is used once per project; a second one is a chain problem
      this.receipts.set(key, { ...located, projectId, receiptId, bondId, assignmentId, source: event.data.source, amount: event.data.amount });
    }
  }

  /** `receivedThrough`: the bond process's checkpoint; a missing receipt beyond it is still due, not missing. */
  report(receivedThrough: bigint, maxLinks = 1000): CrossLinkReport {
    const broken: CrossLink[] = [];
    const pending: CrossLink[] = [];
    const add = (list: CrossLink[], link: CrossLink) => {
      if (list.length < maxLinks) list.push(link);
    };
    const matched = new Set<BondReceipt>();
    for (const assignment of this.assignments) {
      const receiptId = bondReceiptId(assignment.bondId, assignment.assignmentId);
      const { projectId, bondId, assignmentId } = assignment;
      const link = (problem: CrossLinkProblem, detail: string): CrossLink => ({
        problem,
        ...where(assignment),
        projectId,
        bondId,
        assignmentId,
        receiptId,
        detail,
      });
      const kind = this.bondKinds.get(bondId);
      if (kind === undefined) {
        add(broken, link('unknown-bond', `assignment ${assignmentId} is in the stream of bond ${bondId}, which was never issued`));
        continue;
      }
      const receipt = this.receipts.get(receiptKey(projectId, receiptId));
      // reversed before its receipt arrived: the bond process no longer receives it
      if (receipt === undefined && assignment.reversal !== undefined) continue;
      if (receipt === undefined) {
        const why = this.projects.has(projectId) ? `project ${projectId} holds no receipt ${receiptId}` : `project ${projectId} is not registered`;
        if (assignment.globalPosition > receivedThrough) add(pending, link('receipt-pending', `${why} yet; the bond process has not reached this assignment`));
        else add(broken, link('receipt-missing', `${why}: the assignment's proceeds never reached the project`));
        continue;
      }
      if (receipt.bondId !== bondId || receipt.assignmentId !== assignmentId) {
        const names = receipt.bondId === undefined ? 'names no bond' : `names bond ${receipt.bondId}, assignment ${receipt.assignmentId ?? '(none)'}`;
        add(
          broken,
          link('receipt-id-taken', `receipt ${receiptId} of project ${projectId} (event ${receipt.eventId}) is not this assignment's receipt: it ${names}`),
        );
        continue;
      }
      matched.add(receipt);
      const differences: string[] = [];
      if (!sameAmount(receipt.amount, assignment.amount))
        differences.push(`amount ${String(receipt.amount)} where the assignment has ${String(assignment.amount)}`);
      const source = bondSource(kind as BondKind);
      if (receipt.source !== source) differences.push(`source ${String(receipt.source)} where a ${kind} bond gives ${source}`);
      if (differences.length > 0) add(broken, link('receipt-differs', `receipt ${receiptId} (event ${receipt.eventId}) has ${differences.join(' and ')}`));
      const { reversal } = assignment;
      if (reversal !== undefined && !receipt.reversed) {
        const why = `assignment ${assignmentId} was reversed (event ${reversal.eventId}) but receipt ${receiptId} of project ${projectId} still counts`;
        if (reversal.globalPosition > receivedThrough) add(pending, link('receipt-reversal-pending', `${why}; the bond process has not reached the reversal`));
        else add(broken, link('receipt-not-reversed', why));
      }
      if (reversal === undefined && receipt.reversed) {
        add(broken, link('receipt-reversed-alone', `receipt ${receiptId} of project ${projectId} was reversed while assignment ${assignmentId} stands`));
      }
    }
    for (const receipt of this.receipts.values()) {
      if (matched.has(receipt) || (receipt.bondId === undefined && receipt.assignmentId === undefined)) continue;
      const { projectId, receiptId, bondId, assignmentId } = receipt;
      const link = (problem: CrossLinkProblem, detail: string): CrossLink => ({
        problem,
        ...where(receipt),
        projectId,
        ...(bondId !== undefined && { bondId }),
        ...(assignmentId !== undefined && { assignmentId }),
        receiptId,
        detail,
      });
      if (bondId !== undefined && !this.bondKinds.has(bondId)) {
        add(broken, link('unknown-bond', `receipt ${receiptId} of project ${projectId} names bond ${bondId}, which was never issued`));
      } else {
        const of =
          bondId === undefined
            ? `assignment ${assignmentId} without a bond`
            : `bond ${bondId}${assignmentId === undefined ? '' : `, assignment ${assignmentId}`}`;
        add(broken, link('no-assignment', `receipt ${receiptId} of project ${projectId} names ${of}, but is the receipt of no assignment to this project`));
      }
    }
    return { ok: broken.length === 0, assignments: this.assignments.length, bondReceipts: this.receipts.size, broken, pending };
  }
}

const receiptKey = (projectId: string, receiptId: string) => `${projectId}\n${receiptId}`;

const where = (event: Located) => ({ streamId: event.streamId, eventId: event.eventId, globalPosition: event.globalPosition.toString() });
