import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type Actor, CurrentActor, Roles } from '@fundtrail/auth';
import { ExecuteReportCommand, type ReportOutcome, type ReportPublished, type StatedFigure } from '@fundtrail/funding';
import { parseKnownAt, Projections } from '@fundtrail/projections';
import { accepted, CommandAccepted, commandContext } from '../commands/command-response';
import { CommandErrors } from '../commands/command-errors.decorator';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { ProblemSchema } from '../openapi/schemas';
import { problem, ProblemException } from '../problem/problem';
import { DEFAULT_PAGE_SIZE, pageFields } from '../queries/paging';
import { EVERYONE, readErrors } from '../queries/read-errors';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';
import { SlugPipe } from '../validation/validation';
import { ReportPageSchema, ReportReconciliationSchema, ReportSchema } from './report.schemas';
import { type PortfolioScopeDto, PublishReportDto, ReconciliationQueryDto, ReportListQueryDto, type ScopeDto, type StatedFigureDto } from './report.dto';

const notFound = (reportId: string) => new ProblemException(problem(404, 'REPORT_NOT_FOUND', `report ${reportId} does not exist`));

function scope(dto: ScopeDto): StatedFigure['scope'] {
  if (dto.projectId !== undefined) return { projectId: dto.projectId };
  if (dto.programmeId !== undefined) return { programmeId: dto.programmeId };
  const { programme, region, department, category, fiscalYear } = dto.portfolio as PortfolioScopeDto;
  return {
    portfolio: {
      ...(programme !== undefined && { programme }),
      ...(region !== undefined && { region }),
      ...(department !== undefined && { department }),
      ...(category !== undefined && { category }),
      ...(fiscalYear !== undefined && { fiscalYear }),
    },
  };
}

function statedFigure(dto: StatedFigureDto): StatedFigure {
  return {
    statedId: dto.statedId,
    scope: scope(dto.scope),
    ...(dto.key !== undefined && { key: dto.key }),
    stated: dto.stated,
    unit: dto.unit,
    citation: { section: dto.citation.section, quote: dto.citation.quote },
    ...(dto.sumOf !== undefined && { sumOf: [...dto.sumOf] }),
  };
}

/** Published reports as data, and their reconciliation against the log. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly projections: Projections,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('auditor', 'budget-officer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'same key + same body replays the first answer; same key + other body is 422' })
  @ApiOperation({
    summary: "PublishReport: a published report's stated figures, as printed, on stream report-<reportId>",
    description:
      'Immutable: posting the identical report again answers 200 with the stored report; the same reportId with other content is 409 DUPLICATE_ID (a new version is a new reportId). ' +
      'A report that disagrees with itself is refused: 400 INVALID_STATED_VALUE, 422 DUPLICATE_STATED_ID, UNKNOWN_STATED_ID, INVALID_SUM, SUM_CYCLE.',
  })
  @ApiResponse({ status: 201, type: CommandAccepted })
  @ApiResponse({ status: 200, type: ReportSchema, description: 'the identical report was already published: the stored report' })
  @CommandErrors('DUPLICATE_ID', 'INVALID_STATED_VALUE', 'DUPLICATE_STATED_ID', 'UNKNOWN_STATED_ID', 'INVALID_SUM', 'SUM_CYCLE')
  async publish(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentActor() actor: Actor,
    @Body() body: PublishReportDto,
  ): Promise<CommandAccepted | ReportPublished['data']> {
    const data: ReportPublished['data'] = {
      reportId: body.reportId,
      title: body.title,
      ...(body.publisher !== undefined && { publisher: body.publisher }),
      ...(body.publishedAt !== undefined && { publishedAt: body.publishedAt }),
      ...(body.asOfEffective !== undefined && { asOfEffective: body.asOfEffective }),
      statedFigures: body.statedFigures.map(statedFigure),
    };
    const outcome = await this.commands.execute<ExecuteReportCommand, ReportOutcome>(
      new ExecuteReportCommand({ type: 'PublishReport', data }, commandContext(request, actor)),
    );
    if (outcome.outcome === 'published') return accepted(outcome.result);
    response.status(200);
    return outcome.report;
  }

  @Get()
  @Roles(...EVERYONE)
  @UseInterceptors(ReadYourWritesInterceptor)
  @ApiOperation({ summary: 'Published reports, most recently recorded first (items, total, paged)' })
  @ApiResponse({ status: 200, type: ReportPageSchema })
  @readErrors()
  async list(@Query() query: ReportListQueryDto, @Req() request: Request) {
    const page = Number(query.page ?? 1);
    const pageSize = Number(query.pageSize ?? DEFAULT_PAGE_SIZE);
    const { items, total } = await this.projections.reports.list(page, pageSize);
    return { items, ...pageFields(total, query, request) };
  }

  @Get(':reportId')
  @Roles(...EVERYONE)
  @UseInterceptors(ReadYourWritesInterceptor)
  @ApiOperation({ summary: 'A published report, exactly as stored' })
  @ApiResponse({ status: 200, type: ReportSchema })
  @readErrors(ApiResponse({ status: 404, type: ProblemSchema, description: 'REPORT_NOT_FOUND' }))
  async get(@Param('reportId', SlugPipe) reportId: string) {
    const report = await this.projections.reports.get(reportId);
    if (report === undefined) throw notFound(reportId);
    return report;
  }

  @Get(':reportId/reconciliation')
  @Roles(...EVERYONE)
  @UseInterceptors(ReadYourWritesInterceptor)
  @ApiOperation({
    summary: 'Every stated figure and stated total of the report against the log, as of its asOfEffective and as known at knownAt',
    description:
      'rows: match, within-printed-precision, mismatch (reason truncated where cutting gives the stated value), not-derivable, not-keyed; ' +
      'sums: adds-up, within-printed-precision, does-not-add-up. recomputed and difference are in the stated unit (recomputedYuan for money).',
  })
  @ApiResponse({ status: 200, type: ReportReconciliationSchema })
  @readErrors(ApiResponse({ status: 404, type: ProblemSchema, description: 'REPORT_NOT_FOUND' }))
  async reconciliation(@Param('reportId', SlugPipe) reportId: string, @Query() query: ReconciliationQueryDto) {
    const knownAt = query.knownAt === undefined ? undefined : { text: query.knownAt, time: parseKnownAt(query.knownAt) };
    const result = await this.projections.reports.reconcile(reportId, knownAt);
    if (result === undefined) throw notFound(reportId);
    return result;
  }
}
