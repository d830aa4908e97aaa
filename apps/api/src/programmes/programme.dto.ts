import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { PROGRAMME_LEVELS, REGION_PATH_PATTERN as REGION_PATTERN, SLUG_PATTERN } from '@fundtrail/funding';
import { CommandDto } from '../commands/project.dto';
import { IsFreeText, IsLabel, IsOptionalField, SLUG_MESSAGE } from '../validation/validators';

export const REGION_MESSAGE = {
  message: '$property must be a path of slugs separated by "/", broadest first (e.g. yunnan/kunming/xishan), at most 10 levels',
};

export class RegisterProgrammeDto extends CommandDto {
  @ApiProperty({ example: 'xishan-2024-special-bonds', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  programmeId: string;

  @ApiProperty({ example: '西山区2024年地方政府专项债券项目', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsLabel()
  name: string;

  @ApiPropertyOptional({ example: 'kunming-2024-special-bonds', description: 'the programme above it; must already be registered' })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  parentId?: string;

  @ApiPropertyOptional({ enum: PROGRAMME_LEVELS })
  @IsOptionalField()
  @IsIn(PROGRAMME_LEVELS, { message: `$property must be one of: ${PROGRAMME_LEVELS.join(', ')}` })
  level?: string;

  @ApiPropertyOptional({ example: 'yunnan/kunming/xishan', pattern: REGION_PATTERN.source })
  @IsOptionalField()
  @Matches(REGION_PATTERN, REGION_MESSAGE)
  region?: string;
}

export class ChangeProjectProgrammeDto extends CommandDto {
  @ApiProperty({ example: 'xishan-2024-special-bonds', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  programmeId: string;

  @ApiProperty({ example: '按市财政局通知调整归属专项', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @IsFreeText()
  reason: string;
}
