import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { BOND_KINDS, SLUG_PATTERN } from '@fundtrail/funding';
import { IsAmount, IsCalendarDate, IsLabel, IsOptionalField, IsPercent, SLUG_MESSAGE } from '../validation/validators';
import { CorrectionDto, MoneyCommandDto } from './project.dto';

export class IssueBondDto extends MoneyCommandDto {
  @ApiProperty({ example: 'yn-special-2023-renewal', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  bondId: string;

  @ApiProperty({ example: '2023年云南省地方政府专项债券（续发）', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsLabel()
  name: string;

  @ApiProperty({ enum: BOND_KINDS })
  @IsIn(BOND_KINDS, { message: `$property must be one of: ${BOND_KINDS.join(', ')}` })
  kind: string;

  @ApiProperty({ example: '100000000.00' })
  @IsAmount()
  amount: string;

  @ApiProperty({ example: '2023-06-15' })
  @IsCalendarDate()
  issueDate: string;

  @ApiPropertyOptional({ example: 15 })
  @IsOptionalField()
  @IsInt()
  @Min(1)
  @Max(100)
  termYears?: number;

  @ApiPropertyOptional({ example: '3.25', description: 'annual coupon, percent' })
  @IsOptionalField()
  @IsPercent()
  couponRate?: string;
}

export class AssignBondProceedsDto extends MoneyCommandDto {
  @ApiProperty({ example: 'to-changpo-2023', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  assignmentId: string;

  @ApiProperty({ example: 'changpo-shantytown-phase2-plot1', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  projectId: string;

  @ApiProperty({ example: '100000000.00' })
  @IsAmount()
  amount: string;
}

export class ReverseBondAssignmentDto extends CorrectionDto {}
