import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { bureauDayOf } from '@fundtrail/calendar';
import { WARNING_STATUSES, type WarningStatus } from '@fundtrail/funding';
import { parseKnownAt, type WarningTime } from '@fundtrail/projections';
import { PortfolioFilterQueryDto, ReadQueryDto } from '../queries/query.dto';
import { IsCalendarDate, parsedBy } from '../validation/validators';

const IsKnownAt = () => parsedBy('isKnownAt', parseKnownAt, 'a global position, or an ISO 8601 instant with its offset (send "+" as %2B)');

/** As the log stood at a moment: only what was recorded by then. */
export class KnownAtQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({
    description: 'only facts, rule versions and dispositions recorded by then: a global position or an ISO 8601 instant',
    example: '2024-09-05T18:00:00+08:00',
  })
  @IsOptional()
  @IsKnownAt()
  knownAt?: string;
}

/** When a warning question is asked for: the day (default today, in the bureau's calendar) and the log as known then. */
export class WarningTimeQueryDto extends KnownAtQueryDto {
  @ApiPropertyOptional({ description: 'evaluate as of this day (YYYY-MM-DD, a date that exists); default today in Asia/Shanghai', example: '2024-08-31' })
  @IsOptional()
  @IsCalendarDate()
  asOfEffective?: string;
}

/** The same time parameters with the portfolio filters (they choose the projects) and a status. */
export class WarningsQueryDto extends PortfolioFilterQueryDto {
  @ApiPropertyOptional({ description: 'evaluate as of this day (YYYY-MM-DD, a date that exists); default today in Asia/Shanghai', example: '2024-08-31' })
  @IsOptional()
  @IsCalendarDate()
  asOfEffective?: string;

  @ApiPropertyOptional({
    description: 'only facts, rule versions and dispositions recorded by then: a global position or an ISO 8601 instant',
    example: '1234',
  })
  @IsOptional()
  @IsKnownAt()
  knownAt?: string;

  @ApiPropertyOptional({ enum: WARNING_STATUSES, description: 'only warnings with this status' })
  @IsOptional()
  @IsIn(WARNING_STATUSES, { message: `$property must be one of ${WARNING_STATUSES.join(', ')}` })
  status?: string;
}

export function warningTime(query: { asOfEffective?: string; knownAt?: string }): WarningTime {
  return {
    asOfEffective: query.asOfEffective ?? bureauDayOf(new Date()),
    ...(query.knownAt !== undefined && { knownAt: parseKnownAt(query.knownAt) }),
  };
}

export const statusOf = (query: WarningsQueryDto): WarningStatus | undefined => query.status as WarningStatus | undefined;
