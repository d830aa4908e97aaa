import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { type FigureTime, parseKnownAt } from '@fundtrail/projections';
import { IsCalendarDate, parsedBy } from '../validation/validators';
import { PageQueryDto, ReadQueryDto } from './query.dto';

/** knownAt: a global position, or an instant with its offset (never a bare date: a moment, not a day). */
export const IsKnownAt = () =>
  parsedBy('isKnownAt', parseKnownAt, 'a global position (digits) or an ISO 8601 instant with its offset such as 2024-09-05T18:00:00%2B08:00');

export const AS_OF_EFFECTIVE_DOC = {
  description: 'only events effective on or before this day (截至), a date that exists, YYYY-MM-DD; default: every day',
  example: '2024-08-31',
};
export const KNOWN_AT_DOC = {
  description: 'only events recorded by then: a global position, or an ISO 8601 instant with its offset (send "+" as %2B); default: everything recorded',
  example: '2024-09-05T18:00:00+08:00',
};

/** The time parameters every figure endpoint takes: both absent = the read models answer. */
export class TimeQueryDto extends ReadQueryDto {
  @ApiPropertyOptional(AS_OF_EFFECTIVE_DOC)
  @IsOptional()
  @IsCalendarDate()
  asOfEffective?: string;

  @ApiPropertyOptional(KNOWN_AT_DOC)
  @IsOptional()
  @IsKnownAt()
  knownAt?: string;
}

/** The time parameters of a paged figure answer (a project, its figures, a trace). */
export class FigureTimeQueryDto extends IntersectionType(PageQueryDto, TimeQueryDto) {}

/** The validated parameters as the one time filter takes them. */
export function figureTimeOf(query: { asOfEffective?: string; knownAt?: string }): FigureTime {
  return {
    ...(query.asOfEffective !== undefined && { asOfEffective: query.asOfEffective }),
    ...(query.knownAt !== undefined && { knownAt: parseKnownAt(query.knownAt) }),
  };
}

/** The time as the answer echoes it: as given, null for "everything". */
export function echoedTime(query: { asOfEffective?: string; knownAt?: string }): { asOfEffective: string | null; knownAt: string | null } {
  return { asOfEffective: query.asOfEffective ?? null, knownAt: query.knownAt ?? null };
}
