import { Body, Controller, HttpCode, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { type Actor, CurrentActor, Roles } from '@fundtrail/auth';
import type { AppendResult } from '@fundtrail/event-store';
import { type DisbursementCategory, ExecuteProjectCommand, type FundingSource, type ProjectCommand } from '@fundtrail/funding';
import { type AmountUnit, parseQuantity } from '@fundtrail/money';
import { AnswerFromLog, IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { SlugPipe } from '../validation/validation';
import { amountIn } from './amount-in-unit';
import { accepted, CommandAccepted, commandContext } from './command-response';
import { CommandErrors } from './command-errors.decorator';
import {
  AllocateFundsDto,
  AmendContractDto,
  ApprovePaymentDto,
  CorrectionDto,
  ReceiveFundsDto,
  RecordDisbursementDto,
  RegisterProjectDto,
  ReportInvestmentCompletedDto,
  ReportOutputDto,
  ReverseDisbursementDto,
  ReviseOutputTargetDto,
  RevisePlannedTotalDto,
  SetOutputTargetDto,
  SignContractDto,
} from './project.dto';

/** A body's `amount` in its `amountUnit`, as the command's `amount` and `printed`. */
function money(body: { amount: string; amountUnit?: AmountUnit }) {
  const { fen, printed } = amountIn(body.amount, body.amountUnit);
  return { amount: fen, ...(printed && { printed }) };
}

/** The Project's commands: DTO in, command on the bus, 201 with the append's position out. */
@ApiTags('projects: commands')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body replays the first answer; same key + other body is 422' })
@Controller('api/projects')
@UseInterceptors(IdempotencyInterceptor)
// Every command here is one append to the project's stream: a keyed 201 is rebuilt from the log.
@AnswerFromLog()
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
  @CommandErrors('DUPLICATE_ID', 'UNKNOWN_PROGRAMME')
  register(@Req() request: Request, @CurrentActor() actor: Actor, @Body() body: RegisterProjectDto) {
    const { effectiveDate, plannedTotal, amountUnit, ...rest } = body;
    const planned = plannedTotal === undefined ? undefined : amountIn(plannedTotal, amountUnit);
    return this.send(
      request,
      actor,
      { type: 'RegisterProject', data: { ...rest, plannedTotal: planned?.fen, ...(planned?.printed && { printed: planned.printed }) } },
      effectiveDate,
    );
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
    return this.send(request, actor, { type: 'RevisePlannedTotal', data: { projectId, ...money(body), reason: body.reason } }, body.effectiveDate);
  }

  @Post(':projectId/allocations')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'AllocateFunds (预算下达)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'DUPLICATE_ID')
  allocate(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: AllocateFundsDto) {
    const { effectiveDate, amount, amountUnit, source, ...rest } = body;
    return this.send(
      request,
      actor,
      { type: 'AllocateFunds', data: { ...rest, projectId, source: source as FundingSource, ...money({ amount, amountUnit }) } },
      effectiveDate,
    );
  }

  @Post(':projectId/receipts')
  @HttpCode(201)
  @Roles('clerk', 'budget-officer')
  @ApiOperation({ summary: 'ReceiveFunds (资金到位)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors(
    'PROJECT_NOT_FOUND',
    'DUPLICATE_ID',
    'ALLOCATION_EXCEEDED',
    'UNKNOWN_ALLOCATION',
    'SOURCE_MISMATCH',
    'UNKNOWN_BOND',
    'BOND_NOT_ASSIGNED',
    'BOND_RECEIPT_BY_ASSIGNMENT',
  )
  receive(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: ReceiveFundsDto) {
    const { effectiveDate, amount, amountUnit, source, ...rest } = body;
    return this.send(
      request,
      actor,
      { type: 'ReceiveFunds', data: { ...rest, projectId, source: source as FundingSource, ...money({ amount, amountUnit }) } },
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
    const { effectiveDate, amount, amountUnit, ...rest } = body;
    return this.send(request, actor, { type: 'SignContract', data: { ...rest, projectId, ...money({ amount, amountUnit }) } }, effectiveDate);
  }

  @Post(':projectId/disbursements')
  @HttpCode(201)
  @Roles('clerk')
  @ApiOperation({ summary: 'RecordDisbursement (支付)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors(
    'PROJECT_NOT_FOUND',
    'DUPLICATE_ID',
    'INSUFFICIENT_FUNDS',
    'CONTRACT_EXCEEDED',
    'APPROVAL_EXCEEDED',
    'UNKNOWN_RECEIPT',
    'UNKNOWN_CONTRACT',
    'UNKNOWN_APPROVAL',
    'APPROVAL_MISMATCH',
  )
  disburse(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: RecordDisbursementDto) {
    const { effectiveDate, amount, amountUnit, category, ...rest } = body;
    return this.send(
      request,
      actor,
      { type: 'RecordDisbursement', data: { ...rest, projectId, category: category as DisbursementCategory, ...money({ amount, amountUnit }) } },
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
  @CommandErrors('PROJECT_NOT_FOUND', 'DUPLICATE_ID', 'UNKNOWN_INDICATOR')
  setTarget(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: SetOutputTargetDto) {
    const { effectiveDate, target, denominatorIndicatorId, ...rest } = body;
    const measure =
      denominatorIndicatorId === undefined
        ? { target: parseQuantity(target) }
        : { denominatorIndicatorId, ...(target !== undefined && { target: parseQuantity(target) }) };
    return this.send(request, actor, { type: 'SetOutputTarget', data: { ...rest, projectId, ...measure } }, effectiveDate);
  }

  @Post(':projectId/indicators/:indicatorId/actuals')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ReportOutput' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'INDICATOR_NOT_FOUND', 'INDICATOR_WITHDRAWN')
  reportOutput(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('indicatorId', SlugPipe) indicatorId: string,
    @Body() body: ReportOutputDto,
  ) {
    return this.send(request, actor, { type: 'ReportOutput', data: { projectId, indicatorId, actual: parseQuantity(body.actual) } }, body.effectiveDate);
  }
  @Post(':projectId/payment-approvals')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ApprovePayment (核拨): Σ approved (net) ≤ received_total; against a receipt or contract, ≤ its unapproved part' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'DUPLICATE_ID', 'INSUFFICIENT_FUNDS', 'CONTRACT_EXCEEDED', 'UNKNOWN_RECEIPT', 'UNKNOWN_CONTRACT')
  approvePayment(@Req() request: Request, @CurrentActor() actor: Actor, @Param('projectId', SlugPipe) projectId: string, @Body() body: ApprovePaymentDto) {
    const { effectiveDate, amount, amountUnit, ...rest } = body;
    return this.send(request, actor, { type: 'ApprovePayment', data: { ...rest, projectId, ...money({ amount, amountUnit }) } }, effectiveDate);
  }

  @Post(':projectId/investment-completed')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ReportInvestmentCompleted (完成投资): the value of work done to date; the latest report stands' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND')
  reportInvestmentCompleted(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Body() body: ReportInvestmentCompletedDto,
  ) {
    return this.send(request, actor, { type: 'ReportInvestmentCompleted', data: { projectId, ...money(body) } }, body.effectiveDate);
  }

  @Post(':projectId/receipts/:receiptId/reversal')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({
    summary: 'ReverseReceipt (ReceiptReversed): the receipt never happened',
    description:
      'Refused while anything is drawn from or approved against it (409 RECEIPT_IN_USE) or when received would fall below disbursed or approved (409 INSUFFICIENT_FUNDS). The receipt of a bond assignment is reversed by reversing the assignment (409 RECEIPT_FROM_BOND).',
  })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'RECEIPT_NOT_FOUND', 'ALREADY_REVERSED', 'RECEIPT_IN_USE', 'INSUFFICIENT_FUNDS', 'RECEIPT_FROM_BOND')
  reverseReceipt(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('receiptId', SlugPipe) receiptId: string,
    @Body() body: CorrectionDto,
  ) {
    return this.send(request, actor, { type: 'ReverseReceipt', data: { projectId, receiptId, reason: body.reason } }, body.effectiveDate);
  }

  @Post(':projectId/allocations/:allocationId/reversal')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ReverseAllocation (AllocationReversed): refused while receipts reference it (409 ALLOCATION_IN_USE)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'ALLOCATION_NOT_FOUND', 'ALREADY_REVERSED', 'ALLOCATION_IN_USE')
  reverseAllocation(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('allocationId', SlugPipe) allocationId: string,
    @Body() body: CorrectionDto,
  ) {
    return this.send(request, actor, { type: 'ReverseAllocation', data: { projectId, allocationId, reason: body.reason } }, body.effectiveDate);
  }

  @Post(':projectId/contracts/:contractId/amendment')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'AmendContract (ContractAmended): a new amount, not below what was paid or approved against it (409 CONTRACT_EXCEEDED)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'CONTRACT_NOT_FOUND', 'CONTRACT_EXCEEDED')
  amendContract(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('contractId', SlugPipe) contractId: string,
    @Body() body: AmendContractDto,
  ) {
    return this.send(request, actor, { type: 'AmendContract', data: { projectId, contractId, ...money(body), reason: body.reason } }, body.effectiveDate);
  }

  @Post(':projectId/payment-approvals/:approvalId/reversal')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ReversePaymentApproval (PaymentApprovalReversed): refused while anything is paid against it (409 APPROVAL_IN_USE)' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'APPROVAL_NOT_FOUND', 'ALREADY_REVERSED', 'APPROVAL_IN_USE')
  reversePaymentApproval(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('approvalId', SlugPipe) approvalId: string,
    @Body() body: CorrectionDto,
  ) {
    return this.send(request, actor, { type: 'ReversePaymentApproval', data: { projectId, approvalId, reason: body.reason } }, body.effectiveDate);
  }

  @Post(':projectId/indicators/:indicatorId/target')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({ summary: 'ReviseOutputTarget (OutputTargetRevised): a corrected target, with its reason' })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'INDICATOR_NOT_FOUND', 'INDICATOR_WITHDRAWN')
  reviseTarget(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('indicatorId', SlugPipe) indicatorId: string,
    @Body() body: ReviseOutputTargetDto,
  ) {
    return this.send(
      request,
      actor,
      { type: 'ReviseOutputTarget', data: { projectId, indicatorId, target: parseQuantity(body.target), reason: body.reason } },
      body.effectiveDate,
    );
  }

  @Post(':projectId/indicators/:indicatorId/withdrawal')
  @HttpCode(201)
  @Roles('budget-officer')
  @ApiOperation({
    summary: 'WithdrawIndicator (IndicatorWithdrawn): the indicator drops out of the figures',
    description: 'A second withdrawal is 409 ALREADY_REVERSED; an indicator that is the denominator of another is 409 INDICATOR_IN_USE.',
  })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('PROJECT_NOT_FOUND', 'INDICATOR_NOT_FOUND', 'ALREADY_REVERSED', 'INDICATOR_IN_USE')
  withdrawIndicator(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('projectId', SlugPipe) projectId: string,
    @Param('indicatorId', SlugPipe) indicatorId: string,
    @Body() body: CorrectionDto,
  ) {
    return this.send(request, actor, { type: 'WithdrawIndicator', data: { projectId, indicatorId, reason: body.reason } }, body.effectiveDate);
  }
}
