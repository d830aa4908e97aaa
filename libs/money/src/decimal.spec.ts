import { DecimalFormatError, DecimalRules, divideRoundHalfUp, formatDecimal, formatDecimalTrimmed, groupThousands, parseDecimal } from './decimal';

/** The DecimalFormatError reason thrown by fn, or undefined when fn returns. Other errors propagate. */
function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecimalFormatError) return error.reason;
    throw error;
  }
  return undefined;
}

const FEN: DecimalRules = { scale: 2, max: 10n ** 15n };

describe('parseDecimal', () => {
  describe('accepts plain decimals (scale 2)', () => {
    it.each<[string, bigint]>([
      ['1', 100n],
      ['1.5', 150n],
      ['1.50', 150n],
      ['0.01', 1n],
      ['0.10', 10n],
      ['10', 1000n],
      ['100.00', 10000n],
      ['10000000000000.00', 10n ** 15n],
    ])('%j -> %p', (input, expected) => {
      expect(parseDecimal(input, FEN)).toBe(expected);
    });
  });

  it('is exact far beyond 2^53 units when the bound allows it', () => {
    const wide: DecimalRules = { scale: 2, max: 10n ** 40n };
    expect(parseDecimal('90071992547409.93', wide)).toBe(9007199254740993n); // 2^53 + 1: not a double
    expect(parseDecimal('123456789012345678901234567890.12', wide)).toBe(12345678901234567890123456789012n);
  });

  describe('refuses with the exact reason (scale 2, positive)', () => {
    it.each<[unknown, string]>([
      [12, 'not-a-string'],
      [12n, 'not-a-string'],
      [null, 'not-a-string'],
      [undefined, 'not-a-string'],
      ['', 'empty'],
      ['+1', 'malformed'],
      ['007.00', 'malformed'],
      ['00', 'malformed'],
      ['-00.5', 'malformed'],
      ['.5', 'malformed'],
      ['5.', 'malformed'],
      ['1e3', 'malformed'],
      [' 1', 'malformed'],
      ['1\n', 'malformed'],
      ['1,000', 'malformed'], // grouping not allowed by these rules
      ['٣', 'malformed'],
      ['1.001', 'too-many-decimals'],
      ['1.000', 'too-many-decimals'],
      ['-1', 'negative'],
      ['-0', 'negative'],
      ['0', 'zero'],
      ['0.00', 'zero'],
      ['10000000000000.01', 'too-large'],
      ['100000000000000', 'too-large'],
    ])('%p -> %s', (input, reason) => {
      expect(reasonOf(() => parseDecimal(input, FEN))).toBe(reason);
    });
  });

  it('checks format first, then decimals, then sign, then zero, then size', () => {
    expect(reasonOf(() => parseDecimal('+1.001', FEN))).toBe('malformed');
    expect(reasonOf(() => parseDecimal('-1.001', FEN))).toBe('too-many-decimals');
    expect(reasonOf(() => parseDecimal('100000000000000.001', FEN))).toBe('too-many-decimals');
    expect(reasonOf(() => parseDecimal('-100000000000000', FEN))).toBe('negative');
    expect(reasonOf(() => parseDecimal('-0.00', FEN))).toBe('negative');
  });

  describe('zero and negatives when allowed', () => {
    const signed: DecimalRules = {
      ...FEN,
      allowNegative: true,
      allowZero: true,
    };
    it.each<[string, bigint]>([
      ['0', 0n],
      ['0.00', 0n],
      ['-1', -100n],
      ['-0.01', -1n],
      ['-10000000000000.00', -(10n ** 15n)],
    ])('%j -> %p', (input, expected) => {
      expect(parseDecimal(input, signed)).toBe(expected);
    });
    it.each<[string, DecimalRules, string]>([
      ['-0', signed, 'malformed'], // negative zero is never canonical
      ['-0.00', signed, 'malformed'],
      ['-0.00', { ...FEN, allowNegative: true }, 'zero'],
      ['-0.00', { ...FEN, allowZero: true }, 'negative'],
      ['-10000000000000.01', signed, 'too-large'],
      ['-1', { ...FEN, allowZero: true }, 'negative'],
      ['0', { ...FEN, allowNegative: true }, 'zero'],
    ])('%j with %o -> %s', (input, rules, reason) => {
      expect(reasonOf(() => parseDecimal(input, rules))).toBe(reason);
    });
  });

  describe('other scales', () => {
    it('scale 0 takes integers only', () => {
      const rules: DecimalRules = { scale: 0, max: 1000n };
      expect(parseDecimal('1000', rules)).toBe(1000n);
      expect(reasonOf(() => parseDecimal('1.0', rules))).toBe('too-many-decimals');
      expect(reasonOf(() => parseDecimal('1001', rules))).toBe('too-large');
      expect(reasonOf(() => parseDecimal('10000', rules))).toBe('too-large');
    });
    it('scale 6 pads the fraction', () => {
      expect(parseDecimal('1.5', { scale: 6, max: 10n ** 9n })).toBe(1_500_000n);
      expect(parseDecimal('0.000001', { scale: 6, max: 10n ** 9n })).toBe(1n);
      expect(reasonOf(() => parseDecimal('0.0000001', { scale: 6, max: 10n ** 9n }))).toBe('too-many-decimals');
    });
    it('a bound with a fractional part is inclusive and exact', () => {
      const rules: DecimalRules = { scale: 2, max: 12345n }; // 123.45
      expect(parseDecimal('123.45', rules)).toBe(12345n);
      expect(reasonOf(() => parseDecimal('123.46', rules))).toBe('too-large');
      expect(reasonOf(() => parseDecimal('124', rules))).toBe('too-large');
    });
  });

  describe('thousands separators (allowGrouping)', () => {
    const grouped: DecimalRules = { ...FEN, allowGrouping: true };
    it.each<[string, bigint]>([
      ['1,000', 100000n],
      ['1000', 100000n],
      ['12,345.67', 1234567n],
      ['123,456,789.01', 12345678901n],
      ['999', 99900n],
      ['0.5', 50n],
    ])('%j -> %p', (input, expected) => {
      expect(parseDecimal(input, grouped)).toBe(expected);
    });
    it.each([
      '1,00',
      '1,0000',
      '10,00',
      '1000,000',
      '1,000,00',
      ',100',
      '100,',
      '1,,000',
      '0,100',
      '01,000',
      '1,000.000,0',
      '1.000,00',
      '1 000',
      '1，000',
      "1'000",
      '+1,000',
    ])('%j -> malformed', (input) => {
      expect(reasonOf(() => parseDecimal(input, grouped))).toBe('malformed');
    });
  });

  describe('long inputs get the right reason without building huge bigints', () => {
    it('a million-digit number is too large, not malformed', () => {
      const started = Date.now();
      expect(reasonOf(() => parseDecimal('9'.repeat(1_000_000), FEN))).toBe('too-large');
      expect(reasonOf(() => parseDecimal(`1${'0'.repeat(70)}.00`, FEN))).toBe('too-large');
      expect(
        reasonOf(() =>
          parseDecimal(`1${',000'.repeat(100_000)}`, {
            ...FEN,
            allowGrouping: true,
          }),
        ),
      ).toBe('too-large');
      expect(Date.now() - started).toBeLessThan(1000);
    });
    it('a million decimals is too-many-decimals', () => {
      expect(reasonOf(() => parseDecimal(`1.${'0'.repeat(1_000_000)}`, FEN))).toBe('too-many-decimals');
    });
    it('long junk is malformed, quickly', () => {
      const started = Date.now();
      expect(reasonOf(() => parseDecimal(`${'1'.repeat(1_000_000)}x`, FEN))).toBe('malformed');
      expect(
        reasonOf(() =>
          parseDecimal(`${'1,000'.repeat(100_000)}x`, {
            ...FEN,
            allowGrouping: true,
          }),
        ),
      ).toBe('malformed');
      expect(Date.now() - started).toBeLessThan(1000);
    });
    it('length alone is not a reason: a long but valid value is accepted', () => {
      const rules: DecimalRules = { scale: 60, max: 10n ** 70n };
      const text = `1234567890.${'1234567890'.repeat(6)}`; // 71 characters
      expect(parseDecimal(text, rules)).toBe(BigInt(text.replace('.', '')));
    });
  });

  describe('error object', () => {
    it('carries reason, input, name and a helpful message', () => {
      let caught: unknown;
      try {
        parseDecimal('+1.00', FEN);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DecimalFormatError);
      expect(caught).toBeInstanceOf(Error);
      const error = caught as DecimalFormatError;
      expect(error.name).toBe('DecimalFormatError');
      expect(error.reason).toBe('malformed');
      expect(error.input).toBe('+1.00');
      expect(error.message).toMatch(/'\+'/);
    });
    it.each<[string, RegExp]>([
      ['007.00', /leading zeros/],
      ['1 000', /spaces/],
      ['1e3', /exponent/],
      ['1,000', /thousands separators/],
    ])('message for %j mentions %s', (input, message) => {
      expect(() => parseDecimal(input, FEN)).toThrow(message);
    });
    it('too-large message states the bound', () => {
      expect(() => parseDecimal('10000000000000.01', FEN)).toThrow('10000000000000.00');
    });
  });

  describe('programmer errors are not format errors', () => {
    it.each<[DecimalRules, ErrorConstructor]>([
      [{ scale: -1, max: 1n }, RangeError],
      [{ scale: 1.5, max: 1n }, RangeError],
      [{ scale: Number.NaN, max: 1n }, RangeError],
      [{ scale: 2, max: 100 as unknown as bigint }, TypeError],
      [{ scale: 2, max: -1n }, RangeError],
    ])('%o', (rules, type) => {
      expect(() => parseDecimal('1', rules)).toThrow(type);
    });
  });
});

describe('formatDecimal', () => {
  it.each<[bigint, number, string]>([
    [0n, 2, '0.00'],
    [1n, 2, '0.01'],
    [-1n, 2, '-0.01'],
    [10n, 2, '0.10'],
    [-1250n, 2, '-12.50'],
    [100n, 2, '1.00'],
    [123n, 0, '123'],
    [-123n, 0, '-123'],
    [0n, 0, '0'],
    [1n, 6, '0.000001'],
    [1_000_000n, 6, '1.000000'],
    [9007199254740993n, 2, '90071992547409.93'],
  ])('(%p, %p) -> %j', (value, scale, expected) => {
    expect(formatDecimal(value, scale)).toBe(expected);
  });
  it('refuses numbers and bad scales', () => {
    expect(() => formatDecimal(12 as unknown as bigint, 2)).toThrow(TypeError);
    expect(() => formatDecimal(1.5 as unknown as bigint, 2)).toThrow(TypeError);
    expect(() => formatDecimal(1n, -1)).toThrow(RangeError);
    expect(() => formatDecimal(1n, 0.5)).toThrow(RangeError);
  });
});

describe('formatDecimalTrimmed', () => {
  it.each<[bigint, number, string]>([
    [0n, 6, '0'],
    [1n, 6, '0.000001'],
    [1_500_000n, 6, '1.5'],
    [10_000_000n, 6, '10'],
    [100_000_000n, 6, '100'],
    [-1_500_000n, 6, '-1.5'],
    [500_000n, 6, '0.5'],
    [100n, 0, '100'],
    [0n, 0, '0'],
  ])('(%p, %p) -> %j', (value, scale, expected) => {
    expect(formatDecimalTrimmed(value, scale)).toBe(expected);
  });
});

describe('divideRoundHalfUp', () => {
  it.each<[bigint, bigint, number, bigint]>([
    [1n, 3n, 2, 33n],
    [2n, 3n, 2, 67n],
    [1n, 8n, 2, 13n], // 0.125 -> 0.13 (exact half rounds up)
    [1n, 8n, 3, 125n],
    [5n, 2n, 0, 3n],
    [3n, 2n, 0, 2n],
    [7n, 2n, 0, 4n],
    [1n, 2n, 0, 1n],
    [1n, 3n, 0, 0n],
    [-1n, 8n, 2, -13n], // half away from zero
    [1n, -8n, 2, -13n],
    [-1n, -8n, 2, 13n],
    [-1n, 3n, 2, -33n],
    [-1n, 1000n, 2, 0n], // rounds to zero: plain 0n, there is no -0n
    [0n, 5n, 2, 0n],
    [10n ** 30n, 3n, 0, 333333333333333333333333333333n],
    [2n * 10n ** 30n, 3n, 0, 666666666666666666666666666667n],
  ])('%p / %p at %p -> %p', (n, d, scale, expected) => {
    expect(divideRoundHalfUp(n, d, scale)).toBe(expected);
  });
  it('odd divisors: twice the remainder decides', () => {
    expect(divideRoundHalfUp(4n, 9n, 0)).toBe(0n); // 0.444
    expect(divideRoundHalfUp(5n, 9n, 0)).toBe(1n); // 0.555
    expect(divideRoundHalfUp(3n, 7n, 0)).toBe(0n); // 0.4286
    expect(divideRoundHalfUp(4n, 7n, 0)).toBe(1n); // 0.5714
  });
  it('refuses division by zero, numbers and bad scales', () => {
    expect(() => divideRoundHalfUp(1n, 0n, 2)).toThrow(RangeError);
    expect(() => divideRoundHalfUp(1 as unknown as bigint, 2n, 2)).toThrow(TypeError);
    expect(() => divideRoundHalfUp(1n, 2 as unknown as bigint, 2)).toThrow(TypeError);
    expect(() => divideRoundHalfUp(1n, 2n, -1)).toThrow(RangeError);
  });
});

describe('groupThousands', () => {
  it.each<[string, string]>([
    ['0', '0'],
    ['0.00', '0.00'],
    ['999', '999'],
    ['1000', '1,000'],
    ['1000.5', '1,000.5'],
    ['111969.90', '111,969.90'],
    ['1234567.891234', '1,234,567.891234'],
    ['-1234567.89', '-1,234,567.89'],
    ['-999.99', '-999.99'],
    ['-1000', '-1,000'],
    ['10000000000000.00', '10,000,000,000,000.00'],
  ])('%j -> %j', (input, expected) => {
    expect(groupThousands(input)).toBe(expected);
  });
});
