import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, registerDecorator } from 'class-validator';
import {
  type FigureScope,
  HEADLINE_FIGURES,
  MAX_SERIES_KEYS,
  MAX_SERIES_POINTS,
  parseSeriesBound,
  parseSeriesKeys,
  SERIES_INTERVALS,
  SeriesRangeError,
  type SeriesInterval,
} from '@fundtrail/projections';
import { IsKnownAt, KNOWN_AT_DOC } from '../queries/figure-time.dto';
import { PortfolioFilterQueryDto, ReadQueryDto } from '../queries/query.dto';
import { parsedBy } from '../validation/validators';

const IsSeriesBound = () => parsedBy('isSeriesBound', parseSeriesBound, 'a month YYYY-MM or a calendar date YYYY-MM-DD');

/** Figure keys separated by commas, each a figure of the scope. */
function IsFigureKeys(scope: FigureScope) {
  const problemWith = (value: unknown): string | undefined => {
    try {
      parseSeriesKeys(value, scope);
      return undefined;
    } catch (error) {
      if (error instanceof SeriesRangeError) return error.message;
      throw error;
    }
  };
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isFigureKeys',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => problemWith(value) === undefined,
        defaultMessage: (args) => problemWith(args?.value) ?? `${propertyName} must be figure keys separated by commas`,
      },
    });
}

class SeriesQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ enum: SERIES_INTERVALS, description: 'one point per month (default), quarter or year, each as of the last day of its period' })
  @IsOptional()
  @IsIn(SERIES_INTERVALS, { message: `$property must be one of ${SERIES_INTERVALS.join(', ')}` })
  interval?: SeriesInterval;

  @ApiPropertyOptional({
    description: `the first period: the one containing this month YYYY-MM or day YYYY-MM-DD (default: the earliest effective date); at most ${MAX_SERIES_POINTS} points`,
    example: '2024-01',
  })
  @IsOptional()
  @IsSeriesBound()
  from?: string;

  @ApiPropertyOptional({ description: 'the last period: the one containing this month or day (default: the latest effective date)', example: '2024-12' })
  @IsOptional()
  @IsSeriesBound()
  to?: string;

  @ApiPropertyOptional({ ...KNOWN_AT_DOC, description: `every point as the books stood then: ${KNOWN_AT_DOC.description}` })
  @IsOptional()
  @IsKnownAt()
  knownAt?: string;
}

const KEYS_DOC = `figure keys separated by commas, at most ${MAX_SERIES_KEYS} (default: ${HEADLINE_FIGURES.join(',')})`;

export class ProjectSeriesQueryDto extends SeriesQueryDto {
  @ApiPropertyOptional({ description: KEYS_DOC, example: 'received_total,execution_rate' })
  @IsOptional()
  @IsFigureKeys('project')
  keys?: string;
}

class PortfolioSeriesKeysDto extends SeriesQueryDto {
  @ApiPropertyOptional({ description: `${KEYS_DOC}; figures of one receipt or indicator have no district total`, example: 'received_total,execution_rate' })
  @IsOptional()
  @IsFigureKeys('portfolio')
  keys?: string;
}

/** A portfolio series takes the portfolio's filters, like every portfolio answer. */
export class PortfolioSeriesQueryDto extends IntersectionType(PortfolioSeriesKeysDto, PortfolioFilterQueryDto) {}
