import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@fundtrail/auth';
import { parseKnownAt, ProjectAbsent, Projections } from '@fundtrail/projections';
import { ProblemSchema } from '../openapi/schemas';
import { RestatementSchema } from '../openapi/time-schemas';
import { problem, ProblemException } from '../problem/problem';
import { absentProject } from '../queries/absent-project';
import { AS_OF_EFFECTIVE_DOC, IsKnownAt, KNOWN_AT_DOC } from '../queries/figure-time.dto';
import { ReadQueryDto } from '../queries/query.dto';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';
import { SlugPipe } from '../validation/validation';
import { IsCalendarDate } from '../validation/validators';

/** A restatement needs both: the day a figure was published for, and the moment it was published. */
export class RestatementQueryDto extends ReadQueryDto {
  @ApiProperty(AS_OF_EFFECTIVE_DOC)
  @IsCalendarDate()
  asOfEffective: string;

  @ApiProperty(KNOWN_AT_DOC)
  @IsKnownAt()
  knownAt: string;
}

const FIGURE_KEY = /^[a-z_]{1,40}(:[a-z0-9][a-z0-9-]{0,63})?$/;

@ApiTags('projects: queries')
@ApiBearerAuth()
@Controller('api/projects')
@UseInterceptors(ReadYourWritesInterceptor)
export class RestatementController {
  constructor(private readonly projections: Projections) {}

  @Get(':projectId/figures/:key/restatement')
  @Roles('auditor', 'analyst')
  @ApiOperation({
    summary:
      'What a figure published at knownAt for the day asOfEffective has become since: then and now (figure objects; null where it was, or is, no figure), ' +
      'and changedBy: the terms of the figure now that were recorded after knownAt',
  })
  @ApiResponse({ status: 200, type: RestatementSchema })
  @ApiResponse({
    status: 400,
    type: ProblemSchema,
    description: 'VALIDATION_FAILED (asOfEffective or knownAt missing, or a date or instant that does not exist)',
  })
  @ApiResponse({ status: 401, type: ProblemSchema, description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED' })
  @ApiResponse({ status: 403, type: ProblemSchema, description: 'FORBIDDEN' })
  @ApiResponse({
    status: 404,
    type: ProblemSchema,
    description: 'PROJECT_NOT_FOUND, PROJECT_NOT_YET_RECORDED (nothing effective by that day was recorded by knownAt), FIGURE_NOT_FOUND',
  })
  @ApiResponse({ status: 503, type: ProblemSchema, description: 'PROJECTION_BEHIND, STORE_UNAVAILABLE' })
  async restatement(@Param('projectId', SlugPipe) projectId: string, @Param('key') key: string, @Query() query: RestatementQueryDto) {
    if (!FIGURE_KEY.test(key)) throw new ProblemException(problem(404, 'FIGURE_NOT_FOUND', `no figure ${key}`));
    const found = await this.projections.inTime.restatement(projectId, key, query.asOfEffective, parseKnownAt(query.knownAt));
    if (found instanceof ProjectAbsent) throw absentProject(projectId, found, query);
    if (!found)
      throw new ProblemException(problem(404, 'FIGURE_NOT_FOUND', `project ${projectId} has no figure ${key} for ${query.asOfEffective}, then or now`));
    return { projectId, key, asOfEffective: query.asOfEffective, knownAt: query.knownAt, ...found };
  }
}
