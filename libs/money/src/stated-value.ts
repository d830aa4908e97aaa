import { DecimalFormatError, parseDecimal } from './decimal';
import { FEN_DECIMALS, FEN_PER_UNIT, isAmountUnit, printedHalfStepFen, type AmountUnit } from './amount-unit';
import { ratio, type Ratio } from './interval';
import { MAX_YUAN_FEN } from './money';

/**
 * A figure as a published report prints it: a decimal string ("111,969.90", "74.25", "10,269") in a
 * unit. The unit is 元 / 万元 / 亿元 (`yuan | wan | yi`), `percent`, `count` (a whole number of things),
 * or the free unit of an indicator's quantity (`吨`, `公里`, `ms`). The number of printed decimals is
 * part of the value: the report knows it only to half a unit of its last digit.
 */

export const RESERVED_STATED_UNITS = ['yuan', 'wan', 'yi', 'percent', 'count'] as const;
export type StatedUnit = AmountUnit | 'percent' | 'count' | (string & {});

/** Money is compared in fen; every other unit in itself. */
export type StatedUnitKind = 'money' | 'percent' | 'count' | 'quantity';

/** Spellings of money and percent that must use their reserved unit, not pass as a free unit. */
const RESERVED_SPELLINGS: Readonly<Record<string, string>> = {
  元: 'yuan',
  万元: 'wan',
  亿元: 'yi',
  '%': 'percent',
  '％': 'percent',
  'wan-yuan': 'wan',
};

/**
 * Measure words of things that are counted, never measured (个, 项, 套 …): a figure in one of them is a
 * whole number, exact as printed, like `count`, and keeps its own unit. Any other free unit (吨, 公里,
 * ms) is a measured quantity, known to half its last printed digit.
 */
export const COUNTED_UNITS: readonly string[] =
  '个 项 条 套 座 栋 幢 户 人 名 家 所 台 辆 次 处 件 宗 份 间 张 批 期 只 头 株 棵 盏 块 口 眼 本 篇 场 届 类'.split(' ');

/** Decimals a stated percent or quantity may print; more is not a report figure. */
const MAX_STATED_DECIMALS = 12;
/** Largest stated percent, count or quantity (integer part): 10^15, as for recorded quantities. */
const MAX_STATED_INTEGER = 10n ** 15n;
const MAX_FREE_UNIT_LENGTH = 32;

/** Which part of a stated figure is wrong: its number, or its unit. */
export class StatedValueError extends Error {
  constructor(
    readonly field: 'stated' | 'unit',
    message: string,
  ) {
    super(message);
    this.name = 'StatedValueError';
  }
}

/** A stated figure, parsed: `units` × 10^-decimals in `unit`, exactly as printed. */
export interface StatedValue {
  readonly text: string;
  readonly unit: StatedUnit;
  readonly kind: StatedUnitKind;
  readonly units: bigint;
  readonly decimals: number;
}

export function statedUnitKind(unit: StatedUnit): StatedUnitKind {
  if (isAmountUnit(unit)) return 'money';
  if (unit === 'percent') return 'percent';
  if (unit === 'count' || COUNTED_UNITS.includes(unit)) return 'count';
  return 'quantity';
}

/** The base a stated value is compared in, per unit: fen for money, the unit itself otherwise. */
export function basePerUnit(unit: StatedUnit): bigint {
  return isAmountUnit(unit) ? FEN_PER_UNIT[unit] : 1n;
}

/** Checks a unit: a reserved one, or a free unit that is short text and not money or percent in disguise. */
export function checkStatedUnit(unit: unknown): StatedUnit {
  if (typeof unit !== 'string') throw new StatedValueError('unit', 'unit must be a string');
  if ((RESERVED_STATED_UNITS as readonly string[]).includes(unit)) return unit;
  if (Object.hasOwn(RESERVED_SPELLINGS, unit)) {
    throw new StatedValueError('unit', `unit ${unit} is written ${RESERVED_SPELLINGS[unit]}`);
  }
  if (unit.length === 0 || unit.length > MAX_FREE_UNIT_LENGTH || unit.trim() !== unit || /\p{Cc}/u.test(unit)) {
    throw new StatedValueError(
      'unit',
      `unit must be one of ${RESERVED_STATED_UNITS.join(', ')} or an indicator's unit (1 to ${MAX_FREE_UNIT_LENGTH} characters, no surrounding spaces)`,
    );
  }
  return unit;
}

/**
 * "111,969.90" in wan → 11,196,990 hundredths of a 万元, 2 decimals. Thousands separators in groups of
 * three, an optional leading '-', no '+', exponent, unit sign or redundant leading zeros. Money may
 * print at most the decimals that are still whole fen (2 for 元, 6 for 万元, 10 for 亿元), a count
 * none, a percent or quantity at most 12.
 */
export function parseStatedValue(text: unknown, unit: unknown): StatedValue {
  const checked = checkStatedUnit(unit);
  const kind = statedUnitKind(checked);
  if (typeof text !== 'string') throw new StatedValueError('stated', 'stated must be a decimal string as printed');
  const dot = text.indexOf('.');
  const decimals = dot < 0 ? 0 : text.length - dot - 1;
  const maxDecimals = kind === 'money' ? FEN_DECIMALS[checked as AmountUnit] : kind === 'count' ? 0 : MAX_STATED_DECIMALS;
  if (decimals > maxDecimals) {
    throw new StatedValueError(
      'stated',
      kind === 'count'
        ? `a count${checked === 'count' ? '' : ` of ${checked}`} is a whole number`
        : `at most ${maxDecimals} decimals in ${checked}${kind === 'money' ? ' (anything finer is a fraction of a fen)' : ''}`,
    );
  }
  const max = kind === 'money' ? (MAX_YUAN_FEN * 10n ** BigInt(decimals)) / basePerUnit(checked) : MAX_STATED_INTEGER * 10n ** BigInt(decimals);
  try {
    const units = parseDecimal(text, {
      scale: decimals,
      max,
      allowGrouping: true,
      allowNegative: true,
      allowZero: true,
    });
    return { text, unit: checked, kind, units, decimals };
  } catch (error) {
    if (error instanceof DecimalFormatError) throw new StatedValueError('stated', `stated ${error.message}`);
    throw error;
  }
}

/** The stated value in its base (fen for money), exactly. */
export function statedInBase(value: StatedValue): Ratio {
  return ratio(value.units * basePerUnit(value.unit), 10n ** BigInt(value.decimals));
}

/**
 * How far the value the report rounded may lie from what it prints, in its base: half a unit of the
 * last printed digit. Zero for a count (a whole number is exact) and for money printed to the fen
 * (money is whole fen), as for recorded amounts.
 */
export function statedHalfStep(value: StatedValue): Ratio {
  if (value.kind === 'count') return ratio(0n, 1n);
  if (value.kind === 'money') {
    return ratio(printedHalfStepFen({ unit: value.unit as AmountUnit, decimals: value.decimals }), 1n);
  }
  return ratio(1n, 2n * 10n ** BigInt(value.decimals));
}

/** Whether two stated values can be added or compared: money in any of its units, anything else in the same unit. */
export function sameDimension(a: StatedUnit, b: StatedUnit): boolean {
  return (isAmountUnit(a) && isAmountUnit(b)) || a === b;
}

/** Display suffix of a unit: 元, 万元, 亿元, %, nothing for a count, else the free unit. */
export function statedUnitSuffix(unit: StatedUnit): string {
  switch (unit) {
    case 'yuan':
      return '元';
    case 'wan':
      return '万元';
    case 'yi':
      return '亿元';
    case 'percent':
      return '%';
    case 'count':
      return '';
    default:
      return unit;
  }
}
