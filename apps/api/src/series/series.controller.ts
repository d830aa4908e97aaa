import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@fundtrail/auth';
import {
  type FigureScope,
  HEADLINE_FIGURES,
  MAX_SERIES_POINTS,
  parseKnownAt,
  parseSeriesBound,
  parseSeriesKeys,
  type PortfolioFilter,
  ProjectAbsent,
  Projections,
  SeriesRangeError,
  type SeriesRequest,
} from '@fundtrail/projections';
import { ProblemSchema } from '../openapi/schemas';
import { PortfolioSeriesSchema, ProjectSeriesSchema } from '../openapi/time-schemas';
import { badRequest } from '../problem/problem';
import { absentProject } from '../queries/absent-project';
import { toPortfolioFilter } from '../queries/query.dto';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';
import { SlugPipe } from '../validation/validation';
import { PortfolioSeriesQueryDto, ProjectSeriesQueryDto } from './series.dto';

const EVERYONE = ['clerk', 'budget-officer', 'auditor', 'analyst'] as const;

const documented = (): MethodDecorator => (target, key, descriptor) => {
  for (const decorate of [
    ApiResponse({
      status: 400,
      type: ProblemSchema,
      description: `VALIDATION_FAILED (keys, interval, from, to, knownAt; to before from; more than ${MAX_SERIES_POINTS} points)`,
    }),
    ApiResponse({ status: 401, type: ProblemSchema, description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED' }),
    ApiResponse({ status: 403, type: ProblemSchema, description: 'FORBIDDEN' }),
    ApiResponse({ status: 503, type: ProblemSchema, description: 'PROJECTION_BEHIND, STORE_UNAVAILABLE' }),
  ])
    decorate(target, key, descriptor);
};

function seriesRequest(query: ProjectSeriesQueryDto | PortfolioSeriesQueryDto, scope: FigureScope): SeriesRequest {
  return {
    keys: query.keys === undefined ? HEADLINE_FIGURES : parseSeriesKeys(query.keys, scope),
    interval: query.interval ?? 'month',
    ...(query.from !== undefined && { from: parseSeriesBound(query.from) }),
    ...(query.to !== undefined && { to: parseSeriesBound(query.to) }),
    ...(query.knownAt !== undefined && { knownAt: parseKnownAt(query.knownAt) }),
  };
}

/** A range that cannot be answered (to before from, too many points) names its parameter, like any bad input. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SeriesRangeError)
      throw badRequest('VALIDATION_FAILED', `invalid fields: ${error.field}`, [{ field: error.field, code: error.code, message: error.message }]);
    throw error;
  }
}

function echo(query: ProjectSeriesQueryDto | PortfolioSeriesQueryDto, request: SeriesRequest) {
  return { keys: request.keys, interval: request.interval, from: query.from ?? null, to: query.to ?? null, knownAt: query.knownAt ?? null };
}

@ApiTags('projects: queries')
@ApiBearerAuth()
@Controller('api/projects')
@UseInterceptors(ReadYourWritesInterceptor)
export class ProjectSeriesController {
  constructor(private readonly projections: Projections) {}

  @Get(':projectId/series')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'Figures period by period by effective date, each point as of the last day of its period (序时进度)' })
  @ApiResponse({ status: 200, type: ProjectSeriesSchema })
  @ApiResponse({ status: 404, type: ProblemSchema, description: 'PROJECT_NOT_FOUND' })
  @documented()
  async series(@Param('projectId', SlugPipe) projectId: string, @Query() query: ProjectSeriesQueryDto) {
    const request = seriesRequest(query, 'project');
    const found = await answering(() => this.projections.inTime.projectSeries(projectId, request));
    if (found instanceof ProjectAbsent) throw absentProject(projectId, found);
    return { projectId, ...echo(query, request), points: found.points };
  }
}

@ApiTags('portfolio and audit')
@ApiBearerAuth()
@Controller('api/portfolio')
@UseInterceptors(ReadYourWritesInterceptor)
export class PortfolioSeriesController {
  constructor(private readonly projections: Projections) {}

  @Get('series')
  @Roles(...EVERYONE)
  @ApiOperation({
    summary: 'District totals period by period by effective date, each point as of the last day of its period, over the projects the portfolio filters select',
  })
  @ApiResponse({ status: 200, type: PortfolioSeriesSchema })
  @documented()
  async series(@Query() query: PortfolioSeriesQueryDto) {
    const request = seriesRequest(query, 'portfolio');
    const filter: PortfolioFilter = toPortfolioFilter(query);
    const found = await answering(() => this.projections.inTime.portfolioSeries(filter, request));
    return { ...echo(query, request), projects: found.projectIds.length, points: found.points };
  }
}
