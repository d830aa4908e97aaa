import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { parseRecordedCutoff } from '@fundtrail/calendar';
import { SLUG_PATTERN } from '@fundtrail/funding';
import { type AsOf, type PortfolioFilter, REGION_PATTERN } from '@fundtrail/projections';
import { IsCalendarDate, IsLabel, IsRecordedCutoff, parsedBy, SLUG_MESSAGE } from '../validation/validators';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging';

const POSITION = /^\d{1,19}$/;
const POSITION_MESSAGE = { message: '$property must be a global position (a non-negative integer)' };

/** Every GET accepts minPosition: wait until the read models include that position (read-your-writes). */
export class ReadQueryDto {
  @ApiPropertyOptional({ description: 'wait (at most 5 s, else 503) until projections reach this global position', example: '787480576001' })
  @IsOptional()
  @Matches(POSITION, POSITION_MESSAGE)
  minPosition?: string;
}

/** An answer that grows with the project comes in pages; `next` in the answer names the following one. */
export class PageQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: '1', description: 'page number from 1 (default 1)' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,5}$/, { message: '$property must be an integer from 1 to 999999' })
  page?: string;

  @ApiPropertyOptional({ example: String(DEFAULT_PAGE_SIZE), description: `items per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` })
  @IsOptional()
  @Matches(/^(?:[1-9]\d{0,2}|1000)$/, { message: `$property must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  pageSize?: string;
}

export class EventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only events at or before this global position' })
  @IsOptional()
  @Matches(POSITION, POSITION_MESSAGE)
  toPosition?: string;

  @ApiPropertyOptional({
    description:
      'only events recorded at or before this instant: ISO 8601 with its offset (send "+" as %2B), or a date YYYY-MM-DD for the end of that recording day in Asia/Shanghai',
    example: '2024-09-01T00:00:00Z',
  })
  @IsOptional()
  @IsRecordedCutoff()
  asOfRecorded?: string;

  @ApiPropertyOptional({ description: 'only events whose effective date is on or before this date (a date that exists, YYYY-MM-DD)', example: '2024-08-31' })
  @IsOptional()
  @IsCalendarDate()
  asOfEffective?: string;
}

/** history?asOf=: a global position, or a cut on recording time (an instant, or the end of a recording day). */
export function parseAsOf(value: unknown): AsOf {
  if (typeof value === 'string' && POSITION.test(value)) return { position: BigInt(value) };
  return { recordedAt: parseRecordedCutoff(value) };
}

const IsAsOf = () => parsedBy('isAsOf', parseAsOf, 'a global position, an ISO 8601 instant with its offset, or a calendar date YYYY-MM-DD');

export class HistoryQueryDto extends PageQueryDto {
  @ApiProperty({
    description:
      'a global position, an ISO 8601 instant with its offset (recording time; send "+" as %2B), or a date YYYY-MM-DD for the end of that recording day in Asia/Shanghai',
    example: '2024-09-01T00:00:00Z',
  })
  @IsAsOf()
  asOf: string;
}

/**
 * The filters every portfolio question takes (programme with its descendants, region prefix,
 * department, category, fiscalYear): one DTO, one PortfolioFilter.
 */
export class PortfolioFilterQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: 'a programme id: its projects and those of every programme under it', example: 'urban-renewal-2024' })
  @IsOptional()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  programme?: string;

  @ApiPropertyOptional({ description: 'a region path of slugs, broadest first: the projects in it or under it', example: 'yunnan/kunming/xishan' })
  @IsOptional()
  @Matches(REGION_PATTERN, { message: '$property must be a path of slugs separated by "/", broadest first (e.g. yunnan/kunming/xishan), at most 10 levels' })
  region?: string;

  @ApiPropertyOptional({ description: "the project's department, exactly", example: '区财政局', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  department?: string;

  @ApiPropertyOptional({ description: "the project's category, exactly", example: 'drainage', maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @IsLabel()
  category?: string;

  @ApiPropertyOptional({ description: 'the fiscal year the project was registered for, 1949 to 2200', example: '2023' })
  @IsOptional()
  @Matches(/^(?:19(?:49|[5-9]\d)|2[01]\d\d|2200)$/, { message: '$property must be a year from 1949 to 2200' })
  fiscalYear?: string;
}

export function toPortfolioFilter(query: PortfolioFilterQueryDto): PortfolioFilter {
  return {
    ...(query.programme !== undefined && { programme: query.programme }),
    ...(query.region !== undefined && { region: query.region }),
    ...(query.department !== undefined && { department: query.department }),
    ...(query.category !== undefined && { category: query.category }),
    ...(query.fiscalYear !== undefined && { fiscalYear: Number(query.fiscalYear) }),
  };
}
