import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@fundtrail/auth';
import { type BreakdownDimension, type FigureCondition, parseFigureCondition, Projections } from '@fundtrail/projections';
import { ProblemSchema } from '../openapi/schemas';
import { problem, ProblemException } from '../problem/problem';
import { toPortfolioFilter } from '../queries/query.dto';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';
import { echoedTime, figureTimeOf } from '../queries/figure-time.dto';
import { BreakdownQueryDto, PortfolioQueryDto, ProjectListQueryDto } from './portfolio.dto';
import { EVERYONE, readErrorsFor } from '../queries/read-errors';
import { BreakdownSchema, FilteredProjectListSchema, PortfolioFiguresSchema, PortfolioTraceSchema } from './portfolio.schemas';

export const documented = readErrorsFor('VALIDATION_FAILED (a filter, a time or a figure key that is not valid; an unknown parameter), INVALID_PATH');

const FIGURE_KEY_TEXT = /^[a-z_]{1,40}(:[a-z0-9][a-z0-9-]{0,63})?$/;

/** The portfolio at any level: one set of filters (programme with its descendants, region prefix, department, category, fiscal year) and one time. */
@ApiTags('portfolio')
@ApiBearerAuth()
@Controller('api')
@UseInterceptors(ReadYourWritesInterceptor)
export class PortfolioController {
  constructor(private readonly projections: Projections) {}

  @Get('portfolio/figures')
  @Roles(...EVERYONE)
  @ApiOperation({ summary: 'The figures over the selected projects (their terms merged), as of asOfEffective and as known at knownAt' })
  @ApiResponse({ status: 200, type: PortfolioFiguresSchema })
  @documented()
  async figures(@Query() query: PortfolioQueryDto) {
    const filter = toPortfolioFilter(query);
    const answer = await this.projections.portfolio.figures(filter, figureTimeOf(query));
    return { filter, ...echoedTime(query), ...answer };
  }

  @Get('portfolio/breakdown')
  @Roles(...EVERYONE)
  @ApiOperation({
    summary:
      "The selected projects grouped by programme (children of the programme filter, or the roots), region, department, category or source, with each group's figures",
  })
  @ApiResponse({ status: 200, type: BreakdownSchema })
  @documented()
  async breakdown(@Query() query: BreakdownQueryDto) {
    const filter = toPortfolioFilter(query);
    const answer = await this.projections.portfolio.breakdown(query.by as BreakdownDimension, filter, figureTimeOf(query));
    return { by: answer.by, filter, ...echoedTime(query), asOfPosition: answer.asOfPosition, groups: answer.groups };
  }

  @Get('portfolio/figures/:key/trace')
  @Roles('auditor', 'analyst')
  @ApiOperation({
    summary:
      'One portfolio figure: its formula, its value, the projects whose terms it sums (each with its own value and terms), and whether the log gives the same value',
  })
  @ApiResponse({ status: 200, type: PortfolioTraceSchema })
  @documented(
    ApiResponse({
      status: 404,
      type: ProblemSchema,
      description: 'FIGURE_NOT_FOUND (no such figure, or one with no portfolio total such as output_completion:*)',
    }),
  )
  async trace(@Param('key') key: string, @Query() query: PortfolioQueryDto) {
    const trace = FIGURE_KEY_TEXT.test(key) ? await this.projections.portfolio.trace(key, toPortfolioFilter(query), figureTimeOf(query)) : undefined;
    if (!trace) throw new ProblemException(problem(404, 'FIGURE_NOT_FOUND', `the portfolio has no figure ${key}`));
    return { ...trace, ...echoedTime(query) };
  }

  @Get('projects')
  @Roles(...EVERYONE)
  @ApiOperation({
    summary:
      'Projects with headline figures: search, the portfolio filters and time, sort=<figure key>&order=asc|desc (no value last), filter=<figure key><op><number> (no value never passes); paginated',
  })
  @ApiResponse({ status: 200, type: FilteredProjectListSchema })
  @documented()
  async list(@Query() query: ProjectListQueryDto) {
    const conditions: FigureCondition[] = (query.filter === undefined ? [] : Array.isArray(query.filter) ? query.filter : [query.filter]).map(
      parseFigureCondition,
    );
    const answer = await this.projections.portfolio.listProjects({
      filter: toPortfolioFilter(query),
      time: figureTimeOf(query),
      search: query.search,
      ...(query.sort !== undefined && { sort: { key: query.sort, order: query.order === 'desc' ? 'desc' : 'asc' } }),
      conditions,
      page: Number(query.page ?? 1),
      pageSize: Number(query.pageSize ?? 20),
    });
    return { ...answer, ...echoedTime(query) };
  }
}
