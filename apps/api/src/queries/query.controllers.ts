import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@fundtrail/auth';
import type { RecordedEvent } from '@fundtrail/event-store';
import {
  type FigureTrace,
  GetBond,
  GetPortfolioFigures,
  GetProject,
  GetProjectEvents,
  GetProjectHistory,
  ListProjects,
  type ProjectView,
  toEventView,
  TraceFigure,
  VerifyAudit,
} from '@fundtrail/projections';
import { problem, ProblemException } from '../problem/problem';
import { ProblemSchema, ProjectFiguresSchema, ProjectListSchema, TraceSchema, VerifySchema } from '../openapi/schemas';
import { SlugPipe } from '../validation/validation';
import { EventsQueryDto, HistoryQueryDto, ListProjectsQueryDto, parseInstant, ReadQueryDto } from './query.dto';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

const EVERYONE = ['clerk', 'budget-officer', 'auditor', 'analyst'] as const;
const READ_ERRORS = [
  ApiResponse({ status: 400, type: ProblemSchema, description: 'VALIDATION_FAILED, INVALID_PATH' }),
  ApiResponse({ status: 401, type: ProblemSchema, description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED' }),
  ApiResponse({ status: 403, type: ProblemSchema, description: 'FORBIDDEN' }),
  ApiResponse({ status: 503, type: ProblemSchema, description: 'PROJECTION_BEHIND (minPosition not reached in 5 s), STORE_UNAVAILABLE' }),
];
const errors = (...extra: MethodDecorator[]): MethodDecorator => (target, key, descriptor) => {
  for (const decorate of [...READ_ERRORS, ...extra]) decorate(target, key, descriptor);
};

function notFound(code: string, detail: string): ProblemException {
  return new ProblemException(problem(404, code, detail));
}

@ApiTags('projects: queries')
@ApiBearerAuth()
@Controller('api/projects')
@UseInterceptors(ReadYourWritesInterceptor)
export class ProjectQueriesController {
  constructor(private readonly queries: QueryBus) {}

  private async view(projectId: string): Promise<ProjectView> {
    const view = await this.queries.execute<GetProject, ProjectView | undefined>(new GetProject(projectId));
    if (!view) throw notFound('PROJECT_NOT_FOUND', `project ${projectId} does not exist (or is not projected yet: pass minPosition)`);
    return view;
  }

  @Get()
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'Projects with headline figures; search by name or id, paginated' })
  @ApiResponse({ status: 200, type: ProjectListSchema })
  @errors()
  list(@Query() query: ListProjectsQueryDto) {
    return this.queries.execute(new ListProjects(query.search, Number(query.page ?? 1), Number(query.pageSize ?? 20)));
  }

  @Get(':projectId')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'A project: what it holds, and all its figures' })
  @ApiResponse({ status: 200, description: 'OK' })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND' }))
  get(@Param('projectId', SlugPipe) projectId: string, @Query() _query: ReadQueryDto) {
    return this.view(projectId);
  }

  @Get(':projectId/figures')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'All figures of a project (DESIGN §4), each with its formula and terms' })
  @ApiResponse({ status: 200, type: ProjectFiguresSchema })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND' }))
  async figures(@Param('projectId', SlugPipe) projectId: string, @Query() _query: ReadQueryDto) {
    const view = await this.view(projectId);
    return { projectId, asOfPosition: view.asOfPosition, figures: view.figures };
  }

  @Get(':projectId/figures/:key/trace')
  @Roles('auditor', 'analyst')
  @ApiOperation({ summary: 'The formula, every contributing event, the value recomputed from them, and whether it matches the read model' })
  @ApiResponse({ status: 200, type: TraceSchema })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND, FIGURE_NOT_FOUND' }))
  async trace(@Param('projectId', SlugPipe) projectId: string, @Param('key') key: string, @Query() _query: ReadQueryDto) {
    if (!/^[a-z_]{1,40}(:[a-z0-9][a-z0-9-]{0,63})?$/.test(key)) throw notFound('FIGURE_NOT_FOUND', `no figure ${key}`);
    const trace = await this.queries.execute<TraceFigure, FigureTrace | undefined | 'no-project'>(new TraceFigure(projectId, key));
    if (trace === 'no-project') throw notFound('PROJECT_NOT_FOUND', `project ${projectId} does not exist`);
    if (!trace) throw notFound('FIGURE_NOT_FOUND', `project ${projectId} has no figure ${key}`);
    return { projectId, ...trace };
  }

  @Get(':projectId/events')
  @Roles('auditor')
  @ApiOperation({ summary: "The project's stream as it stood: toPosition, asOfRecorded, asOfEffective" })
  @ApiResponse({ status: 200, description: 'OK' })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND' }))
  async events(@Param('projectId', SlugPipe) projectId: string, @Query() query: EventsQueryDto) {
    const events = await this.queries.execute<GetProjectEvents, RecordedEvent[]>(
      new GetProjectEvents(projectId, {
        toPosition: query.toPosition === undefined ? undefined : BigInt(query.toPosition),
        asOfRecorded: query.asOfRecorded === undefined ? undefined : parseInstant(query.asOfRecorded),
        asOfEffective: query.asOfEffective,
      }),
    );
    if (events.length === 0 && !(await this.exists(projectId))) throw notFound('PROJECT_NOT_FOUND', `project ${projectId} does not exist`);
    return { projectId, count: events.length, events: events.map(toEventView) };
  }

  @Get(':projectId/history')
  @Roles('auditor')
  @ApiOperation({ summary: 'Figures as they stood at a global position or a recording time, recomputed from the log' })
  @ApiResponse({ status: 200, description: 'OK' })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND' }))
  async history(@Param('projectId', SlugPipe) projectId: string, @Query() query: HistoryQueryDto) {
    const asOf = /^\d+$/.test(query.asOf) ? { position: BigInt(query.asOf) } : { recordedAt: parseInstant(query.asOf) as Date };
    const history = await this.queries.execute(new GetProjectHistory(projectId, asOf));
    if (!history) throw notFound('PROJECT_NOT_FOUND', `project ${projectId} does not exist`);
    return { projectId, asOf: query.asOf, ...history };
  }

  private async exists(projectId: string): Promise<boolean> {
    return (await this.queries.execute(new GetProject(projectId))) !== undefined;
  }
}

@ApiTags('bonds: queries')
@ApiBearerAuth()
@Controller('api/bonds')
@UseInterceptors(ReadYourWritesInterceptor)
export class BondQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':bondId')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'A bond issue: issued, assigned, per project' })
  @ApiResponse({ status: 200, description: 'OK' })
  @errors(ApiResponse({ status: 404, type: ProblemSchema, description: 'BOND_NOT_FOUND' }))
  async get(@Param('bondId', SlugPipe) bondId: string, @Query() _query: ReadQueryDto) {
    const bond = await this.queries.execute(new GetBond(bondId));
    if (!bond) throw notFound('BOND_NOT_FOUND', `bond ${bondId} does not exist`);
    return bond;
  }
}

@ApiTags('portfolio and audit')
@ApiBearerAuth()
@Controller('api')
@UseInterceptors(ReadYourWritesInterceptor)
export class PortfolioAuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get('portfolio/figures')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'District totals across every project' })
  @ApiResponse({ status: 200, type: ProjectFiguresSchema, description: 'district totals (projectId absent)' })
  @errors()
  portfolio(@Query() _query: ReadQueryDto) {
    return this.queries.execute(new GetPortfolioFigures());
  }

  @Get('audit/verify')
  @Roles('auditor')
  @ApiOperation({ summary: 'Recompute every hash chain and every read model from the log, check every bond-project link; report the first broken link, differing figure or broken cross-stream link' })
  @ApiResponse({ status: 200, type: VerifySchema, description: 'the report; ok: false when a chain is broken, a figure differs or a cross-stream link is broken' })
  @errors()
  verify(@Query() _query: ReadQueryDto) {
    return this.queries.execute(new VerifyAudit());
  }
}
