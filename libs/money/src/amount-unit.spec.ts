import { DecimalFormatError } from './decimal';
import {
  FEN_DECIMALS,
  FEN_PER_UNIT,
  fitsPrinted,
  formatInUnit,
  isPrintedPrecision,
  parseAmount,
  precisionToKeep,
  printedHalfStepFen,
  printedInterval,
  printedStepFen,
  type AmountUnit,
  type PrintedPrecision,
} from './amount-unit';
import { MAX_YUAN_FEN, parseWan, parseYuan } from './money';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecimalFormatError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('amount units', () => {
  it('a unit is 10^decimals fen: 元 100, 万元 10^6, 亿元 10^10', () => {
    for (const unit of ['yuan', 'wan', 'yi'] as const) expect(FEN_PER_UNIT[unit]).toBe(10n ** BigInt(FEN_DECIMALS[unit]));
    expect(FEN_PER_UNIT).toEqual({ yuan: 100n, wan: 1_000_000n, yi: 10_000_000_000n });
  });
});

describe('parseAmount', () => {
  describe('converts exactly, keeping the printed precision', () => {
    it.each<[string, AmountUnit, bigint, number]>([
      ['1.23', 'yi', 12_300_000_000n, 2], // 123,000,000.00 yuan
      ['1.20', 'yi', 12_000_000_000n, 2], // a printed trailing zero is a printed digit
      ['1.2', 'yi', 12_000_000_000n, 1],
      ['7', 'yi', 70_000_000_000n, 0],
      ['0.0000000001', 'yi', 1n, 10], // one fen
      ['22700', 'wan', 22_700_000_000n, 0],
      ['16719.16', 'wan', 16_719_160_000n, 2],
      ['0.000001', 'wan', 1n, 6],
      ['3571.32', 'wan', 3_571_320_000n, 2],
      ['167191600.00', 'yuan', 16_719_160_000n, 2],
      ['5', 'yuan', 500n, 0],
      ['0.5', 'yuan', 50n, 1],
    ])('%j %s -> %p fen, %p decimals', (text, unit, fen, decimals) => {
      expect(parseAmount(text, unit)).toEqual({ fen, printed: { unit, decimals } });
    });

    it('agrees with parseYuan and parseWan where those apply', () => {
      expect(parseAmount('1234.56', 'yuan').fen).toBe(parseYuan('1234.56'));
      expect(parseAmount('111969.9', 'wan').fen).toBe(parseWan('111,969.9'));
    });

    it('takes the largest amount, 10^13 yuan, in every unit', () => {
      expect(parseAmount('10000000000000', 'yuan').fen).toBe(MAX_YUAN_FEN);
      expect(parseAmount('1000000000', 'wan').fen).toBe(MAX_YUAN_FEN);
      expect(parseAmount('100000.0000000000', 'yi').fen).toBe(MAX_YUAN_FEN);
    });
  });

  describe('refuses what would need a fraction of a fen, never rounding', () => {
    it.each<[string, AmountUnit]>([
      ['1.001', 'yuan'],
      ['1.000', 'yuan'],
      ['1.0000001', 'wan'],
      ['1.0000000', 'wan'], // a digit past the fen, even 0, as for yuan
      ['1.00000000001', 'yi'],
    ])('%j %s', (text, unit) => {
      expect(reasonOf(() => parseAmount(text, unit))).toBe('too-many-decimals');
      expect(() => parseAmount(text, unit)).toThrow(/fraction of a fen/);
    });
  });

  describe('refuses bad input with the reasons parseYuan gives', () => {
    it.each<[unknown, AmountUnit, string]>([
      ['', 'wan', 'empty'],
      [1.23, 'yi', 'not-a-string'],
      ['1,000', 'wan', 'malformed'], // JSON bodies carry plain decimals; grouping is for report text
      ['+1', 'yi', 'malformed'],
      ['01', 'wan', 'malformed'],
      ['1e3', 'yi', 'malformed'],
      ['-1', 'wan', 'negative'],
      ['0', 'yi', 'zero'],
      ['0.00', 'wan', 'zero'],
      ['100000.0000000001', 'yi', 'too-large'],
      ['1000000001', 'wan', 'too-large'],
    ])('%p %s -> %s', (input, unit, reason) => {
      expect(reasonOf(() => parseAmount(input, unit))).toBe(reason);
    });

    it('names the bound in the unit', () => {
      expect(() => parseAmount('1000000001', 'wan')).toThrow('1000000000 万元');
    });

    it('allows zero and negatives only when asked', () => {
      expect(parseAmount('0', 'wan', { allowZero: true }).fen).toBe(0n);
      expect(parseAmount('-1.5', 'wan', { allowNegative: true })).toEqual({
        fen: -1_500_000n,
        printed: { unit: 'wan', decimals: 1 },
      });
    });

    it('refuses an unknown unit as a programmer error, not as bad input', () => {
      expect(() => parseAmount('1', 'qian' as AmountUnit)).toThrow(TypeError);
    });
  });
});

describe('precisionToKeep', () => {
  it('keeps 万元 and 亿元, not yuan', () => {
    expect(precisionToKeep({ unit: 'yi', decimals: 2 })).toEqual({ unit: 'yi', decimals: 2 });
    expect(precisionToKeep({ unit: 'wan', decimals: 0 })).toEqual({ unit: 'wan', decimals: 0 });
    expect(precisionToKeep({ unit: 'yuan', decimals: 2 })).toBeUndefined();
  });
});

describe('printed precision', () => {
  it.each<[PrintedPrecision, bigint, bigint]>([
    [{ unit: 'yi', decimals: 2 }, 100_000_000n, 50_000_000n], // 0.005 亿元 = 500,000 yuan
    [{ unit: 'yi', decimals: 0 }, 10_000_000_000n, 5_000_000_000n],
    [{ unit: 'yi', decimals: 9 }, 10n, 5n],
    [{ unit: 'yi', decimals: 10 }, 1n, 0n], // to the fen: exact
    [{ unit: 'wan', decimals: 2 }, 10_000n, 5_000n], // 0.005 万元 = 50 yuan
    [{ unit: 'wan', decimals: 0 }, 1_000_000n, 500_000n],
    [{ unit: 'wan', decimals: 6 }, 1n, 0n],
    [{ unit: 'yuan', decimals: 0 }, 100n, 50n],
    [{ unit: 'yuan', decimals: 2 }, 1n, 0n],
  ])('%o: a step of %p fen, half a step %p fen', (printed, step, half) => {
    expect(printedStepFen(printed)).toBe(step);
    expect(printedHalfStepFen(printed)).toBe(half);
  });

  it('gives the interval of amounts a printed one stands for, bounds included', () => {
    const { fen, printed } = parseAmount('1.23', 'yi');
    expect(printedInterval(fen, printed)).toEqual({ lower: 12_250_000_000n, upper: 12_350_000_000n });
    const exact = parseAmount('16719.160001', 'wan');
    expect(printedInterval(exact.fen, exact.printed)).toEqual({ lower: exact.fen, upper: exact.fen });
  });

  it('refuses an amount with more digits than its precision, and malformed precisions', () => {
    expect(fitsPrinted(12_300_000_000n, { unit: 'yi', decimals: 2 })).toBe(true);
    expect(fitsPrinted(12_300_000_001n, { unit: 'yi', decimals: 2 })).toBe(false);
    expect(() => printedInterval(12_300_000_001n, { unit: 'yi', decimals: 2 })).toThrow(RangeError);
    for (const bad of [{ unit: 'wan', decimals: 7 }, { unit: 'yi', decimals: -1 }, { unit: 'yi', decimals: 1.5 }, { unit: 'qian', decimals: 1 }, null]) {
      expect(isPrintedPrecision(bad)).toBe(false);
    }
    expect(() => printedStepFen({ unit: 'wan', decimals: 7 })).toThrow(RangeError);
    expect(isPrintedPrecision({ unit: 'yi', decimals: 10 })).toBe(true);
  });
});

describe('formatInUnit', () => {
  it.each<[bigint, AmountUnit, number | undefined, string]>([
    [12_300_000_000n, 'yi', undefined, '1.23'],
    [12_300_000_000n, 'yi', 4, '1.2300'],
    [12_350_000_000n, 'yi', 2, '1.24'], // 1.235 亿元: the exact half rounds up
    [12_350_000_000n, 'yi', 1, '1.2'],
    [12_250_000_000n, 'yi', 2, '1.23'], // 1.225 rounds half-up
    [16_719_160_000n, 'wan', undefined, '16719.16'],
    [16_719_160_000n, 'wan', 0, '16719'],
    [1n, 'yi', undefined, '0.0000000001'],
    [-15_000_000n, 'wan', undefined, '-15'],
    [12_345n, 'yuan', undefined, '123.45'],
  ])('%p fen in %s at %p places -> %j', (fen, unit, decimals, text) => {
    expect(formatInUnit(fen, unit, decimals)).toBe(text);
  });

  it('refuses more places than the unit holds', () => {
    expect(() => formatInUnit(1n, 'wan', 7)).toThrow(RangeError);
  });
});
