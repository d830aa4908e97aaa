import { divideRoundHalfUp, formatDecimal } from './decimal';

/**
 * Exact interval arithmetic on bigint units (fen, or any other integer unit), and exact rational
 * bounds of a ratio whose two terms each lie in an interval. Used to ask "could the printed inputs
 * have produced this figure?": every bound is an exact integer or an exact fraction, never a float.
 */

/** Every value from `lower` to `upper`, both included (lower ≤ upper). */
export interface FenInterval {
  readonly lower: bigint;
  readonly upper: bigint;
}

/** An exact fraction, kept reduced with a positive denominator. */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** Where a ratio of two intervals lies, bounds included. */
export interface RatioBounds {
  readonly lower: Ratio;
  readonly upper: Ratio;
}

function assertBigInt(value: unknown, name: string): asserts value is bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${name} must be a bigint, got ${typeof value}`);
}

/** [lower, upper]; refuses an empty interval (lower > upper). */
export function interval(lower: bigint, upper: bigint): FenInterval {
  assertBigInt(lower, 'lower');
  assertBigInt(upper, 'upper');
  if (lower > upper) throw new RangeError(`empty interval: ${lower} > ${upper}`);
  return { lower, upper };
}

/** A value known exactly. */
export function exactly(value: bigint): FenInterval {
  return interval(value, value);
}

export function contains(range: FenInterval, value: bigint): boolean {
  return range.lower <= value && value <= range.upper;
}

export function width(range: FenInterval): bigint {
  return range.upper - range.lower;
}

/** a + b for every a in `a` and b in `b`. */
export function addIntervals(a: FenInterval, b: FenInterval): FenInterval {
  return interval(a.lower + b.lower, a.upper + b.upper);
}

/** a − b for every a in `a` and b in `b`: the widest difference pairs a low a with a high b. */
export function subtractIntervals(a: FenInterval, b: FenInterval): FenInterval {
  return interval(a.lower - b.upper, a.upper - b.lower);
}

export function negateInterval(a: FenInterval): FenInterval {
  return interval(-a.upper, -a.lower);
}

/** Σ of independent intervals; the empty sum is exactly 0. */
export function sumIntervals(all: Iterable<FenInterval>): FenInterval {
  let lower = 0n;
  let upper = 0n;
  for (const item of all) {
    lower += item.lower;
    upper += item.upper;
  }
  return interval(lower, upper);
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** numerator / denominator, reduced, sign on the numerator. */
export function ratio(numerator: bigint, denominator: bigint): Ratio {
  assertBigInt(numerator, 'numerator');
  assertBigInt(denominator, 'denominator');
  if (denominator === 0n) throw new RangeError('a ratio over zero has no value');
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator);
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

/** Negative, zero or positive as a < b, a = b, a > b (exact: cross-multiplied). */
export function compareRatios(a: Ratio, b: Ratio): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Bounds of n / d for every n in `numerator` and d in `denominator`, the two varying independently.
 * Undefined when the denominator interval holds zero: the ratio is then unbounded (or has no value).
 * With d of one sign, n / d is monotonic in n and in d, so both extremes lie at corners of the box
 * and are attained: the bounds are exact, not merely safe.
 */
export function ratioBounds(numerator: FenInterval, denominator: FenInterval): RatioBounds | undefined {
  if (denominator.lower <= 0n && denominator.upper >= 0n) return undefined;
  const corners = [
    ratio(numerator.lower, denominator.lower),
    ratio(numerator.lower, denominator.upper),
    ratio(numerator.upper, denominator.lower),
    ratio(numerator.upper, denominator.upper),
  ];
  const sorted = corners.sort(compareRatios);
  return { lower: sorted[0], upper: sorted[3] };
}

/** Whether n / d lies within the bounds, ends included. */
export function withinRatioBounds(bounds: RatioBounds, value: Ratio): boolean {
  return compareRatios(bounds.lower, value) <= 0 && compareRatios(value, bounds.upper) <= 0;
}

/** A ratio as a percent rounded once, half-up, to `decimals` places ("73.65"). */
export function ratioPercent(value: Ratio, decimals = 2): string {
  return formatDecimal(divideRoundHalfUp(value.numerator * 100n, value.denominator, decimals), decimals);
}
