import type { BondCommand, ReverseBondAssignment } from '../bond/bond.commands';
import type { ProgrammeCommand } from '../programme/programme.commands';
import type { ProjectCommand } from '../project/project.commands';
import type { CommandContext } from './command-context';

/** A Project command on its way through the CommandBus. */
export class ExecuteProjectCommand {
  constructor(
    readonly command: ProjectCommand,
    readonly context: CommandContext,
  ) {}
}

/** A reversal as a client asks for it: the handler looks up what the project's receipt allows. */
export type BondAssignmentReversal = Omit<ReverseBondAssignment, 'lookedUp'>;

/** A BondIssue command on its way through the CommandBus. */
export class ExecuteBondCommand {
  constructor(
    readonly command: Exclude<BondCommand, ReverseBondAssignment> | BondAssignmentReversal,
    readonly context: CommandContext,
  ) {}
}

/** A Programme command on its way through the CommandBus. */
export class ExecuteProgrammeCommand {
  constructor(
    readonly command: ProgrammeCommand,
    readonly context: CommandContext,
  ) {}
}
