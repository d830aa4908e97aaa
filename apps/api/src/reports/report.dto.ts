import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { SLUG_PATTERN } from '@fundtrail/funding';
import { checkStatedUnit, parseStatedValue, StatedValueError, statedUnitKind } from '@fundtrail/money';
import { figureDefinition, parseKnownAt, REGION_PATTERN } from '@fundtrail/projections';
import { PageQueryDto, ReadQueryDto } from '../queries/query.dto';
import { IsCalendarDate, IsFreeText, IsLabel, IsOptionalField, parsedBy, SLUG_MESSAGE } from '../validation/validators';

const IsKnownAt = () => parsedBy('isKnownAt', parseKnownAt, 'an ISO 8601 instant with its offset, or a global position');

/** Nested strings are put in Unicode NFC here: the pipe does it for top-level fields only. */
const Nfc = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC') : value));

function rule(name: string, check: (value: unknown, args: ValidationArguments) => string | undefined, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => check(value, args) === undefined,
        defaultMessage: (args?: ValidationArguments) => (args ? (check(args.value, args) ?? `${propertyName} is invalid`) : `${propertyName} is invalid`),
      },
    });
}

/** The unit of a stated figure: yuan | wan | yi | percent | count, or an indicator's own unit (吨, 公里). */
const IsStatedUnit = () =>
  rule('isStatedUnit', (value) => {
    try {
      checkStatedUnit(value);
      return undefined;
    } catch (error) {
      if (error instanceof StatedValueError) return error.message;
      throw error;
    }
  });

/** The stated value reads as a number printed in its unit ("111,969.90" wan; "74.25" percent; "20" count). */
const IsStatedInUnit = () =>
  rule('isStatedInUnit', (value, args) => {
    const unit = (args.object as StatedFigureDto).unit;
    try {
      checkStatedUnit(unit);
    } catch {
      return undefined; // the unit's own rule names that fault
    }
    try {
      parseStatedValue(value, unit);
      return undefined;
    } catch (error) {
      if (error instanceof StatedValueError) return error.message;
      throw error;
    }
  });

/** A figure key, and a stated unit its figure can be printed in: amounts in 元/万元/亿元, rates in percent, quantities in any other. */
const IsFigureKeyForUnit = () =>
  rule('isFigureKey', (value, args) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > 200) return 'key must be a figure key';
    const definition = figureDefinition(value);
    if (definition === undefined) return `key ${value} is not a figure key`;
    const unit = (args.object as StatedFigureDto).unit;
    let kind;
    try {
      kind = statedUnitKind(checkStatedUnit(unit));
    } catch {
      return undefined;
    }
    const fits = definition.unit === 'yuan' ? kind === 'money' : definition.unit === 'percent' ? kind === 'percent' : kind === 'count' || kind === 'quantity';
    return fits ? undefined : `key ${value} is a ${definition.unit} figure and cannot be stated in ${String(unit)}`;
  });

/** Exactly one of projectId, programmeId, portfolio. */
const IsOneScope = () =>
  rule('isOneScope', (value) => {
    if (typeof value !== 'object' || value === null) return undefined; // IsObject names that fault
    const scope = value as ScopeDto;
    const given = (['projectId', 'programmeId', 'portfolio'] as const).filter((field) => scope[field] !== undefined);
    return given.length === 1 ? undefined : 'scope must name exactly one of projectId, programmeId, portfolio';
  });

/** The filters of every portfolio query (programme, region, department, category, fiscalYear). */
export class PortfolioScopeDto {
  @ApiPropertyOptional({ example: 'urban-renewal-2024' })
  @IsOptional()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  programme?: string;

  @ApiPropertyOptional({ example: 'yunnan/kunming/xishan' })
  @IsOptional()
  @Matches(REGION_PATTERN, { message: '$property must be a path of slugs separated by "/", broadest first, at most 10 levels' })
  region?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Nfc()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  department?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @Nfc()
  @IsString()
  @Length(1, 64)
  @IsLabel()
  category?: string;

  @ApiPropertyOptional({ example: 2024 })
  @IsOptional()
  @IsInt()
  @Min(1949)
  @Max(2200)
  fiscalYear?: number;
}

/** What a stated figure is about: `{ projectId }`, `{ programmeId }` or `{ portfolio: {…filters} }`. */
export class ScopeDto {
  @ApiPropertyOptional({ example: 'changpo-shantytown-phase2-plot1' })
  @IsOptional()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  projectId?: string;

  @ApiPropertyOptional({ example: 'kunming-rural-roads' })
  @IsOptional()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  programmeId?: string;

  @ApiPropertyOptional({ type: PortfolioScopeDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PortfolioScopeDto)
  portfolio?: PortfolioScopeDto;
}

export class CitationDto {
  @ApiProperty({ example: '一（二）', maxLength: 200 })
  @Nfc()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  section: string;

  @ApiProperty({ example: '共计到位资金111,969.90万元', maxLength: 2000 })
  @Nfc()
  @IsString()
  @Length(1, 2000)
  @IsFreeText()
  quote: string;
}

export class StatedFigureDto {
  @ApiProperty({ example: 'changpo-received-total', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  statedId: string;

  @ApiProperty({ type: ScopeDto })
  @IsDefined()
  @IsObject()
  @IsOneScope()
  @ValidateNested()
  @Type(() => ScopeDto)
  scope: ScopeDto;

  @ApiPropertyOptional({ example: 'received_total', description: 'a figure key; absent: printed but not keyed' })
  @IsOptionalField()
  @IsFigureKeyForUnit()
  key?: string;

  @ApiProperty({ example: '111,969.90', description: 'the decimal string as printed (thousands separators allowed)' })
  @IsString()
  @Length(1, 40)
  @IsStatedInUnit()
  stated: string;

  @ApiProperty({ example: 'wan', description: 'yuan | wan | yi | percent | count, or an indicator unit (吨, 公里)' })
  @Nfc()
  @IsStatedUnit()
  unit: string;

  @ApiProperty({ type: CitationDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CitationDto)
  citation: CitationDto;

  @ApiPropertyOptional({ type: [String], description: 'a total: the statedIds of its parts in this report' })
  @IsOptionalField()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(SLUG_PATTERN, { each: true, message: '$property must list statedIds (slugs)' })
  sumOf?: string[];
}

/** A published report's stated figures, as printed (POST /api/reports). */
export class PublishReportDto {
  @ApiProperty({ example: 'xishan-2024', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  reportId: string;

  @ApiProperty({ example: '2024年西山区重大政策和重点项目绩效执行结果说明', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @IsLabel()
  title: string;

  @ApiPropertyOptional({ example: '昆明市西山区财政局', maxLength: 200 })
  @IsOptionalField()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  publisher?: string;

  @ApiPropertyOptional({ example: '2024-09-05' })
  @IsOptionalField()
  @IsCalendarDate()
  publishedAt?: string;

  @ApiPropertyOptional({ example: '2024-08-31', description: 'the 截至 date the figures are stated as of; figures are recomputed as of that day' })
  @IsOptionalField()
  @IsCalendarDate()
  asOfEffective?: string;

  @ApiProperty({ type: [StatedFigureDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => StatedFigureDto)
  statedFigures: StatedFigureDto[];
}

/** GET /api/reports: pages of the list. */
export class ReportListQueryDto extends PageQueryDto {}

/** GET /api/reports/:id/reconciliation?knownAt= */
export class ReconciliationQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({
    description: 'the log as known then: an ISO 8601 instant with its offset (send "+" as %2B) or a global position; default: everything recorded',
    example: '2024-09-05T18:00:00%2B08:00',
  })
  @IsOptional()
  @IsKnownAt()
  knownAt?: string;
}
