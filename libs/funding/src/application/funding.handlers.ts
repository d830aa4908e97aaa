import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResult } from '@fundtrail/event-store';
import { formatYuan } from '@fundtrail/money';
import { initialBondState } from '../bond/bond.decider';
import type { BondProceedsAssigned } from '../bond/bond.events';
import { assertReceiptFromAssignment } from '../bond/bond-proceeds.process';
import { BondProceedsSteps } from '../bond/bond-proceeds.steps';
import type { ProjectCommand, ReceiveFunds } from '../project/project.commands';
import { bondStreamId, programmeStreamId, projectStreamId } from '../shared/vocabulary';
import type { CommandContext } from './command-context';
import { type BondAssignmentReversal, ExecuteBondCommand, ExecuteProgrammeCommand, ExecuteProjectCommand } from './funding.commands';
import { FundingRepositories } from './funding-repositories';

async function programmeRegistered(repositories: FundingRepositories, programmeId: string): Promise<boolean> {
  return (await repositories.programmes.load(programmeStreamId(programmeId))).state.status === 'registered';
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
    return { ...command, lookedUp: { programmeRegistered: await programmeRegistered(this.repositories, programmeId) } };
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
  constructor(
    private readonly repositories: FundingRepositories,
    private readonly proceeds: BondProceedsSteps,
  ) {}

  async execute({ command, context }: ExecuteBondCommand): Promise<AppendResult> {
    if (command.type === 'ReverseBondAssignment') return this.reverseAssignment(command, context);
    if (command.type === 'AssignBondProceeds') await this.proceeds.assertAssignable(command);
    const result = await this.repositories.bonds.handle(bondStreamId(command.data.bondId), command, context);
    if (command.type !== 'AssignBondProceeds') return result;
    const assignment: BondProceedsAssigned = {
      type: 'BondProceedsAssigned',
      data: { ...command.data, amount: formatYuan(command.data.amount) },
    };
    const receipt = await this.proceeds.receiveAssignedProceeds(assignment, {
      ...context,
      causationId: result.eventIds[result.eventIds.length - 1],
    });
    return receipt === undefined ? result : merged(result, receipt);
  }

  /** The bond's and the project's rules are all checked before anything is appended; then the receipt is reversed too. */
  private async reverseAssignment(request: BondAssignmentReversal, context: CommandContext): Promise<AppendResult> {
    const { command, reversal } = await this.proceeds.checkedReversal(request);
    const result = await this.repositories.bonds.handle(bondStreamId(request.data.bondId), command, context);
    const receiptReversal = await this.proceeds.reverseAssignedReceipt(reversal, {
      ...context,
      causationId: result.eventIds[result.eventIds.length - 1],
    });
    return receiptReversal === undefined ? result : merged(result, receiptReversal);
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
        ? { ...command, lookedUp: { parentRegistered: await programmeRegistered(this.repositories, command.data.parentId) } }
        : command;
    return this.repositories.programmes.handle(programmeStreamId(command.data.programmeId), lookedUp, context);
  }
}

export const FUNDING_HANDLERS = [ProjectCommandHandler, BondCommandHandler, ProgrammeCommandHandler];
