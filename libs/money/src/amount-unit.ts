import { DecimalFormatError, divideRoundHalfUp, formatDecimal, formatDecimalTrimmed, parseDecimal } from './decimal';
import { MAX_YUAN_FEN, type AmountRules, type Fen } from './money';
import { type FenInterval } from './interval';

/** The units amounts are typed and printed in: 元, 万元, 亿元. */
export const AMOUNT_UNITS = ['yuan', 'wan', 'yi'] as const;
export type AmountUnit = (typeof AMOUNT_UNITS)[number];

/** Fen in one unit: 1 元 = 100 fen, 1 万元 = 10^6 fen, 1 亿元 = 10^10 fen. */
export const FEN_PER_UNIT: Readonly<Record<AmountUnit, Fen>> = { yuan: 100n, wan: 1_000_000n, yi: 10_000_000_000n };

/** Decimals of each unit that are still whole fen (10^decimals fen = one unit): a value at this scale is its fen. */
export const FEN_DECIMALS: Readonly<Record<AmountUnit, number>> = { yuan: 2, wan: 6, yi: 10 };

/** Chinese name of each unit, for messages and display. */
export const UNIT_ZH: Readonly<Record<AmountUnit, string>> = { yuan: '元', wan: '万元', yi: '亿元' };

/**
 * How an amount was printed: its unit and the number of decimals typed ("1.23" 亿元 → yi, 2).
 * The amount is known only to half a unit of its last printed digit.
 */
export interface PrintedPrecision {
  unit: AmountUnit;
  decimals: number;
}

/** An amount typed in a unit, converted exactly, with the precision it was typed at. */
export interface PrintedAmount {
  fen: Fen;
  printed: PrintedPrecision;
}

export function isAmountUnit(value: unknown): value is AmountUnit {
  return typeof value === 'string' && (AMOUNT_UNITS as readonly string[]).includes(value);
}

function assertUnit(unit: unknown): asserts unit is AmountUnit {
  if (!isAmountUnit(unit)) throw new TypeError(`amount unit must be one of ${AMOUNT_UNITS.join(', ')}, got ${String(unit)}`);
}

/**
 * "1.23" in 亿元 → 123,000,000.00 yuan in fen, exactly, with its printed precision. The same strict
 * form as parseYuan (no grouping, no '+', no redundant leading zeros), at most 10^13 yuan. A digit
 * past the fen is refused with DecimalFormatError 'too-many-decimals', even a trailing 0, as
 * "1.000" yuan is: the amount is never rounded.
 */
export function parseAmount(input: unknown, unit: AmountUnit, rules?: AmountRules): PrintedAmount {
  assertUnit(unit);
  const scale = FEN_DECIMALS[unit];
  let fen: Fen;
  try {
    fen = parseDecimal(input, {
      scale,
      max: MAX_YUAN_FEN,
      allowZero: rules?.allowZero === true,
      allowNegative: rules?.allowNegative === true,
    });
  } catch (error) {
    if (error instanceof DecimalFormatError && error.reason === 'too-many-decimals') {
      throw new DecimalFormatError(
        'too-many-decimals',
        input,
        `must have at most ${scale} decimal places in ${UNIT_ZH[unit]} (anything finer is a fraction of a fen)`,
      );
    }
    if (error instanceof DecimalFormatError && error.reason === 'too-large') {
      throw new DecimalFormatError('too-large', input, `must be at most ${formatInUnit(MAX_YUAN_FEN, unit)} ${UNIT_ZH[unit]}`);
    }
    throw error;
  }
  const text = input as string;
  const dot = text.indexOf('.');
  return { fen, printed: { unit, decimals: dot < 0 ? 0 : text.length - dot - 1 } };
}

/** The precision an event keeps: none for yuan (exact to the fen as typed, by the edge's rules), else as printed. */
export function precisionToKeep(printed: PrintedPrecision): PrintedPrecision | undefined {
  return printed.unit === 'yuan' ? undefined : { unit: printed.unit, decimals: printed.decimals };
}

/** Whether `value` is a well-formed printed precision (a unit, and 0 up to that unit's fen decimals). */
export function isPrintedPrecision(value: unknown): value is PrintedPrecision {
  if (typeof value !== 'object' || value === null) return false;
  const { unit, decimals } = value as Record<string, unknown>;
  return isAmountUnit(unit) && Number.isSafeInteger(decimals) && (decimals as number) >= 0 && (decimals as number) <= FEN_DECIMALS[unit];
}

function assertPrecision(printed: PrintedPrecision): void {
  if (!isPrintedPrecision(printed)) throw new RangeError(`not a printed precision: ${JSON.stringify(printed)}`);
}

/** Fen in one step of the last printed digit: 0.01 亿元 → 10^8 fen. */
export function printedStepFen(printed: PrintedPrecision): Fen {
  assertPrecision(printed);
  return 10n ** BigInt(FEN_DECIMALS[printed.unit] - printed.decimals);
}

/**
 * Half a step of the last printed digit, in fen: how far the true amount may lie from the printed
 * one (0.005 亿元 = 500,000 yuan). Zero when the last digit is the fen itself: money is whole fen,
 * so an amount printed to the fen is exact.
 */
export function printedHalfStepFen(printed: PrintedPrecision): Fen {
  return printedStepFen(printed) / 2n;
}

/** True when `fen` is what `printed` could have shown without rounding (a whole number of printed steps). */
export function fitsPrinted(fen: Fen, printed: PrintedPrecision): boolean {
  return fen % printedStepFen(printed) === 0n;
}

/**
 * Every amount a printed one may stand for, in fen, bounds included: the printed amount ± half a
 * step of its last digit (closed at both ends, so a report that rounds half-down or half-even is
 * covered too).
 */
export function printedInterval(fen: Fen, printed: PrintedPrecision): FenInterval {
  if (!fitsPrinted(fen, printed)) {
    throw new RangeError(`${formatDecimal(fen, 2)} yuan has more digits than ${printed.decimals} decimals of ${UNIT_ZH[printed.unit]}`);
  }
  const half = printedHalfStepFen(printed);
  return { lower: fen - half, upper: fen + half };
}

/**
 * fen in `unit`: exact and without trailing zeros when `decimals` is not given ("1.23"), otherwise
 * rounded once, half-up, to `decimals` places ("1.2300", "1").
 */
export function formatInUnit(fen: Fen, unit: AmountUnit, decimals?: number): string {
  assertUnit(unit);
  const scale = FEN_DECIMALS[unit];
  if (decimals === undefined) return formatDecimalTrimmed(fen, scale);
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > scale) {
    throw new RangeError(`decimals must be an integer from 0 to ${scale} for ${UNIT_ZH[unit]}, got ${decimals}`);
  }
  return formatDecimal(divideRoundHalfUp(fen, 10n ** BigInt(scale - decimals), 0), decimals);
}
