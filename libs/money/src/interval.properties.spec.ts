import fc from 'fast-check';
import { FEN_DECIMALS, formatInUnit, parseAmount, printedInterval, type AmountUnit, type PrintedPrecision } from './amount-unit';
import {
  addIntervals,
  compareRatios,
  contains,
  exactly,
  interval,
  negateInterval,
  ratio,
  ratioBounds,
  ratioPercent,
  subtractIntervals,
  sumIntervals,
  width,
  withinRatioBounds,
  type FenInterval,
  type Ratio,
} from './interval';
import { MAX_YUAN_FEN } from './money';
import { ratePercent } from './rate';

/*
 * Every reference here is computed another way than the code under test: rounding by string
 * digits, ratio comparison by long division to many places, extremes by sampling the box.
 */

const RUNS = { numRuns: 500 };

const value = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const anInterval = fc.tuple(value, fc.bigInt({ min: 0n, max: 10n ** 12n })).map(([lower, span]) => interval(lower, lower + span));
const positiveInterval = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 12n }))
  .map(([lower, span]) => interval(lower, lower + span));
const negativeInterval = positiveInterval.map(negateInterval);
/** A point inside an interval, chosen by a share of its width (ends included). */
const pointIn = (range: FenInterval) => fc.bigInt({ min: 0n, max: 1000n }).map((share) => range.lower + (width(range) * share) / 1000n);

describe('interval sums', () => {
  it('a sum of points of the intervals lies in the sum of the intervals; the corners are the bounds', () => {
    fc.assert(
      fc.property(
        fc.array(anInterval, { maxLength: 8 }).chain((ranges) => fc.tuple(fc.constant(ranges), fc.tuple(...ranges.map(pointIn)))),
        ([ranges, points]) => {
          const total = sumIntervals(ranges);
          const pointSum = points.reduce((a, b) => a + b, 0n);
          expect(contains(total, pointSum)).toBe(true);
          expect(total.lower).toBe(ranges.reduce((a, r) => a + r.lower, 0n));
          expect(total.upper).toBe(ranges.reduce((a, r) => a + r.upper, 0n));
          expect(width(total)).toBe(ranges.reduce((a, r) => a + width(r), 0n));
        },
      ),
      RUNS,
    );
  });

  it('differences pair a low minuend with a high subtrahend', () => {
    fc.assert(
      fc.property(
        anInterval.chain((a) => anInterval.chain((b) => fc.tuple(fc.constant(a), fc.constant(b), pointIn(a), pointIn(b)))),
        ([a, b, x, y]) => {
          const difference = subtractIntervals(a, b);
          expect(contains(difference, x - y)).toBe(true);
          expect(difference).toEqual(addIntervals(a, negateInterval(b)));
          expect(contains(difference, a.lower - b.upper) && contains(difference, a.upper - b.lower)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('the empty sum is exactly zero; an empty interval is refused', () => {
    expect(sumIntervals([])).toEqual(exactly(0n));
    expect(() => interval(2n, 1n)).toThrow(RangeError);
    expect(() => interval(1 as unknown as bigint, 2n)).toThrow(TypeError);
  });
});

/** The decimal expansion of n / d to `places` digits, truncated toward zero, by long division on text. */
function longDivision(n: bigint, d: bigint, places: number): string {
  const negative = n < 0n !== d < 0n && n !== 0n;
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  let digits = (a / b).toString() + '.';
  let remainder = a % b;
  for (let i = 0; i < places; i++) {
    remainder *= 10n;
    digits += (remainder / b).toString();
    remainder %= b;
  }
  return (negative ? '-' : '') + digits;
}

describe('ratios', () => {
  it('are reduced with a positive denominator and keep their value', () => {
    fc.assert(
      fc.property(
        value,
        value.filter((d) => d !== 0n),
        (n, d) => {
          const r = ratio(n, d);
          expect(r.denominator > 0n).toBe(true);
          expect(r.numerator * d).toBe(n * r.denominator);
          expect(ratio(r.numerator * 7n, r.denominator * 7n)).toEqual(r);
        },
      ),
      RUNS,
    );
    expect(() => ratio(1n, 0n)).toThrow(RangeError);
  });

  it('compare as their long divisions do', () => {
    const small = fc.bigInt({ min: -1000n, max: 1000n });
    fc.assert(
      fc.property(
        small,
        small.filter((d) => d !== 0n),
        small,
        small.filter((d) => d !== 0n),
        (a, b, c, d) => {
          const order = compareRatios(ratio(a, b), ratio(c, d));
          // Two ratios of numbers below 1000 differ by at least 1 / 10^6 when they differ at all.
          const left = longDivision(a, b, 12);
          const right = longDivision(c, d, 12);
          const asNumbers = (text: string) => BigInt(text.replace('.', ''));
          const expected = asNumbers(left) < asNumbers(right) ? -1 : asNumbers(left) > asNumbers(right) ? 1 : 0;
          expect(order).toBe(expected);
        },
      ),
      RUNS,
    );
  });

  it('shows as the same percent ratePercent gives', () => {
    fc.assert(
      fc.property(
        value,
        value.filter((d) => d !== 0n),
        fc.integer({ min: 0, max: 6 }),
        (n, d, places) => {
          expect(ratioPercent(ratio(n, d), places)).toBe(ratePercent(n, d, places));
        },
      ),
      RUNS,
    );
  });
});

describe('ratioBounds', () => {
  const box = fc.oneof(fc.tuple(anInterval, positiveInterval), fc.tuple(anInterval, negativeInterval), fc.tuple(positiveInterval, positiveInterval));

  it('holds every ratio of points of the two intervals, and both bounds are attained at corners', () => {
    fc.assert(
      fc.property(
        box.chain(([n, d]) => fc.tuple(fc.constant(n), fc.constant(d), fc.array(fc.tuple(pointIn(n), pointIn(d)), { minLength: 1, maxLength: 20 }))),
        ([n, d, points]) => {
          const bounds = ratioBounds(n, d)!;
          for (const [x, y] of points) expect(withinRatioBounds(bounds, ratio(x, y))).toBe(true);
          const corners: Ratio[] = [ratio(n.lower, d.lower), ratio(n.lower, d.upper), ratio(n.upper, d.lower), ratio(n.upper, d.upper)];
          expect(corners.some((c) => compareRatios(c, bounds.lower) === 0)).toBe(true);
          expect(corners.some((c) => compareRatios(c, bounds.upper) === 0)).toBe(true);
          expect(compareRatios(bounds.lower, bounds.upper) <= 0).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('is monotonic: widening either interval never narrows the bounds', () => {
    fc.assert(
      fc.property(box, fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), ([n, d], grow, shrinkRoom) => {
        const narrow = ratioBounds(n, d)!;
        const wideN = interval(n.lower - grow, n.upper + grow);
        // Widen the denominator without letting it reach zero.
        const room = d.lower > 0n ? d.lower - 1n : -d.upper - 1n;
        const step = shrinkRoom < room ? shrinkRoom : room;
        const wideD = d.lower > 0n ? interval(d.lower - step, d.upper + grow) : interval(d.lower - grow, d.upper + step);
        const wide = ratioBounds(wideN, wideD)!;
        expect(compareRatios(wide.lower, narrow.lower) <= 0).toBe(true);
        expect(compareRatios(wide.upper, narrow.upper) >= 0).toBe(true);
      }),
      RUNS,
    );
  });

  it('is exact for exactly known terms, and undefined when the denominator can be zero', () => {
    expect(ratioBounds(exactly(1_671_916n), exactly(2_270_000n))).toEqual({
      lower: ratio(1_671_916n, 2_270_000n),
      upper: ratio(1_671_916n, 2_270_000n),
    });
    expect(ratioBounds(exactly(1n), interval(-1n, 1n))).toBeUndefined();
    expect(ratioBounds(exactly(1n), interval(0n, 5n))).toBeUndefined();
    expect(ratioBounds(exactly(1n), exactly(0n))).toBeUndefined();
  });

  it('a report rate 50.74% from 22,700 / 44,740.84 万元 printed to the 万元 stays within its printed precision', () => {
    const received = parseAmount('22700', 'wan');
    const planned = parseAmount('44740.84', 'wan');
    const bounds = ratioBounds(printedInterval(received.fen, received.printed), printedInterval(planned.fen, planned.printed))!;
    // 22699.5 / 44740.845 = 50.73552…%, 22700.5 / 44740.835 = 50.73777…% (Python fractions)
    expect(ratioPercent(bounds.lower, 4)).toBe('50.7355');
    expect(ratioPercent(bounds.upper, 4)).toBe('50.7378');
    expect(withinRatioBounds(bounds, ratio(5074n, 10000n))).toBe(false); // 50.74 itself lies just outside…
    expect(withinRatioBounds(bounds, ratio(50737n, 100000n))).toBe(true); // …but 50.737 lies inside
  });
});

describe('printed intervals', () => {
  const precision: fc.Arbitrary<PrintedPrecision> = fc
    .constantFrom<AmountUnit>('yuan', 'wan', 'yi')
    .chain((unit) => fc.integer({ min: 0, max: FEN_DECIMALS[unit] }).map((decimals) => ({ unit, decimals })));

  /** Rounds `fen` half-up to the printed precision by cutting its digit string: no division. */
  function roundedByDigits(fen: bigint, printed: PrintedPrecision): string {
    const scale = FEN_DECIMALS[printed.unit];
    const digits = fen.toString().padStart(scale + 1, '0');
    const kept = digits.slice(0, digits.length - (scale - printed.decimals));
    const next = digits.charAt(digits.length - (scale - printed.decimals));
    const up = scale > printed.decimals && next >= '5';
    const units = BigInt(kept) + (up ? 1n : 0n);
    const text = units.toString().padStart(printed.decimals + 1, '0');
    return printed.decimals === 0 ? text : `${text.slice(0, text.length - printed.decimals)}.${text.slice(text.length - printed.decimals)}`;
  }

  it('every amount that prints as the printed value lies in the interval; just outside, none does', () => {
    fc.assert(
      fc.property(precision, fc.bigInt({ min: 0n, max: MAX_YUAN_FEN }), (printed, raw) => {
        const text = roundedByDigits(raw, printed);
        if (text.replace(/[0.]/g, '') === '') return; // zero is not an amount
        const { fen } = parseAmount(text, printed.unit);
        const range = printedInterval(fen, printed);
        expect(contains(range, raw)).toBe(true); // the true amount is never outside
        if (width(range) > 0n) {
          expect(roundedByDigits(range.lower - 1n, printed)).not.toBe(text);
          expect(roundedByDigits(range.lower, printed)).toBe(text);
          expect(roundedByDigits(range.upper - 1n, printed)).toBe(text);
          expect(roundedByDigits(range.upper + 1n, printed)).not.toBe(text);
        }
        expect(formatInUnit(raw, printed.unit, printed.decimals)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});
