import { Body, Controller, Get, HttpCode, Injectable, Param, type PipeTransform, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type Actor, CurrentActor, Roles } from '@fundtrail/auth';
import type { AppendResult } from '@fundtrail/event-store';
import { type DispositionAction, parseDispositionBody, WARNING_ID_PATTERN } from '@fundtrail/funding';
import { toPortfolioFilter } from '../queries/query.dto';
import { accepted, CommandAccepted, commandContext } from '../commands/command-response';
import { CommandErrors } from '../commands/command-errors.decorator';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { WarningDetailSchema, WarningSchema } from '../openapi/monitoring.schemas';
import { ProblemSchema } from '../openapi/schemas';
import { badRequest, problem, ProblemException } from '../problem/problem';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';
import { DisposeOfWarning, MonitoringReadSide } from './monitoring.commands';
import { statusOf, warningTime, WarningsQueryDto, WarningTimeQueryDto } from './monitoring.dto';
import { MONITORING_READERS } from './monitoring-rules.controller';
import { readErrorsFor } from '../queries/read-errors';

/** Warning ids in paths are what warningId() makes: "w-" and 32 hex digits. */
@Injectable()
export class WarningIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !WARNING_ID_PATTERN.test(value)) {
      throw badRequest('INVALID_PATH', 'warningId must be "w-" and 32 lowercase hex digits', [
        { field: 'warningId', code: 'MATCHES', message: 'warningId must match ^w-[0-9a-f]{32}$' },
      ]);
    }
    return value;
  }
}

const readErrors = readErrorsFor('VALIDATION_FAILED (a date or instant that does not exist, a bad filter or status), INVALID_PATH');

const DISPOSITION_BODY = {
  schema: { type: 'object', properties: { note: { type: 'string', maxLength: 2000 }, effectiveDate: { type: 'string', example: '2024-09-02' } } },
};

/** Warnings computed from the log and the rules as of a day, and their disposition (预警 → 复核 → 整改). */
@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('api/monitoring/warnings')
export class MonitoringWarningsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly monitoring: MonitoringReadSide,
  ) {}

  @Get()
  @Roles(...MONITORING_READERS)
  @UseInterceptors(ReadYourWritesInterceptor)
  @ApiOperation({
    summary: 'The warnings that hold as of asOfEffective (default today) over the projects the filters select, ordered by project, rule and subject',
    description: 'The answer is an array; the day it was evaluated as of is echoed in the FundTrail-As-Of-Effective header.',
  })
  @ApiResponse({ status: 200, type: [WarningSchema] })
  @readErrors()
  async list(@Query() query: WarningsQueryDto, @Res({ passthrough: true }) response: Response) {
    const time = warningTime(query);
    response.setHeader('FundTrail-As-Of-Effective', time.asOfEffective);
    return this.monitoring.warnings(time, toPortfolioFilter(query), statusOf(query));
  }

  @Get(':warningId')
  @Roles(...MONITORING_READERS)
  @UseInterceptors(ReadYourWritesInterceptor)
  @ApiOperation({ summary: 'A warning as of asOfEffective (null when it does not hold that day) and every disposition of it [{ action, note, actor, at }]' })
  @ApiParam({ name: 'warningId', example: 'w-4b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e' })
  @ApiResponse({ status: 200, type: WarningDetailSchema })
  @readErrors(ApiResponse({ status: 404, type: ProblemSchema, description: 'WARNING_NOT_FOUND: neither raised that day nor ever disposed of' }))
  async get(@Param('warningId', WarningIdPipe) warningId: string, @Query() query: WarningTimeQueryDto) {
    const time = warningTime(query);
    const detail = await this.monitoring.warning(warningId, time);
    if (detail === undefined) {
      throw new ProblemException(
        problem(404, 'WARNING_NOT_FOUND', `no warning ${warningId} is raised as of ${time.asOfEffective}, and it has no disposition`, {
          errors: [{ field: 'warningId', code: 'WARNING_NOT_FOUND', message: 'not raised and never disposed of' }],
        }),
      );
    }
    return detail;
  }

  @Post(':warningId/acknowledge')
  @HttpCode(201)
  @Roles('budget-officer', 'auditor')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: 'AcknowledgeWarning (复核): allowed when open. Body { effectiveDate? } (the day the warning is evaluated as of; default today)' })
  @ApiBody(DISPOSITION_BODY)
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('DISPOSITION_NOT_ALLOWED', 'WARNING_NOT_FOUND')
  acknowledge(
    @Req() request: Request,
    @CurrentActor() actor: Actor,
    @Param('warningId', WarningIdPipe) warningId: string,
    @Body() body: Record<string, unknown>,
  ) {
    return this.dispose('acknowledge', request, actor, warningId, body);
  }

  @Post(':warningId/explain')
  @HttpCode(201)
  @Roles('budget-officer', 'auditor')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: 'ExplainWarning (说明): allowed when open, acknowledged or explained. Body { note, effectiveDate? }' })
  @ApiBody(DISPOSITION_BODY)
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('DISPOSITION_NOT_ALLOWED', 'WARNING_NOT_FOUND')
  explain(@Req() request: Request, @CurrentActor() actor: Actor, @Param('warningId', WarningIdPipe) warningId: string, @Body() body: Record<string, unknown>) {
    return this.dispose('explain', request, actor, warningId, body);
  }

  @Post(':warningId/resolve')
  @HttpCode(201)
  @Roles('budget-officer', 'auditor')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: 'ResolveWarning (整改完成): allowed when open, acknowledged or explained; closes the occurrence. Body { note, effectiveDate? }' })
  @ApiBody(DISPOSITION_BODY)
  @ApiResponse({ status: 201, type: CommandAccepted })
  @CommandErrors('DISPOSITION_NOT_ALLOWED', 'WARNING_NOT_FOUND')
  resolve(@Req() request: Request, @CurrentActor() actor: Actor, @Param('warningId', WarningIdPipe) warningId: string, @Body() body: Record<string, unknown>) {
    return this.dispose('resolve', request, actor, warningId, body);
  }

  private async dispose(action: DispositionAction, request: Request, actor: Actor, warningId: string, body: unknown): Promise<CommandAccepted> {
    const parsed = parseDispositionBody(action, body);
    if (!parsed.ok) throw badRequest('VALIDATION_FAILED', `invalid fields: ${[...new Set(parsed.errors.map((e) => e.field))].join(', ')}`, parsed.errors);
    const result = await this.commands.execute<DisposeOfWarning, AppendResult>(
      new DisposeOfWarning(action, warningId, parsed.note, commandContext(request, actor, parsed.effectiveDate)),
    );
    return accepted(result);
  }
}
