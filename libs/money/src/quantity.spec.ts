import { DecimalFormatError } from './decimal';
import { MAX_QUANTITY, QUANTITY_SCALE, formatQuantity, parseQuantity } from './quantity';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecimalFormatError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('parseQuantity', () => {
  it('holds 4 decimals, up to 10^15', () => {
    expect(QUANTITY_SCALE).toBe(4);
    expect(MAX_QUANTITY).toBe(10n ** 19n);
  });

  describe('accepted', () => {
    it.each<[string, bigint]>([
      ['0', 0n], // zero is a valid actual by default
      ['0.0000', 0n],
      ['0.0001', 1n],
      ['1', 10_000n],
      ['1986', 19_860_000n],
      ['2.865', 28_650n],
      ['48.946', 489_460n],
      ['0.7', 7_000n],
      ['100.00', 1_000_000n],
      ['263130', 2_631_300_000n],
      ['900719925474.0993', 9_007_199_254_740_993n], // 2^53 + 1 units: not a double
      ['1000000000000000', MAX_QUANTITY],
      ['1000000000000000.0000', MAX_QUANTITY],
    ])('%j -> %p', (input, units) => {
      expect(parseQuantity(input)).toBe(units);
    });
  });

  describe('refused, with the exact reason', () => {
    it.each<[unknown, string]>([
      ['0.00001', 'too-many-decimals'],
      ['1.23456', 'too-many-decimals'],
      ['1000000000000000.0001', 'too-large'],
      ['1000000000000001', 'too-large'],
      ['-1', 'negative'],
      ['-0.0001', 'negative'],
      ['-0', 'negative'],
      ['1,986', 'malformed'],
      ['+1', 'malformed'],
      ['01', 'malformed'],
      ['00.5', 'malformed'],
      ['.5', 'malformed'],
      ['5.', 'malformed'],
      ['1e3', 'malformed'],
      ['1E3', 'malformed'],
      [' 1', 'malformed'],
      ['1 ', 'malformed'],
      ['0x10', 'malformed'],
      ['Infinity', 'malformed'],
      ['NaN', 'malformed'],
      ['١٩٨٦', 'malformed'],
      ['１９８６', 'malformed'],
      ['1986套', 'malformed'],
      ['', 'empty'],
      [1986, 'not-a-string'],
      [2.865, 'not-a-string'],
      [null, 'not-a-string'],
      [{}, 'not-a-string'],
    ])('%p -> %s', (input, reason) => {
      expect(reasonOf(() => parseQuantity(input))).toBe(reason);
    });
  });

  it('refuses zero when asked', () => {
    expect(reasonOf(() => parseQuantity('0', { allowZero: false }))).toBe('zero');
    expect(reasonOf(() => parseQuantity('0.0000', { allowZero: false }))).toBe('zero');
    expect(parseQuantity('0.0001', { allowZero: false })).toBe(1n);
    expect(parseQuantity('0', { allowZero: true })).toBe(0n);
    expect(parseQuantity('0', {})).toBe(0n);
  });
});

describe('formatQuantity', () => {
  it.each<[bigint, string]>([
    [0n, '0'],
    [1n, '0.0001'],
    [5_000n, '0.5'],
    [28_650n, '2.865'],
    [10_000n, '1'],
    [19_860_000n, '1986'],
    [2_631_300_000n, '263130'],
    [9_007_199_254_740_993n, '900719925474.0993'],
    [MAX_QUANTITY, '1000000000000000'],
  ])('%p -> %j', (units, text) => {
    expect(formatQuantity(units)).toBe(text);
  });
  it('round-trips through parseQuantity', () => {
    for (const text of ['0', '0.0001', '2.865', '1986', '48.946', '1000000000000000']) {
      expect(formatQuantity(parseQuantity(text))).toBe(text);
    }
  });
  it('refuses a JS number', () => {
    expect(() => formatQuantity(1986 as unknown as bigint)).toThrow(TypeError);
  });
});
