import { divideRoundHalfUp, formatDecimal } from './decimal';
import { ratio, type Ratio } from './interval';

/**
 * Exact fractions as the decimals a report prints: rounded once half-up (away from zero, as
 * divideRoundHalfUp), truncated toward zero, or written out in full. Never a float.
 */

/** Decimals shown for a fraction whose decimal expansion does not end (1/3, 452585800/609500000). */
export const NON_TERMINATING_DECIMALS = 12;

/** value × factor, reduced. */
export function scaleRatio(value: Ratio, factor: bigint): Ratio {
  return ratio(value.numerator * factor, value.denominator);
}

/** value / divisor, reduced; the divisor is not zero. */
export function divideRatio(value: Ratio, divisor: bigint): Ratio {
  return ratio(value.numerator, value.denominator * divisor);
}

export function addRatios(a: Ratio, b: Ratio): Ratio {
  return ratio(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

export function subtractRatios(a: Ratio, b: Ratio): Ratio {
  return ratio(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator);
}

/** value rounded half-up to `decimals` places, as units of 10^-decimals. */
export function roundRatio(value: Ratio, decimals: number): bigint {
  return divideRoundHalfUp(value.numerator, value.denominator, decimals);
}

/** value cut to `decimals` places toward zero (what a report that truncates prints), as units of 10^-decimals. */
export function truncateRatio(value: Ratio, decimals: number): bigint {
  assertDecimals(decimals);
  return (value.numerator * 10n ** BigInt(decimals)) / value.denominator; // bigint division truncates toward zero
}

/**
 * The number of decimals that write `value` exactly, or undefined when its expansion never ends
 * (its reduced denominator has a prime factor other than 2 and 5).
 */
export function terminatingDecimals(value: Ratio): number | undefined {
  const reduced = ratio(value.numerator, value.denominator);
  let rest = reduced.denominator;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos += 1;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives += 1;
  }
  return rest === 1n ? Math.max(twos, fives) : undefined;
}

/** value cut to `decimals` places toward −∞ ('floor') or +∞ ('ceiling'), as units of 10^-decimals. */
export function floorRatio(value: Ratio, decimals: number, toward: 'floor' | 'ceiling' = 'floor'): bigint {
  const truncated = truncateRatio(value, decimals);
  const exact = (value.numerator * 10n ** BigInt(decimals)) % value.denominator === 0n;
  if (exact) return truncated;
  if (toward === 'floor') return value.numerator < 0n ? truncated - 1n : truncated;
  return value.numerator > 0n ? truncated + 1n : truncated;
}

/**
 * value written in full: exact when its expansion ends ("74.25", "1119698900", "0.0000125"), else
 * cut to NON_TERMINATING_DECIMALS places with `exact: false`: rounded half-up, or toward −∞ / +∞ for
 * the lower / upper end of a range, so that the range written out still holds every value it holds.
 */
export function ratioDecimal(value: Ratio, rounding: 'half-up' | 'floor' | 'ceiling' = 'half-up'): { text: string; exact: boolean } {
  const decimals = terminatingDecimals(value);
  if (decimals !== undefined) return { text: formatDecimal(roundRatio(value, decimals), decimals), exact: true };
  const units = rounding === 'half-up' ? roundRatio(value, NON_TERMINATING_DECIMALS) : floorRatio(value, NON_TERMINATING_DECIMALS, rounding);
  return { text: formatDecimal(units, NON_TERMINATING_DECIMALS), exact: false };
}

function assertDecimals(decimals: number): void {
  if (!Number.isSafeInteger(decimals) || decimals < 0) {
    throw new RangeError(`decimals must be a non-negative integer, got ${decimals}`);
  }
}
