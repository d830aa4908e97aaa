import { DecimalFormatError, divideRoundHalfUp, formatDecimal, parseDecimal } from './decimal';

/** Percent places shown for a published rate (73.65%). */
export const RATE_DECIMALS = 2;

/** More percent places than this in a stated rate is not a report figure. */
const MAX_STATED_DECIMALS = 12;

/**
 * numerator / denominator as a percent string rounded once, half-up, to 2 decimals ("73.65").
 * Null when the denominator is zero: a rate over nothing is unknown, never 0 or Infinity.
 * Rates above 100 are returned as they are, never capped. A negative ratio keeps its sign and
 * rounds half away from zero (-1/32 -> "-3.13"); a result that rounds to zero is "0.00", never "-0.00".
 */
export function ratePercent(numerator: bigint, denominator: bigint, decimals = RATE_DECIMALS): string | null {
  if (typeof numerator !== 'bigint' || typeof denominator !== 'bigint') {
    throw new TypeError('ratePercent: numerator and denominator must be bigints');
  }
  if (denominator === 0n) return null;
  return formatDecimal(divideRoundHalfUp(numerator * 100n, denominator, decimals), decimals);
}

/**
 * Whether a stated percent ("73.65", "100", "-3.5") equals numerator/denominator rounded half-up
 * at the stated precision ("100" is compared at 0 places, "100.00" at 2). False for a zero
 * denominator. A stated value that is not a strict decimal string throws DecimalFormatError.
 */
export function samePercentAtPrecision(stated: string, numerator: bigint, denominator: bigint): boolean {
  if (typeof stated !== 'string') {
    throw new DecimalFormatError('not-a-string', stated, 'stated percent must be a decimal string, e.g. "73.65"');
  }
  const dot = stated.indexOf('.');
  const decimals = dot < 0 ? 0 : stated.length - dot - 1;
  if (decimals > MAX_STATED_DECIMALS) {
    throw new DecimalFormatError('too-many-decimals', stated, `must have at most ${MAX_STATED_DECIMALS} decimal places`);
  }
  const statedUnits = parseDecimal(stated, {
    scale: decimals,
    max: 10n ** BigInt(30 + decimals),
    allowNegative: true,
    allowZero: true,
  });
  if (typeof numerator !== 'bigint' || typeof denominator !== 'bigint') {
    throw new TypeError('samePercentAtPrecision: numerator and denominator must be bigints');
  }
  if (denominator === 0n) return false;
  return divideRoundHalfUp(numerator * 100n, denominator, decimals) === statedUnits;
}
