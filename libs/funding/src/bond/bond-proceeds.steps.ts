import { Injectable } from '@nestjs/common';
import type { AppendResult } from '@fundtrail/event-store';
import { FundingRepositories } from '../application/funding-repositories';
import type { CommandContext } from '../application/command-context';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { bondStreamId, projectStreamId } from '../shared/vocabulary';
import type { BondAssignmentReversal } from '../application/funding.commands';
import { decideProject, receiptInUse } from '../project/project.decider';
import type { AssignBondProceeds, ReverseBondAssignment } from './bond.commands';
import { decideBond } from './bond.decider';
import type { BondAssignmentReversed, BondProceedsAssigned } from './bond.events';
import {
  assertAssignmentReceivable,
  assignmentAlreadyReceived,
  assignmentReceiptSettled,
  bondReceiptId,
  receiveFundsForAssignment,
  reverseReceiptForAssignment,
} from './bond-proceeds.process';

/**
 * The bond process manager's steps against the project's stream: the checks before an assignment
 * is appended, the receipt of its proceeds, and the reversal of that receipt. The bond command
 * handler runs them right after its append; the catch-up runs them again for what a crash left undone.
 */
@Injectable()
export class BondProceedsSteps {
  constructor(private readonly repositories: FundingRepositories) {}

  /**
   * Everything that would refuse the assignment or its receipt is checked before the bond stream
   * is appended to: the project exists, the bond's own rules (a retried assignment is a DUPLICATE_ID
   * assignment, not a taken receipt), then the project's. Nothing can take the derived receipt id in
   * between: clients cannot write it, and only this assignment's receipt carries it.
   */
  async assertAssignable(command: AssignBondProceeds): Promise<void> {
    const project = await this.repositories.projects.load(projectStreamId(command.data.projectId));
    if (project.state.status !== 'registered') {
      throw new FundingRuleViolation('UNKNOWN_PROJECT', `project ${command.data.projectId} does not exist`, 'projectId');
    }
    const bond = (await this.repositories.bonds.load(bondStreamId(command.data.bondId))).state;
    decideBond(command, bond);
    if (bond.status === 'issued') assertAssignmentReceivable(command.data, bond.kind, project.state);
  }

  /**
   * The assignment is reversed only when its project can reverse the receipt of it: the bond's own
   * rules first (404, ALREADY_REVERSED), then the project's (RECEIPT_IN_USE, INSUFFICIENT_FUNDS), all
   * before anything is appended. Answers the command with the project looked up, and the reversal it makes.
   */
  async checkedReversal(request: BondAssignmentReversal): Promise<{ command: ReverseBondAssignment; reversal: BondAssignmentReversed }> {
    const { bondId, assignmentId } = request.data;
    const bond = (await this.repositories.bonds.load(bondStreamId(bondId))).state;
    const [unchecked] = decideBond({ ...request, lookedUp: { projectReceiptInUse: false } }, bond) as [BondAssignmentReversed];
    const project = (await this.repositories.projects.load(projectStreamId(unchecked.data.projectId))).state;
    const receipt = project.status === 'registered' ? project.receipts.get(bondReceiptId(bondId, assignmentId)) : undefined;
    const ownReceipt = receipt?.bondId === bondId && receipt.assignmentId === assignmentId ? receipt : undefined;
    const command: ReverseBondAssignment = { ...request, lookedUp: { projectReceiptInUse: ownReceipt !== undefined && receiptInUse(ownReceipt) } };
    const [reversal] = decideBond(command, bond) as [BondAssignmentReversed];
    if (!assignmentReceiptSettled(project, reversal)) decideProject(reverseReceiptForAssignment(reversal), project);
    return { command, reversal };
  }

  /**
   * The project receives an assignment's proceeds under a deterministic receipt id, so running
   * this twice for one assignment receives once.
   */
  async receiveAssignedProceeds(assignment: BondProceedsAssigned, context: CommandContext): Promise<AppendResult | undefined> {
    const bond = (await this.repositories.bonds.load(bondStreamId(assignment.data.bondId))).state;
    if (bond.status !== 'issued') {
      throw new FundingRuleViolation('BOND_NOT_FOUND', `Bond ${assignment.data.bondId} has an assignment but was never issued`, 'bondId');
    }
    // reversed before its receipt arrived: there are no proceeds to receive any more
    if (bond.assignments.get(assignment.data.assignmentId)?.reversed) return undefined;
    const streamId = projectStreamId(assignment.data.projectId);
    try {
      return await this.repositories.projects.handle(streamId, receiveFundsForAssignment(assignment, bond.kind), context);
    } catch (error) {
      if (error instanceof FundingRuleViolation && error.code === 'DUPLICATE_ID') {
        const { state } = await this.repositories.projects.load(streamId);
        if (assignmentAlreadyReceived(state, assignment)) return undefined;
      }
      throw error;
    }
  }

  /** A reversed assignment's receipt is reversed too. Running it again for one reversal reverses once. */
  async reverseAssignedReceipt(reversal: BondAssignmentReversed, context: CommandContext): Promise<AppendResult | undefined> {
    const streamId = projectStreamId(reversal.data.projectId);
    const { state } = await this.repositories.projects.load(streamId);
    if (assignmentReceiptSettled(state, reversal)) return undefined;
    return this.repositories.projects.handle(streamId, reverseReceiptForAssignment(reversal), context);
  }
}
