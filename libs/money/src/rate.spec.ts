import { DecimalFormatError } from './decimal';
import { MAX_YUAN_FEN, parseWan, parseYuan } from './money';
import { RATE_DECIMALS, ratePercent, samePercentAtPrecision } from './rate';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecimalFormatError) return error.reason;
    throw error;
  }
  return undefined;
}

const wan = (text: string) => parseWan(text);

describe('ratePercent', () => {
  it('shows 2 percent places by default', () => {
    expect(RATE_DECIMALS).toBe(2);
  });

  describe('figures from the 2024 西山区 report (万元 amounts)', () => {
    it.each<[string, string, string, string]>([
      ['专项债资金执行率', '16,719.16', '22,700', '73.65'],
      ['资金到位率', '22,700', '44,740.84', '50.74'],
      // 74.2552...%: half-up gives 74.26 (the report itself printed a truncated 74.25)
      ['执行率', '45,258.58', '60,950.00', '74.26'],
      ['above 100% is not capped', '329721.96', '328500', '100.37'],
      ['exact ratio', '3,080.7', '10,269', '30.00'],
      ['资金使用率', '10,000.00', '10,000.00', '100.00'],
    ])('%s: %s / %s -> %s', (_label, numerator, denominator, expected) => {
      expect(ratePercent(wan(numerator), wan(denominator))).toBe(expected);
    });
    it('is unit-independent: the same ratio in yuan gives the same rate', () => {
      expect(ratePercent(parseYuan('167191600.00'), parseYuan('227000000'))).toBe('73.65');
    });
  });

  it('is null for a zero denominator, never 0 or Infinity', () => {
    expect(ratePercent(1n, 0n)).toBeNull();
    expect(ratePercent(0n, 0n)).toBeNull();
    expect(ratePercent(-5n, 0n)).toBeNull();
    expect(ratePercent(MAX_YUAN_FEN, 0n, 4)).toBeNull();
  });

  describe('rounds once, half-up', () => {
    it.each<[bigint, bigint, string]>([
      [0n, 5n, '0.00'],
      [1n, 1n, '100.00'],
      [1n, 8n, '12.50'], // exact, nothing to round
      [1n, 1600n, '0.06'], // 0.0625 rounds down
      [1n, 32n, '3.13'], // 3.125: exact half rounds up (banker's rounding would give 3.12)
      [3n, 32n, '9.38'], // 9.375
      [5n, 32n, '15.63'], // 15.625
      [1n, 800n, '0.13'], // 0.125
      [1n, 20000n, '0.01'], // 0.005
      [1n, 20001n, '0.00'], // 0.00499975
      [1005n, 100000n, '1.01'], // 1.005: Math.round(1.005 * 100) / 100 gives 1
      [1n, 3n, '33.33'],
      [2n, 3n, '66.67'],
      [1n, 6n, '16.67'],
      [1n, 7n, '14.29'],
      [9999n, 10000n, '99.99'],
      [99999n, 100000n, '100.00'], // 99.999 rounds up to 100.00
      [3n, 2n, '150.00'],
      [1000n, 1n, '100000.00'],
      [MAX_YUAN_FEN, 1n, '100000000000000000.00'],
      [1n, MAX_YUAN_FEN, '0.00'],
      [2n ** 64n + 1n, 2n ** 64n, '100.00'],
    ])('%p / %p -> %j', (numerator, denominator, expected) => {
      expect(ratePercent(numerator, denominator)).toBe(expected);
    });
  });

  describe('negative ratios keep their sign and round half away from zero', () => {
    it.each<[bigint, bigint, string]>([
      [-1n, 8n, '-12.50'],
      [-1n, 32n, '-3.13'],
      [1n, -32n, '-3.13'],
      [-1n, -32n, '3.13'],
      [-1n, 20000n, '-0.01'],
      [-1n, 20001n, '0.00'], // never "-0.00"
      [-1n, MAX_YUAN_FEN, '0.00'],
      [-3n, 2n, '-150.00'],
    ])('%p / %p -> %j', (numerator, denominator, expected) => {
      expect(ratePercent(numerator, denominator)).toBe(expected);
    });
  });

  describe('other precisions', () => {
    it.each<[bigint, bigint, number, string]>([
      [1n, 3n, 0, '33'],
      [1n, 8n, 0, '13'], // 12.5 -> 13
      [1n, 3n, 1, '33.3'],
      [1n, 3n, 4, '33.3333'],
      [1n, 32n, 3, '3.125'],
      [1n, 1600n, 4, '0.0625'],
    ])('%p / %p at %p places -> %j', (numerator, denominator, decimals, expected) => {
      expect(ratePercent(numerator, denominator, decimals)).toBe(expected);
    });
    it('refuses a bad precision', () => {
      expect(() => ratePercent(1n, 3n, -1)).toThrow(RangeError);
      expect(() => ratePercent(1n, 3n, 1.5)).toThrow(RangeError);
    });
  });

  it('refuses JS numbers', () => {
    expect(() => ratePercent(16719.16 as unknown as bigint, 22700n)).toThrow(TypeError);
    expect(() => ratePercent(1n, 8 as unknown as bigint)).toThrow(TypeError);
    expect(() => ratePercent(1n, 0 as unknown as bigint)).toThrow(TypeError);
  });
});

describe('samePercentAtPrecision', () => {
  const spent = wan('45,258.58');
  const budget = wan('60,950.00');

  it.each<[string, bigint, bigint, boolean]>([
    ['73.65', wan('16,719.16'), wan('22,700'), true],
    ['73.66', wan('16,719.16'), wan('22,700'), false],
    ['50.74', wan('22,700'), wan('44,740.84'), true],
    ['74.25', spent, budget, false], // the report truncated 74.2552...
    ['74.26', spent, budget, true],
    ['74.3', spent, budget, true], // compared at 1 place
    ['74', spent, budget, true], // compared at 0 places
    ['74.255', spent, budget, true],
    ['74.2553', spent, budget, true],
    ['100', 1n, 1n, true],
    ['100.0', 1n, 1n, true],
    ['100.00', 1n, 1n, true],
    ['100.37', wan('329721.96'), wan('328500'), true],
    ['100.00', wan('329721.96'), wan('328500'), false], // a capped rate does not match
    ['30', wan('3,080.7'), wan('10,269'), true],
    ['30.00', wan('3,080.7'), wan('10,269'), true],
    ['0', 0n, 5n, true],
    ['0.00', 1n, 20001n, true],
    ['-3.13', -1n, 32n, true],
    ['3.13', -1n, 32n, false],
    ['0', 1n, 0n, false], // zero denominator: unknown rate matches nothing
    ['0.00', 0n, 0n, false],
  ])('%j vs %p / %p -> %p', (stated, numerator, denominator, expected) => {
    expect(samePercentAtPrecision(stated, numerator, denominator)).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['', 'empty'], // used to compare as 0 and match 0/5
    ['73.65%', 'malformed'],
    [' 73.65', 'malformed'],
    ['73.65 ', 'malformed'],
    ['+73.65', 'malformed'],
    ['073.65', 'malformed'],
    ['.5', 'malformed'],
    ['5.', 'malformed'],
    ['1e2', 'malformed'],
    ['0x10', 'malformed'],
    ['-0.00', 'malformed'],
    ['7,365', 'malformed'],
    ['１００', 'malformed'],
    ['1.1234567890123', 'too-many-decimals'],
    [73.65, 'not-a-string'],
    [null, 'not-a-string'],
  ])('refuses stated %p (%s)', (stated, reason) => {
    expect(reasonOf(() => samePercentAtPrecision(stated as string, 0n, 5n))).toBe(reason);
  });
});
