import { Controller, Get, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Request } from 'express';
import { Roles } from '@fundtrail/auth';
import { Projections } from '@fundtrail/projections';
import { ProblemSchema } from '../openapi/schemas';
import { BackdatedPageSchema } from '../openapi/time-schemas';
import { badRequest } from '../problem/problem';
import { pageFields } from '../queries/paging';
import { PageQueryDto } from '../queries/query.dto';
import { ReadYourWritesInterceptor } from '../queries/read-your-writes.interceptor';
import { IsCalendarDate } from '../validation/validators';

export const DEFAULT_GRACE_DAYS = 30;

export class BackdatedQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: `days an entry may lag its effective date before it counts as back-dated, 0 to 99999 (default ${DEFAULT_GRACE_DAYS})`,
    example: '30',
  })
  @IsOptional()
  @Matches(/^(?:0|[1-9]\d{0,4})$/, { message: '$property must be a whole number of days from 0 to 99999' })
  graceDays?: string;

  @ApiPropertyOptional({ description: 'first recording day (the date of recordedAt in Asia/Shanghai), YYYY-MM-DD', example: '2024-09-01' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ description: 'last recording day, inclusive, YYYY-MM-DD', example: '2024-12-31' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

@ApiTags('portfolio and audit')
@ApiBearerAuth()
@Controller('api/audit')
@UseInterceptors(ReadYourWritesInterceptor)
export class BackdatedController {
  constructor(private readonly projections: Projections) {}

  @Get('backdated')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Entries recorded more than graceDays after the day they took effect, across every stream, in log order (paged): ' +
      'lagDays = recording day (the date of recordedAt in Asia/Shanghai) − effective date; from and to bound the recording day',
  })
  @ApiResponse({ status: 200, type: BackdatedPageSchema })
  @ApiResponse({ status: 400, type: ProblemSchema, description: 'VALIDATION_FAILED (graceDays, a from or to that does not exist, to before from, paging)' })
  @ApiResponse({ status: 401, type: ProblemSchema, description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED' })
  @ApiResponse({ status: 403, type: ProblemSchema, description: 'FORBIDDEN' })
  @ApiResponse({ status: 503, type: ProblemSchema, description: 'PROJECTION_BEHIND, STORE_UNAVAILABLE' })
  async backdated(@Query() query: BackdatedQueryDto, @Req() request: Request) {
    if (query.from !== undefined && query.to !== undefined && query.to < query.from) {
      throw badRequest('VALIDATION_FAILED', 'invalid fields: to', [
        { field: 'to', code: 'BEFORE_FROM', message: `to (${query.to}) is before from (${query.from})` },
      ]);
    }
    const graceDays = Number(query.graceDays ?? DEFAULT_GRACE_DAYS);
    const paging = pageFields(0, query, request);
    const { items, total } = await this.projections.inTime.backdated({
      graceDays,
      ...(query.from !== undefined && { recordedFrom: query.from }),
      ...(query.to !== undefined && { recordedTo: query.to }),
      offset: (paging.page - 1) * paging.pageSize,
      limit: paging.pageSize,
    });
    return { graceDays, from: query.from ?? null, to: query.to ?? null, items, ...pageFields(total, query, request) };
  }
}
