import { Body, Controller, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { type Actor, CurrentActor, Roles } from '@fundtrail/auth';
import type { AppendResult } from '@fundtrail/event-store';
import {
  type DisbursementCategory,
  ExecuteProjectCommand,
  type FundingSource,
  type ProjectCommand,
} from '@fundtrail/funding';
import { parseQuantity, parseYuan } from '@fundtrail/money';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { SlugPipe } from '../validation/validation';
import { accepted, CommandAccepted, commandContext } from './command-response';
import { CommandErrors } from './command-errors.decorator';
import {
  AllocateFundsDto,
  ReceiveFundsDto,
  RecordDisbursementDto,
  RegisterProjectDto,
  ReportOutputDto,
  ReverseDisbursementDto,
  RevisePlannedTotalDto,
  SetOutputTargetDto,
  SignContractDto,
} from './project.dto';

const optionalYuan = (value?: string) => (value === undefined ? undefined : parseYuan(value));

/** The Project's commands: DTO in, command on the bus, 201 with the append's position out. */
@ApiTags('projects: commands')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body replays the first answer; same key + other body is 422' })
@Controller('api/projects')
@UseInterceptors(IdempotencyInterceptor)
export class ProjectCommandsController {
  constructor(private readonly commands: CommandBus) {}

  private async send(request: Request, actor: Actor, command: ProjectCommand, effectiveDate?: string): Promise<CommandAccepted> {
    const result = await this.commands.execute<ExecuteProjectCommand, AppendResult>(
      new ExecuteProjectCommand(command, commandContext(request, actor, effectiveDate)),
    );
    return accepted(result);
  }

  @Post()
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'RegisterProject' })
  @ApiBody({ type: RegisterProjectDto })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('DUPLICATE_ID')
  register(@Req() request: Request, @CurrentActor() actor: Actor, @Body() body: RegisterProjectDto) {
    const { effectiveDate, plannedTotal, ...rest } = body;
    return this.send(request, actor, { type: 'RegisterProject', data: { ...rest, plannedTotal: optionalYuan(plannedTotal) } }, effectiveDate);
  }

  @Post(':projectId/planned-total')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'RevisePlannedTotal' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND')
  revisePlannedTotal(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Body() body: RevisePlannedTotalDto,
  ) {
    return this.send(
      request,
      actor,
      { type: 'RevisePlannedTotal', data: { projectId, amount: parseYuan(body.amount), reason: body.reason } },
      body.effectiveDate,
    );
  }

  @Post(':projectId/allocations')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'AllocateFunds (预算下达)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'DUPLICATE_ID')
  allocate(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: AllocateFundsDto) {
    const { effectiveDate, amount, source, ...rest } = body;
    return this.send(
      request,
      actor,
      { type: 'AllocateFunds', data: { ...rest, projectId, source: source as FundingSource, amount: parseYuan(amount) } },
      effectiveDate,
    );
  }

  @Post(':projectId/receipts')
  @HttpCode(201)
  @Roles('clerk', 'budget-officer')
  @ApiOperation({ summary: 'ReceiveFunds (资金到位)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'DUPLICATE_ID', 'ALLOCATION_EXCEEDED', 'UNKNOWN_ALLOCATION', 'SOURCE_MISMATCH', 'UNKNOWN_BOND', 'BOND_NOT_ASSIGNED', 'BOND_RECEIPT_BY_ASSIGNMENT')
  receive(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: ReceiveFundsDto) {
    const { effectiveDate, amount, source, ...rest } = body;
    return this.send(
      request,
      actor,
      { type: 'ReceiveFunds', data: { ...rest, projectId, source: source as FundingSource, amount: parseYuan(amount) } },
      effectiveDate,
    );
  }

  @Post(':projectId/contracts')
  @HttpCode(201)
  @Roles('clerk', 'budget-officer')
  @ApiOperation({ summary: 'SignContract (合同)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'DUPLICATE_ID')
  signContract(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: SignContractDto) {
    const { effectiveDate, amount, ...rest } = body;
    return this.send(request, actor, { type: 'SignContract', data: { ...rest, projectId, amount: parseYuan(amount) } }, effectiveDate);
  }

  @Post(':projectId/disbursements')
  @HttpCode(201)
  @Roles('clerk')
  @ApiOperation({ summary: 'RecordDisbursement (支付)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'DUPLICATE_ID', 'INSUFFICIENT_FUNDS', 'CONTRACT_EXCEEDED', 'UNKNOWN_RECEIPT', 'UNKNOWN_CONTRACT')
  disburse(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Body() body: RecordDisbursementDto,
  ) {
    const { effectiveDate, amount, category, ...rest } = body;
    return this.send(
      request,
      actor,
      { type: 'RecordDisbursement', data: { ...rest, projectId, category: category as DisbursementCategory, amount: parseYuan(amount) } },
      effectiveDate,
    );
  }

  @Post(':projectId/disbursements/:disbursementId/reversal')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ReverseDisbursement (a clerk cannot undo a payment)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'DISBURSEMENT_NOT_FOUND', 'ALREADY_REVERSED')
  reverse(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('disbursementId', SlugPipe) disbursementId: string,
    @Body() body: ReverseDisbursementDto,
  ) {
    return this.send(request, actor, { type: 'ReverseDisbursement', data: { projectId, disbursementId, reason: body.reason } }, body.effectiveDate);
  }

  @Post(':projectId/indicators')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'SetOutputTarget (绩效目标)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'DUPLICATE_ID')
  setTarget(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: SetOutputTargetDto) {
    const { effectiveDate, target, ...rest } = body;
    return this.send(request, actor, { type: 'SetOutputTarget', data: { ...rest, projectId, target: parseQuantity(target) } }, effectiveDate);
  }

  @Post(':projectId/indicators/:indicatorId/actuals')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ReportOutput' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'INDICATOR_NOT_FOUND')
  reportOutput(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('indicatorId', SlugPipe) indicatorId: string,
    @Body() body: ReportOutputDto,
  ) {
    return this.send(
      request,
      actor,
      { type: 'ReportOutput', data: { projectId, indicatorId, actual: parseQuantity(body.actual) } },
      body.effectiveDate,
    );
  }
}
