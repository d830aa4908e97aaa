import { Body, Controller, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { type Actor, CurrentActor, Roles } from '@fundtrail/auth';
import type { AppendResult } from '@fundtrail/event-store';
import { type BondKind, ExecuteBondCommand } from '@fundtrail/funding';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { SlugPipe } from '../validation/validation';
import { amountIn } from './amount-in-unit';
import { AssignBondProceedsDto, IssueBondDto, ReverseBondAssignmentDto } from './bond.dto';
import { CommandErrors } from './command-errors.decorator';
import { accepted, CommandAccepted, commandContext } from './command-response';

@ApiTags('bonds: commands')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body replays the first answer; same key + other body is 422' })
@Controller('api/bonds')
@UseInterceptors(IdempotencyInterceptor)
export class BondCommandsController {
  constructor(private readonly commands: CommandBus) {}

  private async send(request: Request, actor: Actor, command: ExecuteBondCommand['command'], effectiveDate?: string): Promise<CommandAccepted> {
    const result = await this.commands.execute<ExecuteBondCommand, AppendResult>(
      new ExecuteBondCommand(command, commandContext(request, actor, effectiveDate)),
    );
    return accepted(result);
  }

  @Post()
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'IssueBond (债券发行)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('DUPLICATE_ID')
  issue(@Req() request: Request, @CurrentActor() actor: Actor, @Body() body: IssueBondDto) {
    const { effectiveDate, amount, amountUnit, kind, ...rest } = body;
    const { fen, printed } = amountIn(amount, amountUnit);
    return this.send(request, actor, { type: 'IssueBond', data: { ...rest, kind: kind as BondKind, amount: fen, ...(printed && { printed }) } }, effectiveDate);
  }

  @Post(':bondId/assignments')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({
    summary: 'AssignBondProceeds: the project receives the proceeds under a deterministic receipt id',
    description:
      'The receipt id is derived from (bondId, assignmentId). An assignment whose receipt the project could not take is refused before anything is appended: 422 UNKNOWN_PROJECT, 409 ASSIGNMENT_RECEIPT_TAKEN (a receipt already holds that id; choose another assignmentId).',
  })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('BOND_NOT_FOUND', 'DUPLICATE_ID', 'BOND_OVER_ASSIGNED', 'ASSIGNMENT_RECEIPT_TAKEN', 'UNKNOWN_PROJECT')
  assign(@Req() request: Request, @CurrentActor() actor: Actor, @Param('bondId', SlugPipe) bondId: string, @Body() body: AssignBondProceedsDto) {
    const { effectiveDate, amount, amountUnit, ...rest } = body;
    const { fen, printed } = amountIn(amount, amountUnit);
    return this.send(request, actor, { type: 'AssignBondProceeds', data: { ...rest, bondId, amount: fen, ...(printed && { printed }) } }, effectiveDate);
  }

  @Post(':bondId/assignments/:assignmentId/reversal')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({
    summary: "ReverseBondAssignment (BondAssignmentReversed), and the project's receipt of it reversed (ReceiptReversed)",
    description:
      "Refused before anything is appended when the project could not reverse the assignment's receipt: 409 RECEIPT_IN_USE (something is drawn from or approved against it) or 409 INSUFFICIENT_FUNDS (without it the project would have received less than it disbursed or approved). A second reversal is 409 ALREADY_REVERSED. eventIds lists both events.",
  })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('BOND_NOT_FOUND', 'ASSIGNMENT_NOT_FOUND', 'ALREADY_REVERSED', 'RECEIPT_IN_USE', 'INSUFFICIENT_FUNDS')
  reverseAssignment(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('bondId', SlugPipe) bondId: string,
    @Param('assignmentId', SlugPipe) assignmentId: string,
    @Body() body: ReverseBondAssignmentDto,
  ) {
    return this.send(request, actor, { type: 'ReverseBondAssignment', data: { bondId, assignmentId, reason: body.reason } }, body.effectiveDate);
  }
}
