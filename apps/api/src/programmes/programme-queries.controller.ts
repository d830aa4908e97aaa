import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@fundtrail/auth';
import { Projections } from '@fundtrail/projections';
import { ProblemSchema } from '../openapi/schemas';
import { documented } from '../portfolio/portfolio.controller';
import { echoedTime, figureTimeOf, TimeQueryDto } from '../queries/figure-time.dto';
import { ProgrammeViewSchema } from '../portfolio/portfolio.schemas';
import { problem, ProblemException } from '../problem/problem';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';
import { SlugPipe } from '../validation/validation';

@ApiTags('programmes: queries')
@ApiBearerAuth()
@Controller('api/programmes')
@UseInterceptors(ReadYourWritesInterceptor)
export class ProgrammeQueriesController {
  constructor(private readonly projections: Projections) {}

  @Get(':programmeId')
  @Roles('clerk', 'budget-officer', 'auditor', 'analyst')
  @ApiOperation({ summary: 'A programme: its children, its projects, its indicators, and the figures of its scope (it and every programme under it)' })
  @ApiResponse({ status: 200, type: ProgrammeViewSchema })
  @documented(ApiResponse({ status: 404, type: ProblemSchema, description: 'PROGRAMME_NOT_FOUND' }))
  async get(@Param('programmeId', SlugPipe) programmeId: string, @Query() query: TimeQueryDto) {
    const view = await this.projections.portfolio.programme(programmeId, figureTimeOf(query));
    if (!view)
      throw new ProblemException(problem(404, 'PROGRAMME_NOT_FOUND', `programme ${programmeId} does not exist (or is not projected yet: pass minPosition)`));
    return { ...view, ...echoedTime(query) };
  }
}
