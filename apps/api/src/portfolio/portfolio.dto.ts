import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, registerDecorator, type ValidationOptions } from 'class-validator';
import { BREAKDOWN_DIMENSIONS, FIGURE_OPERATORS, FigureConditionError, isFigureKey, parseFigureCondition } from '@fundtrail/projections';
import { TimeQueryDto } from '../queries/figure-time.dto';
import { PortfolioFilterQueryDto } from '../queries/query.dto';
import { PRINTABLE } from '../validation/validators';

/** The portfolio filters and the time of the figures: as of an effective day, as known at a moment. */
export class PortfolioQueryDto extends IntersectionType(PortfolioFilterQueryDto, TimeQueryDto) {}

export class BreakdownQueryDto extends PortfolioQueryDto {
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS, description: 'what to group the selected projects by' })
  @IsIn(BREAKDOWN_DIMENSIONS, { message: `$property must be one of: ${BREAKDOWN_DIMENSIONS.join(', ')}` })
  by: string;
}

const FIGURE_KEY_MESSAGE = '$property must be a figure key such as execution_rate or received_by_source:special-bond';

/** filter=<figure key><op><number>, once or repeated (all must hold), at most 10. */
function IsFigureConditions(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isFigureConditions',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => conditionProblem(value) === undefined,
        defaultMessage: (args) => `${propertyName} ${conditionProblem(args?.value) ?? 'is not valid'}`,
      },
    });
}

function conditionProblem(value: unknown): string | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > 10) return 'may be given at most 10 times';
  for (const item of list) {
    if (typeof item !== 'string' || item.length > 200) return 'must be text of at most 200 characters';
    try {
      parseFigureCondition(item);
    } catch (error) {
      if (error instanceof FigureConditionError) return error.message;
      throw error;
    }
  }
  return undefined;
}

/** GET /api/projects: search and paging, the portfolio filters and time, and sorting and filtering by any figure. */
export class ProjectListQueryDto extends PortfolioQueryDto {
  @ApiPropertyOptional({ description: 'part of the project name or id (compared in Unicode NFC)', maxLength: 100 })
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

  @ApiPropertyOptional({ example: 'execution_rate', description: 'a figure key: projects ordered by its value, those without a value last' })
  @IsOptional()
  @IsString()
  @Matches(/^.{1,120}$/, { message: FIGURE_KEY_MESSAGE })
  @IsFigureKey()
  sort?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'with sort: ascending (default) or descending' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: '$property must be asc or desc' })
  order?: string;

  @ApiPropertyOptional({
    example: 'execution_rate<60',
    description: `<figure key><op><number>, op one of ${FIGURE_OPERATORS.join(' ')}, the number in the figure's unit (yuan, percent, quantity); repeat for more (all must hold); a figure without a value never passes`,
  })
  @IsOptional()
  @IsFigureConditions()
  filter?: string | string[];
}

function IsFigureKey(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isFigureKey',
      target: target.constructor,
      propertyName,
      options: { message: FIGURE_KEY_MESSAGE, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isFigureKey(value) },
    });
}
