import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DERIVED_RECEIPT_ID_RULE, DISBURSEMENT_CATEGORIES, FUNDING_SOURCES, isDerivedReceiptId, SLUG_PATTERN } from '@fundtrail/funding';
import { IsCalendarDate, IsFreeText, IsLabel, IsNotReservedId, IsOptionalField, IsQuantity, IsYuan, SLUG_MESSAGE } from '../validation/validators';

const YUAN_EXAMPLE = '16719160.00';

/** Fields every command accepts. */
export class CommandDto {
  @ApiPropertyOptional({ example: '2024-08-31', description: 'when it happened (ISO date); default: today (Asia/Shanghai)' })
  @IsOptionalField()
  @IsCalendarDate()
  effectiveDate?: string;
}

export class RegisterProjectDto extends CommandDto {
  @ApiProperty({ example: 'xishan-drainage-2021', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  projectId: string;

  @ApiProperty({ example: '西山区二环内排水系统提升完善项目', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsLabel()
  name: string;

  @ApiProperty({ example: '昆明市西山区水务局', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsLabel()
  department: string;

  @ApiProperty({ example: 'drainage', maxLength: 64 })
  @IsString()
  @Length(1, 64)
  @IsLabel()
  category: string;

  @ApiPropertyOptional({ example: '447408400.00', description: 'planned total (总投资 / 预算总金额), yuan' })
  @IsOptionalField()
  @IsYuan()
  plannedTotal?: string;

  @ApiPropertyOptional({ example: '预算总金额', maxLength: 64 })
  @IsOptionalField()
  @IsString()
  @Length(1, 64)
  @IsLabel()
  plannedTotalLabel?: string;

  @ApiPropertyOptional({ example: 2024 })
  @IsOptionalField()
  @IsInt()
  @Min(1949)
  @Max(2200)
  fiscalYear?: number;
}

export class RevisePlannedTotalDto extends CommandDto {
  @ApiProperty({ example: '348223000.00' })
  @IsYuan()
  amount: string;

  @ApiProperty({ example: '初步设计概算总投资调整', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @IsFreeText()
  reason: string;
}

export class AllocateFundsDto extends CommandDto {
  @ApiProperty({ example: 'district-2023', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  allocationId: string;

  @ApiProperty({ enum: FUNDING_SOURCES })
  @IsIn(FUNDING_SOURCES, { message: `$property must be one of: ${FUNDING_SOURCES.join(', ')}` })
  source: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalField()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  sourceLabel?: string;

  @ApiProperty({ example: '102690000.00' })
  @IsYuan()
  amount: string;

  @ApiProperty({ example: 2023 })
  @IsInt()
  @Min(1949)
  @Max(2200)
  fiscalYear: number;

  @ApiPropertyOptional({ example: '西财预〔2023〕12号', maxLength: 200 })
  @IsOptionalField()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  documentRef?: string;
}

export class ReceiveFundsDto extends CommandDto {
  @ApiProperty({
    example: 'special-bond-2023',
    pattern: SLUG_PATTERN.source,
    description: `a slug; ${DERIVED_RECEIPT_ID_RULE} (400 VALIDATION_FAILED, errors[].code RESERVED_ID): those receipts are written by the assignment itself`,
  })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  @IsNotReservedId(isDerivedReceiptId, DERIVED_RECEIPT_ID_RULE)
  receiptId: string;

  @ApiProperty({
    enum: FUNDING_SOURCES,
    description:
      'with allocationId: the allocation\'s own source (422 SOURCE_MISMATCH otherwise). A bond source (special-bond, general-bond, treasury-bond) without bondId is accepted: a bond that FundTrail does not hold, whose arrival alone is recorded',
  })
  @IsIn(FUNDING_SOURCES, { message: `$property must be one of: ${FUNDING_SOURCES.join(', ')}` })
  source: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalField()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  sourceLabel?: string;

  @ApiProperty({ example: '227000000.00' })
  @IsYuan()
  amount: string;

  @ApiPropertyOptional({ description: 'the allocation this receipt fulfils', pattern: SLUG_PATTERN.source })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  allocationId?: string;

  @ApiPropertyOptional({
    description:
      'the bond the money came from. Proceeds of a bond FundTrail holds arrive only as the receipt its assignment writes (POST /api/bonds/:bondId/assignments), so a receipt posted here that names a bond is refused: 422 UNKNOWN_BOND (never issued), BOND_NOT_ASSIGNED (no assignment to this project) or BOND_RECEIPT_BY_ASSIGNMENT (assigned here: the assignment\'s receipt already holds the money)',
    pattern: SLUG_PATTERN.source,
  })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  bondId?: string;

  @ApiPropertyOptional({ example: 2023 })
  @IsOptionalField()
  @IsInt()
  @Min(1949)
  @Max(2200)
  fiscalYear?: number;
}

export class SignContractDto extends CommandDto {
  @ApiProperty({ example: 'lot-1', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  contractId: string;

  @ApiProperty({ example: '云南某建设工程有限公司', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsLabel()
  counterparty: string;

  @ApiProperty({ example: '43778000.00' })
  @IsYuan()
  amount: string;
}

export class RecordDisbursementDto extends CommandDto {
  @ApiProperty({ example: 'pay-2024-0001', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  disbursementId: string;

  @ApiProperty({ example: YUAN_EXAMPLE })
  @IsYuan()
  amount: string;

  @ApiProperty({ enum: DISBURSEMENT_CATEGORIES })
  @IsIn(DISBURSEMENT_CATEGORIES, { message: `$property must be one of: ${DISBURSEMENT_CATEGORIES.join(', ')}` })
  category: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalField()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  categoryLabel?: string;

  @ApiPropertyOptional({ description: 'the receipt the money is drawn from; absent = pooled funds', pattern: SLUG_PATTERN.source })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  receiptId?: string;

  @ApiPropertyOptional({ pattern: SLUG_PATTERN.source })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  contractId?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalField()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  payee?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptionalField()
  @IsString()
  @Length(1, 100)
  @IsLabel()
  voucherRef?: string;
}

export class ReverseDisbursementDto extends CommandDto {
  @ApiProperty({ example: 'voucher entered twice', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @IsFreeText()
  reason: string;
}

export class SetOutputTargetDto extends CommandDto {
  @ApiProperty({ example: 'waste-incinerated', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  indicatorId: string;

  @ApiProperty({ example: '焚烧垃圾量', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsLabel()
  name: string;

  @ApiProperty({ example: '吨', maxLength: 32 })
  @IsString()
  @Length(1, 32)
  @IsLabel()
  unit: string;

  @ApiProperty({ example: '328500' })
  @IsQuantity()
  target: string;
}

export class ReportOutputDto extends CommandDto {
  @ApiProperty({ example: '329721.96' })
  @IsQuantity()
  actual: string;
}
