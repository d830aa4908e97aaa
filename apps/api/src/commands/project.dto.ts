import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { AMOUNT_UNITS, type AmountUnit } from '@fundtrail/money';
import { DERIVED_RECEIPT_ID_RULE, DISBURSEMENT_CATEGORIES, FUNDING_SOURCES, isDerivedReceiptId, REGION_PATH_PATTERN, SLUG_PATTERN } from '@fundtrail/funding';
import { IsAmount, IsCalendarDate, IsFreeText, IsLabel, IsNotReservedId, IsOptionalField, IsQuantity, SLUG_MESSAGE } from '../validation/validators';

const YUAN_EXAMPLE = '16719160.00';

/** Fields every command accepts. */
export class CommandDto {
  @ApiPropertyOptional({ example: '2024-08-31', description: 'when it happened (ISO date); default: today (Asia/Shanghai)' })
  @IsOptionalField()
  @IsCalendarDate()
  effectiveDate?: string;
}

/** Fields of every command that carries money: the unit its amounts are typed in. */
export class MoneyCommandDto extends CommandDto {
  @ApiPropertyOptional({
    enum: AMOUNT_UNITS,
    default: 'yuan',
    description:
      'the unit of every money field of this body: 元, 万元 or 亿元, converted exactly (an amount that would need more than 2 decimals of yuan is 400, never rounded). With wan or yi the event keeps printed: { unit, decimals }',
  })
  @IsOptionalField()
  @IsIn(AMOUNT_UNITS, { message: `$property must be one of: ${AMOUNT_UNITS.join(', ')}` })
  amountUnit?: AmountUnit;
}

/** The body of a correction: why the fact is being corrected. */
export class CorrectionDto extends CommandDto {
  @ApiProperty({ example: '重复录入', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @IsFreeText()
  reason: string;
}

export class RegisterProjectDto extends MoneyCommandDto {
  @ApiProperty({ example: 'xishan-drainage-2021', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  projectId: string;

  @ApiProperty({ example: '西山区二环内排水系统提升完善项目', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsLabel()
  name: string;

  @ApiPropertyOptional({ example: '昆明市西山区水务局', maxLength: 200 })
  @IsOptionalField()
  @IsString()
  @Length(1, 200)
  @IsLabel()
  department?: string;

  @ApiPropertyOptional({ example: 'xishan-2024-special-bonds', description: 'the programme it belongs to; must be registered (else 422 UNKNOWN_PROGRAMME)' })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  programmeId?: string;

  @ApiPropertyOptional({ example: 'yunnan/kunming/xishan', description: 'a path of slugs, broadest first', pattern: REGION_PATH_PATTERN.source })
  @IsOptionalField()
  @Matches(REGION_PATH_PATTERN, {
    message: '$property must be a path of slugs separated by "/", broadest first (e.g. yunnan/kunming/xishan), at most 10 levels',
  })
  region?: string;

  @ApiProperty({ example: 'drainage', maxLength: 64 })
  @IsString()
  @Length(1, 64)
  @IsLabel()
  category: string;

  @ApiPropertyOptional({ example: '447408400.00', description: 'planned total (总投资 / 预算总金额), in amountUnit (default yuan)' })
  @IsOptionalField()
  @IsAmount()
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

export class RevisePlannedTotalDto extends MoneyCommandDto {
  @ApiProperty({ example: '348223000.00' })
  @IsAmount()
  amount: string;

  @ApiProperty({ example: '初步设计概算总投资调整', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @IsFreeText()
  reason: string;
}

export class AllocateFundsDto extends MoneyCommandDto {
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
  @IsAmount()
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

export class ReceiveFundsDto extends MoneyCommandDto {
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
      "with allocationId: the allocation's own source (422 SOURCE_MISMATCH otherwise). A bond source (special-bond, general-bond, treasury-bond) without bondId is accepted: a bond that FundTrail does not hold, whose arrival alone is recorded",
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
  @IsAmount()
  amount: string;

  @ApiPropertyOptional({ description: 'the allocation this receipt fulfils', pattern: SLUG_PATTERN.source })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  allocationId?: string;

  @ApiPropertyOptional({
    description:
      "the bond the money came from. Proceeds of a bond FundTrail holds arrive only as the receipt its assignment writes (POST /api/bonds/:bondId/assignments), so a receipt posted here that names a bond is refused: 422 UNKNOWN_BOND (never issued), BOND_NOT_ASSIGNED (no assignment to this project) or BOND_RECEIPT_BY_ASSIGNMENT (assigned here: the assignment's receipt already holds the money)",
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

export class SignContractDto extends MoneyCommandDto {
  @ApiProperty({ example: 'lot-1', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  contractId: string;

  @ApiProperty({ example: '云南某建设工程有限公司', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @IsLabel()
  counterparty: string;

  @ApiProperty({ example: '43778000.00' })
  @IsAmount()
  amount: string;
}

export class RecordDisbursementDto extends MoneyCommandDto {
  @ApiProperty({ example: 'pay-2024-0001', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  disbursementId: string;

  @ApiProperty({ example: YUAN_EXAMPLE })
  @IsAmount()
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

  @ApiPropertyOptional({
    pattern: SLUG_PATTERN.source,
    description:
      'the payment approval (核拨) this is paid against: at most its amount in all (409 APPROVAL_EXCEEDED); its receipt and contract apply when none is named (naming others is 422 APPROVAL_MISMATCH)',
  })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  approvalId?: string;

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

export class ReverseDisbursementDto extends CorrectionDto {}

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

  @ApiPropertyOptional({ example: '328500', description: 'required unless denominatorIndicatorId is given' })
  @ValidateIf((dto: SetOutputTargetDto) => dto.target !== undefined || dto.denominatorIndicatorId === undefined)
  @IsQuantity()
  target?: string;

  @ApiPropertyOptional({
    example: 'completed-units',
    pattern: SLUG_PATTERN.source,
    description:
      "an indicator of this project whose latest actual is this one's denominator: output_completion = actual / the denominator's actual (验收率 = accepted / completed); 422 UNKNOWN_INDICATOR when it does not exist or was withdrawn",
  })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  denominatorIndicatorId?: string;
}

export class ReportOutputDto extends CommandDto {
  @ApiProperty({ example: '329721.96' })
  @IsQuantity()
  actual: string;
}

export class ApprovePaymentDto extends MoneyCommandDto {
  @ApiProperty({ example: 'approval-2024-03', pattern: SLUG_PATTERN.source })
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  approvalId: string;

  @ApiProperty({ example: '5000000.00', description: 'in amountUnit (default yuan)' })
  @IsAmount()
  amount: string;

  @ApiPropertyOptional({ description: 'the receipt the approval is drawn against: at most its unapproved part', pattern: SLUG_PATTERN.source })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  receiptId?: string;

  @ApiPropertyOptional({ description: 'the contract it approves payment of: at most its unapproved part', pattern: SLUG_PATTERN.source })
  @IsOptionalField()
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  contractId?: string;
}

export class ReportInvestmentCompletedDto extends MoneyCommandDto {
  @ApiProperty({ example: '120000000.00', description: 'value of work done to date (完成投资, cumulative; the latest report stands), in amountUnit' })
  @IsAmount()
  amount: string;
}

export class AmendContractDto extends MoneyCommandDto {
  @ApiProperty({ example: '45000000.00', description: "the contract's new amount, in amountUnit; not below what was paid or approved against it" })
  @IsAmount()
  amount: string;

  @ApiProperty({ example: '补充协议（一）', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @IsFreeText()
  reason: string;
}

export class ReviseOutputTargetDto extends CommandDto {
  @ApiProperty({ example: '350000' })
  @IsQuantity()
  target: string;

  @ApiProperty({ example: '绩效目标调整', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @IsFreeText()
  reason: string;
}
