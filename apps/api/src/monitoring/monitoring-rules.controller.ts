import { Body, Controller, Get, HttpCode, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Request } from 'express';
import { type Actor, CurrentActor, Roles } from '@fundtrail/auth';
import { parseMonitoringRule } from '@fundtrail/funding';
import { parseKnownAt } from '@fundtrail/projections';
import { accepted, commandContext } from '../commands/command-response';
import { CommandErrors } from '../commands/command-errors.decorator';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { RuleListSchema, RulesDefinedSchema } from '../openapi/monitoring.schemas';
import { ProblemSchema } from '../openapi/schemas';
import { badRequest } from '../problem/problem';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';
import { IsCalendarDate } from '../validation/validators';
import { DEFAULT_RULES, DefineMonitoringRules, MonitoringReadSide, type RulesDefined } from './monitoring.commands';
import { KnownAtQueryDto } from './monitoring.dto';

export const MONITORING_READERS = ['clerk', 'budget-officer', 'auditor', 'analyst'] as const;

export class AdoptDefaultRulesDto {
  @ApiPropertyOptional({ description: 'the day the default rules apply from (YYYY-MM-DD); default today', example: '2024-01-01' })
  @IsOptional()
  @IsCalendarDate()
  effectiveDate?: string;
}

const answer = ({ append, rules }: RulesDefined) => ({ ...accepted(append), rules });

/** The rule set (双监控 rules as data): every post that changes a rule is a new version. */
@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('api/monitoring/rules')
export class MonitoringRulesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly monitoring: MonitoringReadSide,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('budget-officer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body replays the first answer; same key + other body is 422' })
  @ApiOperation({
    summary: 'DefineMonitoringRule: a new version of the rule (posting what the latest version says appends nothing: changed false)',
    description:
      'Body { ruleId, kind, params, scope?, effectiveDate? }. kind: execution-lag { checkpoints: [{ by: "MM-DD", minExecutionRate }], basis?: received | allocated | planned }, ' +
      'idle-funds { minUnspentPercent, afterDays, sources? }, output-lag { points }, over-arrival {}. Percents are decimal strings (numbers accepted). ' +
      'scope: { programme?, region?, department?, category?, fiscalYear? }. A bad parameter is 400 VALIDATION_FAILED naming its path (params.checkpoints[1].by).',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: { ruleId: 'execution-schedule', kind: 'execution-lag', params: { checkpoints: [{ by: '06-30', minExecutionRate: '50' }] } },
    },
  })
  @ApiResponse({ status: 201, type: RulesDefinedSchema })
  @CommandErrors('RULE_KIND_CHANGED')
  async define(@Req() request: Request, @CurrentActor() actor: Actor, @Body() body: Record<string, unknown>) {
    const parsed = parseMonitoringRule(body);
    if (!parsed.ok) throw badRequest('VALIDATION_FAILED', `invalid fields: ${[...new Set(parsed.errors.map((e) => e.field))].join(', ')}`, parsed.errors);
    const result = await this.commands.execute<DefineMonitoringRules, RulesDefined>(
      new DefineMonitoringRules([parsed.rule], false, parsed.effectiveDate, commandContext(request, actor)),
    );
    return answer(result);
  }

  @Post('defaults')
  @HttpCode(201)
  @Roles('budget-officer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body replays the first answer; same key + other body is 422' })
  @ApiOperation({
    summary:
      'Adopt the default rule set (docs/MONITORING.md): each default rule whose ruleId has no version yet is posted as version 1; rules that exist are kept as they are (changed false)',
  })
  @ApiResponse({ status: 201, type: RulesDefinedSchema })
  @CommandErrors()
  async adoptDefaults(@Req() request: Request, @CurrentActor() actor: Actor, @Body() body: AdoptDefaultRulesDto) {
    const result = await this.commands.execute<DefineMonitoringRules, RulesDefined>(
      new DefineMonitoringRules(DEFAULT_RULES, true, body.effectiveDate, commandContext(request, actor)),
    );
    return answer(result);
  }

  @Get()
  @Roles(...MONITORING_READERS)
  @UseInterceptors(ReadYourWritesInterceptor)
  @ApiOperation({ summary: 'Every rule with every version (knownAt: as the rule set stood then)' })
  @ApiResponse({ status: 200, type: RuleListSchema })
  @ApiResponse({ status: 400, type: ProblemSchema, description: 'VALIDATION_FAILED' })
  @ApiResponse({ status: 401, type: ProblemSchema, description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED' })
  async list(@Query() query: KnownAtQueryDto) {
    return { rules: await this.monitoring.rules(query.knownAt === undefined ? undefined : parseKnownAt(query.knownAt)) };
  }
}
