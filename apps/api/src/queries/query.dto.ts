import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { PRINTABLE } from '../validation/validators';

const POSITION = /^\d{1,19}$/;
const POSITION_MESSAGE = { message: '$property must be a global position (a non-negative integer)' };
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Every GET accepts minPosition: wait until the read models include that position (read-your-writes). */
export class ReadQueryDto {
  @ApiPropertyOptional({ description: 'wait (at most 5 s, else 503) until projections reach this global position', example: '787480576001' })
  @IsOptional()
  @Matches(POSITION, POSITION_MESSAGE)
  minPosition?: string;
}

export class ListProjectsQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: 'part of the project name or id', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(PRINTABLE, { message: '$property must not contain control characters' })
  search?: string;

  @ApiPropertyOptional({ example: '1', description: 'page number from 1' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,5}$/, { message: '$property must be an integer from 1' })
  page?: string;

  @ApiPropertyOptional({ example: '20', description: '1 to 200' })
  @IsOptional()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: '$property must be an integer from 1 to 200' })
  pageSize?: string;
}

export class EventsQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: 'only events at or before this global position' })
  @IsOptional()
  @Matches(POSITION, POSITION_MESSAGE)
  toPosition?: string;

  @ApiPropertyOptional({ description: 'only events recorded at or before this instant (ISO 8601)', example: '2024-09-01T00:00:00Z' })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: '$property must be an ISO 8601 date or date-time' })
  asOfRecorded?: string;

  @ApiPropertyOptional({ description: 'only events whose effective date is on or before this date', example: '2024-08-31' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be an ISO date YYYY-MM-DD' })
  asOfEffective?: string;
}

export class HistoryQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: 'a global position, or an ISO 8601 instant (recording time)', example: '2024-09-01T00:00:00Z' })
  @Matches(new RegExp(`${POSITION.source}|${ISO_INSTANT.source}`), { message: '$property must be a global position or an ISO 8601 date-time' })
  asOf: string;
}

export function parseInstant(text: string): Date | undefined {
  const date = new Date(/T/.test(text) ? text : `${text}T23:59:59.999+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
