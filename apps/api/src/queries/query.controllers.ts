import { Controller, Get, Param, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '@fundtrail/auth';
import { parseRecordedCutoff } from '@fundtrail/calendar';
import { isNow, ProjectAbsent, Projections, type ProjectView, toEventView } from '@fundtrail/projections';
import { problem, ProblemException } from '../problem/problem';
import { EventsPageSchema, HistoryPageSchema, ProblemSchema, ProjectFiguresPageSchema, ProjectPageSchema, TraceSchema, VerifySchema } from '../openapi/schemas';
import { SlugPipe } from '../validation/validation';
import { pageOf } from './paging';
import { EventsQueryDto, HistoryQueryDto, parseAsOf, ReadQueryDto } from './query.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';
import { echoedTime, figureTimeOf, FigureTimeQueryDto } from './figure-time.dto';
import { absentProject } from './absent-project';
import { EVERYONE, readErrors } from './read-errors';

const errors = readErrors;

function notFound(code: string, detail: string): ProblemException {
  return new ProblemException(problem(404, code, detail));
}

@ApiTags('projects: queries')
@ApiBearerAuth()
@Controller('api/projects')
@UseInterceptors(ReadYourWritesInterceptor)
export class ProjectQueriesController {
  constructor(private readonly projections: Projections) {}

  private async view(projectId: string, time: FigureTimeQueryDto = {}): Promise<ProjectView> {
    const figureTime = figureTimeOf(time);
    const view = await this.projections.queries.project(projectId, figureTime);
    if (view instanceof ProjectAbsent) throw absentProject(projectId, view, { ...time, readModel: isNow(figureTime) });
    return view;
  }

  @Get(':projectId')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'A project: what it holds, and its figures (paged: page, pageSize, total, next); asOfEffective and knownAt: as the books stood' })
  @ApiResponse({ status: 200, type: ProjectPageSchema })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND, PROJECT_NOT_YET_RECORDED' }))
  async get(@Param('projectId', SlugPipe) projectId: string, @Query() query: FigureTimeQueryDto, @Req() request: Request) {
    const view = await this.view(projectId, query);
    const { items, paging } = pageOf(view.figures, query, request);
    return { ...view, ...echoedTime(query), figures: items, ...paging };
  }

  @Get(':projectId/figures')
  @Roles(...EVERYONE)
  @ApiOperation({
    summary:
      'The figures of a project, each with its formula and terms; paged, fixed figures first, then per receipt, indicator, source and category. ' +
      'With asOfEffective and/or knownAt: folded from the events of that cut of the log',
  })
  @ApiResponse({ status: 200, type: ProjectFiguresPageSchema })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND, PROJECT_NOT_YET_RECORDED (no event of the project in the cut)' }))
  async figures(@Param('projectId', SlugPipe) projectId: string, @Query() query: FigureTimeQueryDto, @Req() request: Request) {
    const view = await this.view(projectId, query);
    const { items, paging } = pageOf(view.figures, query, request);
    return { projectId, ...echoedTime(query), asOfPosition: view.asOfPosition, figures: items, ...paging };
  }

  @Get(':projectId/figures/:key/trace')
  @Roles('auditor', 'analyst')
  @ApiOperation({
    summary:
      'The formula, every contributing event (terms, paged), the value recomputed from all of them, and whether it matches the read model ' +
      '(with asOfEffective and/or knownAt: the events of that cut, matched against the figure folded from the whole cut)',
  })
  @ApiResponse({ status: 200, type: TraceSchema })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND, PROJECT_NOT_YET_RECORDED, FIGURE_NOT_FOUND' }))
  async trace(@Param('projectId', SlugPipe) projectId: string, @Param('key') key: string, @Query() query: FigureTimeQueryDto, @Req() request: Request) {
    if (!/^[a-z_]{1,40}(:[a-z0-9][a-z0-9-]{0,63})?$/.test(key)) throw notFound('FIGURE_NOT_FOUND', `no figure ${key}`);
    const figureTime = figureTimeOf(query);
    const trace = await this.projections.queries.trace(projectId, key, figureTime);
    if (trace instanceof ProjectAbsent) throw absentProject(projectId, trace, { ...query, readModel: isNow(figureTime) });
    if (!trace) throw notFound('FIGURE_NOT_FOUND', `project ${projectId} has no figure ${key}`);
    // Only the list of terms is paged: value, numerator, denominator and matches are the whole figure's.
    const { items, paging } = pageOf(trace.terms, query, request);
    return { projectId, ...echoedTime(query), ...trace, terms: items, ...paging };
  }

  @Get(':projectId/events')
  @Roles('auditor')
  @ApiOperation({ summary: "The project's stream as it stood: toPosition, asOfRecorded, asOfEffective; paged in stream order (count = events on this page)" })
  @ApiResponse({ status: 200, type: EventsPageSchema })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND' }))
  async events(@Param('projectId', SlugPipe) projectId: string, @Query() query: EventsQueryDto, @Req() request: Request) {
    const events = await this.projections.queries.events(projectId, {
      toPosition: query.toPosition === undefined ? undefined : BigInt(query.toPosition),
      asOfRecorded: query.asOfRecorded === undefined ? undefined : parseRecordedCutoff(query.asOfRecorded),
      asOfEffective: query.asOfEffective,
    });
    if (events.length === 0 && !(await this.exists(projectId))) throw absentProject(projectId, ProjectAbsent.NOT_FOUND);
    // Later pages stop at the last event this one saw: a write between two pages changes none of them.
    const last = events.reduce((max, e) => (e.globalPosition > max ? e.globalPosition : max), 0n);
    const { items, paging } = pageOf(events, query, request, events.length > 0 ? { toPosition: last.toString() } : {});
    return { projectId, count: items.length, events: items.map(toEventView), ...paging };
  }

  @Get(':projectId/history')
  @Roles('auditor')
  @ApiOperation({ summary: 'Figures as they stood at a global position or a recording time, recomputed from the log; figures paged' })
  @ApiResponse({ status: 200, type: HistoryPageSchema })
  @errors(
    ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND, PROJECT_NOT_YET_RECORDED (no event of the project at or before asOf)' }),
  )
  async history(@Param('projectId', SlugPipe) projectId: string, @Query() query: HistoryQueryDto, @Req() request: Request) {
    const history = await this.projections.queries.history(projectId, parseAsOf(query.asOf));
    if (history instanceof ProjectAbsent) throw absentProject(projectId, history, { asOf: query.asOf });
    const { items, paging } = pageOf(history.figures, query, request);
    return { projectId, asOf: query.asOf, ...history, figures: items, ...paging };
  }

  private async exists(projectId: string): Promise<boolean> {
    return !((await this.projections.queries.project(projectId)) instanceof ProjectAbsent);
  }
}

@ApiTags('bonds: queries')
@ApiBearerAuth()
@Controller('api/bonds')
@UseInterceptors(ReadYourWritesInterceptor)
export class BondQueriesController {
  constructor(private readonly projections: Projections) {}

  @Get(':bondId')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'A bond issue: issued, assigned, per project' })
  @ApiResponse({ status: 200, description: 'OK' })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'BOND_NOT_FOUND' }))
  async get(@Param('bondId', SlugPipe) bondId: string, @Query() _query: ReadQueryDto) {
    const bond = await this.projections.queries.bond(bondId);
    if (!bond) throw notFound('BOND_NOT_FOUND', `bond ${bondId} does not exist`);
    return bond;
  }
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api')
@UseInterceptors(ReadYourWritesInterceptor)
export class PortfolioAuditController {
  constructor(private readonly projections: Projections) {}

  @Get('audit/verify')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Recompute every hash chain and every read model from the log, check every bond-project link; report the first broken link, differing figure or broken cross-stream link',
  })
  @ApiResponse({
    status: 200,
    type: VerifySchema,
    description: 'the report; ok: false when a chain is broken, a figure differs or a cross-stream link is broken',
  })
  @errors()
  verify(@Query() _query: ReadQueryDto) {
    return this.projections.queries.verify();
  }
}
