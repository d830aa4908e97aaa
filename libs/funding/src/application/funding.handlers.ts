import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type AppendResult, EVENT_STORE, type EventStore } from '@fundtrail/event-store';
import type { AssignBondProceeds, BondCommand, ReverseBondAssignment } from '../bond/bond.commands';
import { decideBond, evolveBond, initialBondState, type BondState } from '../bond/bond.decider';
import type { BondAssignmentReversed, BondEvent, BondProceedsAssigned } from '../bond/bond.events';
import {
  assertAssignmentReceivable,
  assertReceiptFromAssignment,
  assignmentAlreadyReceived,
  assignmentReceiptSettled,
  bondReceiptId,
  receiveFundsForAssignment,
  reverseReceiptForAssignment,
} from '../bond/bond-proceeds.process';
import type { ProjectCommand, ReceiveFunds } from '../project/project.commands';
import { decideProject, evolveProject, initialProjectState, type ProjectState, receiptInUse } from '../project/project.decider';
import type { ProjectEvent } from '../project/project.events';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { formatYuan } from '@fundtrail/money';
import type { ProgrammeCommand } from '../programme/programme.commands';
import { decideProgramme, evolveProgramme, initialProgrammeState, type ProgrammeState } from '../programme/programme.decider';
import type { ProgrammeEvent } from '../programme/programme.events';
import { bondStreamId, programmeStreamId, projectStreamId } from '../shared/vocabulary';
import { AggregateRepository } from './aggregate-repository';
import type { CommandContext } from './command-context';
import { type BondAssignmentReversal, ExecuteBondCommand, ExecuteProgrammeCommand, ExecuteProjectCommand } from './funding.commands';

/** The two aggregates' repositories, shared by every handler of this process. */
@Injectable()
export class FundingRepositories {
  readonly projects: AggregateRepository<ProjectCommand, ProjectEvent, ProjectState>;
  readonly bonds: AggregateRepository<BondCommand, BondEvent, BondState>;
  readonly programmes: AggregateRepository<ProgrammeCommand, ProgrammeEvent, ProgrammeState>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.projects = new AggregateRepository(store, { initial: initialProjectState, evolve: evolveProject, decide: decideProject });
    this.bonds = new AggregateRepository(store, { initial: initialBondState, evolve: evolveBond, decide: decideBond });
    this.programmes = new AggregateRepository(store, { initial: initialProgrammeState, evolve: evolveProgramme, decide: decideProgramme });
  }

  async programmeRegistered(programmeId: string): Promise<boolean> {
    return (await this.programmes.load(programmeStreamId(programmeId))).state.status === 'registered';
  }

  /**
   * The bond process manager's step: the project receives an assignment's proceeds under a
   * deterministic receipt id, so running it twice for one assignment receives once.
   */
  async receiveAssignedProceeds(assignment: BondProceedsAssigned, context: CommandContext): Promise<AppendResult | undefined> {
    const bond = (await this.bonds.load(bondStreamId(assignment.data.bondId))).state;
    if (bond.status !== 'issued') {
      throw new FundingRuleViolation('BOND_NOT_FOUND', `Bond ${assignment.data.bondId} has an assignment but was never issued`, 'bondId');
    }
    // reversed before its receipt arrived: there are no proceeds to receive any more
    if (bond.assignments.get(assignment.data.assignmentId)?.reversed) return undefined;
    const streamId = projectStreamId(assignment.data.projectId);
    try {
      return await this.projects.handle(streamId, receiveFundsForAssignment(assignment, bond.kind), context);
    } catch (error) {
      if (error instanceof FundingRuleViolation && error.code === 'DUPLICATE_ID') {
        const { state } = await this.projects.load(streamId);
        if (assignmentAlreadyReceived(state, assignment)) return undefined;
      }
      throw error;
    }
  }

  /**
   * The bond process manager's step for a reversed assignment: the project's receipt of it is
   * reversed too. Running it again for one reversal reverses once.
   */
  async reverseAssignedReceipt(reversal: BondAssignmentReversed, context: CommandContext): Promise<AppendResult | undefined> {
    const streamId = projectStreamId(reversal.data.projectId);
    const { state } = await this.projects.load(streamId);
    if (assignmentReceiptSettled(state, reversal)) return undefined;
    return this.projects.handle(streamId, reverseReceiptForAssignment(reversal), context);
  }
}

@CommandHandler(ExecuteProjectCommand)
export class ProjectCommandHandler implements ICommandHandler<ExecuteProjectCommand, AppendResult> {
  constructor(private readonly repositories: FundingRepositories) {}

  async execute({ command: asSent, context }: ExecuteProjectCommand): Promise<AppendResult> {
    const streamId = projectStreamId(asSent.data.projectId);
    const command = await this.withProgrammeLookedUp(asSent);
    if (command.type === 'ReceiveFunds' && (command.data.bondId !== undefined || command.data.assignmentId !== undefined)) {
      await this.assertBondLink(streamId, command.data);
    }
    return this.repositories.projects.handle(streamId, command, context);
  }

  /** A programme is never deleted, so a programme found registered here is still registered at the append. */
  private async withProgrammeLookedUp(command: ProjectCommand): Promise<ProjectCommand> {
    if (command.type !== 'RegisterProject' && command.type !== 'ChangeProjectProgramme') return command;
    const { programmeId } = command.data;
    if (programmeId === undefined) return command;
    return { ...command, lookedUp: { programmeRegistered: await this.repositories.programmeRegistered(programmeId) } };
  }

  /**
   * A receipt naming a bond or an assignment is checked against the bond's stream. Bonds only ever gain
   * assignments, so what this check sees stays true when the receipt is appended.
   */
  private async assertBondLink(streamId: string, receipt: ReceiveFunds['data']): Promise<void> {
    const project = await this.repositories.projects.load(streamId);
    if (project.state.status !== 'registered') return; // the decider answers PROJECT_NOT_FOUND first
    const bond = receipt.bondId === undefined ? initialBondState : (await this.repositories.bonds.load(bondStreamId(receipt.bondId))).state;
    assertReceiptFromAssignment(receipt, bond);
  }
}

@CommandHandler(ExecuteBondCommand)
export class BondCommandHandler implements ICommandHandler<ExecuteBondCommand, AppendResult> {
  constructor(private readonly repositories: FundingRepositories) {}

  async execute({ command, context }: ExecuteBondCommand): Promise<AppendResult> {
    if (command.type === 'ReverseBondAssignment') return this.reverseAssignment(command, context);
    if (command.type === 'AssignBondProceeds') await this.assertReceivable(command);
    const result = await this.repositories.bonds.handle(bondStreamId(command.data.bondId), command, context);
    if (command.type !== 'AssignBondProceeds') return result;
    const assignment: BondProceedsAssigned = {
      type: 'BondProceedsAssigned',
      data: { ...command.data, amount: formatYuan(command.data.amount) },
    };
    const receipt = await this.repositories.receiveAssignedProceeds(assignment, {
      ...context,
      causationId: result.eventIds[result.eventIds.length - 1],
    });
    return receipt === undefined ? result : merged(result, receipt);
  }

  /**
   * The assignment is reversed only when its project can reverse the receipt of it: the bond's own
   * rules first (404, ALREADY_REVERSED), then the project's (RECEIPT_IN_USE, INSUFFICIENT_FUNDS), all
   * before anything is appended. Then the process manager's step reverses the receipt.
   */
  private async reverseAssignment(request: BondAssignmentReversal, context: CommandContext): Promise<AppendResult> {
    const { bondId, assignmentId } = request.data;
    const bond = (await this.repositories.bonds.load(bondStreamId(bondId))).state;
    const [unchecked] = decideBond({ ...request, lookedUp: { projectReceiptInUse: false } }, bond) as [BondAssignmentReversed];
    const project = (await this.repositories.projects.load(projectStreamId(unchecked.data.projectId))).state;
    const receipt = project.status === 'registered' ? project.receipts.get(bondReceiptId(bondId, assignmentId)) : undefined;
    const ownReceipt = receipt?.bondId === bondId && receipt.assignmentId === assignmentId ? receipt : undefined;
    const command: ReverseBondAssignment = { ...request, lookedUp: { projectReceiptInUse: ownReceipt !== undefined && receiptInUse(ownReceipt) } };
    const [reversal] = decideBond(command, bond) as [BondAssignmentReversed];
    if (!assignmentReceiptSettled(project, reversal)) decideProject(reverseReceiptForAssignment(reversal), project);
    const result = await this.repositories.bonds.handle(bondStreamId(bondId), command, context);
    const receiptReversal = await this.repositories.reverseAssignedReceipt(reversal, {
      ...context,
      causationId: result.eventIds[result.eventIds.length - 1],
    });
    return receiptReversal === undefined ? result : merged(result, receiptReversal);
  }

  /**
   * Everything that would refuse the assignment or its receipt is checked before the bond stream
   * is appended to: the bond's own rules first (a retried assignment is a DUPLICATE_ID assignment,
   * not a taken receipt), then the project's. Nothing can take the derived receipt id in between:
   * clients cannot write it, and only this assignment's receipt carries it.
   */
  private async assertReceivable(command: AssignBondProceeds): Promise<void> {
    const project = await this.repositories.projects.load(projectStreamId(command.data.projectId));
    if (project.state.status !== 'registered') {
      throw new FundingRuleViolation('UNKNOWN_PROJECT', `project ${command.data.projectId} does not exist`, 'projectId');
    }
    const bond = (await this.repositories.bonds.load(bondStreamId(command.data.bondId))).state;
    decideBond(command, bond);
    if (bond.status === 'issued') assertAssignmentReceivable(command.data, bond.kind, project.state);
  }
}

/** The answer of a command that appended to the bond's stream and then to its project's. */
function merged(bond: AppendResult, project: AppendResult): AppendResult {
  return {
    ...bond,
    globalPosition: project.globalPosition > bond.globalPosition ? project.globalPosition : bond.globalPosition,
    eventIds: [...bond.eventIds, ...project.eventIds],
  };
}

@CommandHandler(ExecuteProgrammeCommand)
export class ProgrammeCommandHandler implements ICommandHandler<ExecuteProgrammeCommand, AppendResult> {
  constructor(private readonly repositories: FundingRepositories) {}

  /** A parent, once registered, stays registered: what the lookup sees stays true at the append. */
  async execute({ command, context }: ExecuteProgrammeCommand): Promise<AppendResult> {
    const lookedUp =
      command.type === 'RegisterProgramme' && command.data.parentId !== undefined
        ? { ...command, lookedUp: { parentRegistered: await this.repositories.programmeRegistered(command.data.parentId) } }
        : command;
    return this.repositories.programmes.handle(programmeStreamId(command.data.programmeId), lookedUp, context);
  }
}

export const FUNDING_HANDLERS = [ProjectCommandHandler, BondCommandHandler, ProgrammeCommandHandler];
