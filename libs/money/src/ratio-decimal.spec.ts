import fc from 'fast-check';
import { ratio } from './interval';
import {
  addRatios,
  divideRatio,
  floorRatio,
  NON_TERMINATING_DECIMALS,
  ratioDecimal,
  roundRatio,
  scaleRatio,
  subtractRatios,
  terminatingDecimals,
  truncateRatio,
} from './ratio-decimal';

/** Schoolbook long division of |n| / d (d > 0): the integer part and `places` fraction digits, as text. */
function longDivision(n: bigint, d: bigint, places: number): { whole: string; digits: string } {
  const magnitude = n < 0n ? -n : n;
  let rest = magnitude % d;
  let digits = '';
  for (let i = 0; i < places; i += 1) {
    rest *= 10n;
    digits += String(rest / d);
    rest %= d;
  }
  return { whole: String(magnitude / d), digits };
}

/** Half-up by the next digit: round away from zero when the first dropped digit is 5 or more. */
function referenceRound(n: bigint, d: bigint, places: number): bigint {
  const { whole, digits } = longDivision(n, d, places + 1);
  let units = BigInt(whole + digits.slice(0, places));
  if (Number(digits[places]) >= 5) units += 1n;
  return n < 0n ? -units : units;
}

function referenceTruncate(n: bigint, d: bigint, places: number): bigint {
  const { whole, digits } = longDivision(n, d, places);
  const units = BigInt(whole + digits);
  return n < 0n ? -units : units;
}

const numerator = fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n });
const denominator = fc.bigInt({ min: 1n, max: 10n ** 12n });
const places = fc.integer({ min: 0, max: 14 });

describe('rounding and truncating fractions', () => {
  it('roundRatio is half-up (away from zero) on the next digit; truncateRatio cuts toward zero', () => {
    fc.assert(
      fc.property(numerator, denominator, places, (n, d, p) => {
        expect(roundRatio(ratio(n, d), p)).toBe(referenceRound(n, d, p));
        expect(truncateRatio(ratio(n, d), p)).toBe(referenceTruncate(n, d, p));
      }),
      { numRuns: 500 },
    );
  });

  it.each<[bigint, bigint, number, bigint, bigint]>([
    [742552586n, 10_000_000n, 2, 7426n, 7425n], // 74.2552586 → 74.26, truncated 74.25
    [7425n, 100n, 2, 7425n, 7425n],
    [-1n, 32n, 2, -3n, -3n], // -0.03125 → -0.03 either way
    [1n, 200n, 2, 1n, 0n], // 0.005 → 0.01 half-up, 0.00 truncated
    [-1n, 200n, 2, -1n, 0n], // -0.005 → -0.01 half away from zero
  ])('%p / %p at %p places → %p rounded, %p truncated', (n, d, p, rounded, truncated) => {
    expect(roundRatio(ratio(n, d), p)).toBe(rounded);
    expect(truncateRatio(ratio(n, d), p)).toBe(truncated);
  });
});

describe('ratioDecimal', () => {
  it.each<[bigint, bigint, string, boolean]>([
    [1n, 8n, '0.125', true],
    [111_969_890_000n, 1_000_000n, '111969.89', true], // fen → 万元
    [1_119_698_900_00n, 100n, '1119698900', true],
    [-5n, 4n, '-1.25', true],
    [0n, 7n, '0', true],
    [1n, 3n, '0.333333333333', false],
    [2n, 3n, '0.666666666667', false],
    // 452,585,800 / 609,500,000 as a percent: 74.255258408531…
    [452_585_800n * 100n, 609_500_000n, '74.255258408532', false],
  ])('%p / %p → %p (exact: %p)', (n, d, text, exact) => {
    expect(ratioDecimal(ratio(n, d))).toEqual({ text, exact });
  });

  it('writes a terminating fraction in full and any other one rounded to NON_TERMINATING_DECIMALS places', () => {
    fc.assert(
      fc.property(numerator, denominator, (n, d) => {
        const value = ratio(n, d);
        const { text, exact } = ratioDecimal(value);
        const places = terminatingDecimals(value);
        expect(exact).toBe(places !== undefined);
        if (places !== undefined) {
          // Exact: the text times 10^places is the fraction times 10^places, an integer.
          const [whole, fraction = ''] = text.replace('-', '').split('.');
          const units = BigInt(whole + fraction) * (text.startsWith('-') ? -1n : 1n);
          expect(units * value.denominator).toBe(value.numerator * 10n ** BigInt(fraction.length));
          expect(fraction.endsWith('0')).toBe(false);
        } else {
          const [whole, fraction] = text.replace('-', '').split('.');
          expect(fraction).toHaveLength(NON_TERMINATING_DECIMALS);
          const units = BigInt(whole + fraction) * (text.startsWith('-') ? -1n : 1n);
          expect(units).toBe(referenceRound(n, d, NON_TERMINATING_DECIMALS));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('ranges written out', () => {
  it.each<[bigint, bigint, string, string, string]>([
    [1n, 3n, '0.333333333333', '0.333333333333', '0.333333333334'],
    [2n, 3n, '0.666666666667', '0.666666666666', '0.666666666667'],
    [-1n, 3n, '-0.333333333333', '-0.333333333334', '-0.333333333333'],
    [1n, 8n, '0.125', '0.125', '0.125'],
  ])('%p / %p: half-up %p, floor %p, ceiling %p', (n, d, halfUp, floor, ceiling) => {
    expect(ratioDecimal(ratio(n, d)).text).toBe(halfUp);
    expect(ratioDecimal(ratio(n, d), 'floor').text).toBe(floor);
    expect(ratioDecimal(ratio(n, d), 'ceiling').text).toBe(ceiling);
  });

  it('floor and ceiling bracket the value, one last digit apart unless exact', () => {
    fc.assert(
      fc.property(numerator, denominator, places, (n, d, p) => {
        const value = ratio(n, d);
        const low = floorRatio(value, p, 'floor');
        const high = floorRatio(value, p, 'ceiling');
        const scaled = n * 10n ** BigInt(p); // value × 10^p = scaled / d
        expect(low * d <= scaled && scaled <= high * d).toBe(true);
        expect(high - low).toBe(scaled % d === 0n ? 0n : 1n);
      }),
      { numRuns: 500 },
    );
  });
});

describe('fraction arithmetic', () => {
  it('adds, subtracts and scales like cross-multiplication', () => {
    fc.assert(
      fc.property(numerator, denominator, numerator, denominator, fc.bigInt({ min: 1n, max: 10n ** 6n }), (a, b, c, d, k) => {
        const x = ratio(a, b);
        const y = ratio(c, d);
        expect(addRatios(x, y)).toEqual(ratio(a * d + c * b, b * d));
        expect(subtractRatios(x, y)).toEqual(ratio(a * d - c * b, b * d));
        expect(scaleRatio(x, k)).toEqual(ratio(a * k, b));
        expect(divideRatio(x, k)).toEqual(ratio(a, b * k));
      }),
      { numRuns: 200 },
    );
  });
});
