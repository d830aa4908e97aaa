import { Body, Controller, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { type Actor, CurrentActor, Roles } from '@fundtrail/auth';
import type { AppendResult } from '@fundtrail/event-store';
import { type BondCommand, type BondKind, ExecuteBondCommand } from '@fundtrail/funding';
import { parseYuan } from '@fundtrail/money';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { SlugPipe } from '../validation/validation';
import { AssignBondProceedsDto, IssueBondDto } from './bond.dto';
import { CommandErrors } from './command-errors.decorator';
import { accepted, CommandAccepted, commandContext } from './command-response';

@ApiTags('bonds: commands')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body replays the first answer; same key + other body is 422' })
@Controller('api/bonds')
@UseInterceptors(IdempotencyInterceptor)
export class BondCommandsController {
  constructor(private readonly commands: CommandBus) {}

  private async send(request: Request, actor: Actor, command: BondCommand, effectiveDate?: string): Promise<CommandAccepted> {
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
    const { effectiveDate, amount, kind, ...rest } = body;
    return this.send(request, actor, { type: 'IssueBond', data: { ...rest, kind: kind as BondKind, amount: parseYuan(amount) } }, effectiveDate);
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
    const { effectiveDate, amount, ...rest } = body;
    return this.send(request, actor, { type: 'AssignBondProceeds', data: { ...rest, bondId, amount: parseYuan(amount) } }, effectiveDate);
  }
}
