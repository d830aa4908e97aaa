import { DecimalFormatError } from './decimal';
import {
  AmountRules,
  FEN_PER_WAN,
  FEN_PER_YUAN,
  MAX_YUAN_FEN,
  MoneyFormatError,
  formatWanDisplay,
  formatWanExact,
  formatYuan,
  formatYuanDisplay,
  parseWan,
  parseYuan,
  sumFen,
} from './money';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecimalFormatError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('constants', () => {
  it('fen per yuan, per 万元, and the 10^13 yuan ceiling', () => {
    expect(FEN_PER_YUAN).toBe(100n);
    expect(FEN_PER_WAN).toBe(10_000n * FEN_PER_YUAN);
    expect(MAX_YUAN_FEN).toBe(1_000_000_000_000_000n);
    expect(MoneyFormatError).toBe(DecimalFormatError);
  });
});

describe('parseYuan', () => {
  describe('accepted', () => {
    it.each<[string, bigint]>([
      ['0.01', 1n],
      ['0.1', 10n],
      ['0.10', 10n],
      ['1', 100n],
      ['1.5', 150n],
      ['1.00', 100n],
      ['10', 1000n],
      ['100.99', 10099n],
      ['167191600.00', 16719160000n],
      ['9007199254740.99', 900719925474099n],
      ['9999999999999.99', 999999999999999n],
      ['10000000000000', MAX_YUAN_FEN],
      ['10000000000000.0', MAX_YUAN_FEN],
      ['10000000000000.00', MAX_YUAN_FEN], // the maximum
    ])('%j -> %p fen', (input, fen) => {
      expect(parseYuan(input)).toBe(fen);
    });
  });

  describe('refused, with the exact reason', () => {
    it.each<[unknown, string]>([
      // size
      ['10000000000000.01', 'too-large'],
      ['10000000000001', 'too-large'],
      ['99999999999999.99', 'too-large'],
      ['100000000000000.00', 'too-large'],
      ['90071992547409.93', 'too-large'], // 2^53 + 1 fen is beyond the ceiling
      [`1${'0'.repeat(100)}.00`, 'too-large'],
      // sign and zero
      ['-1.00', 'negative'],
      ['-0.01', 'negative'],
      ['-0', 'negative'],
      ['-0.00', 'negative'],
      ['-10000000000000.01', 'negative'],
      ['0', 'zero'],
      ['0.0', 'zero'],
      ['0.00', 'zero'],
      // decimals
      ['1.001', 'too-many-decimals'],
      ['1.000', 'too-many-decimals'],
      ['0.001', 'too-many-decimals'],
      ['0.005', 'too-many-decimals'],
      ['-1.001', 'too-many-decimals'],
      // exponent / radix / special values
      ['1e3', 'malformed'],
      ['1E3', 'malformed'],
      ['1.5e2', 'malformed'],
      ['1e-2', 'malformed'],
      ['0x10', 'malformed'],
      ['0b1', 'malformed'],
      ['0o7', 'malformed'],
      ['Infinity', 'malformed'],
      ['-Infinity', 'malformed'],
      ['NaN', 'malformed'],
      ['1n', 'malformed'],
      ['1_000', 'malformed'],
      // whitespace
      [' 1.00', 'malformed'],
      ['1.00 ', 'malformed'],
      ['1.00\n', 'malformed'],
      ['\t1.00', 'malformed'],
      ['1 000.00', 'malformed'],
      ['1.00\u00a0', 'malformed'],
      ['\u200b1.00', 'malformed'],
      ['\ufeff1.00', 'malformed'],
      // signs
      ['+1', 'malformed'],
      ['+1.00', 'malformed'],
      ['--1', 'malformed'],
      ['+-1', 'malformed'],
      ['\u22121.00', 'malformed'], // unicode minus
      ['1-', 'malformed'],
      // leading zeros: the edge is strict
      ['007.00', 'malformed'],
      ['00.01', 'malformed'],
      ['01', 'malformed'],
      ['-01.00', 'malformed'],
      ['00', 'malformed'],
      // grouping is for 万元 report figures only
      ['1,000.00', 'malformed'],
      ['1,000', 'malformed'],
      ['1.000,00', 'malformed'],
      // half-written decimals
      ['.5', 'malformed'],
      ['5.', 'malformed'],
      ['-.5', 'malformed'],
      ['.', 'malformed'],
      ['-', 'malformed'],
      ['1..0', 'malformed'],
      ['1.0.0', 'malformed'],
      // unicode digits and decorations
      ['١٢٣', 'malformed'],
      ['۱۲۳', 'malformed'],
      ['१२३', 'malformed'],
      ['１２３', 'malformed'],
      ['１.００', 'malformed'],
      ['¥1.00', 'malformed'],
      ['1.00元', 'malformed'],
      ['1.00%', 'malformed'],
      ['abc', 'malformed'],
      ['一百', 'malformed'],
      // empty
      ['', 'empty'],
      // not a string at all
      [12, 'not-a-string'],
      [12.5, 'not-a-string'],
      [0, 'not-a-string'],
      [Number.NaN, 'not-a-string'],
      [Number.POSITIVE_INFINITY, 'not-a-string'],
      [100n, 'not-a-string'],
      [null, 'not-a-string'],
      [undefined, 'not-a-string'],
      [{}, 'not-a-string'],
      [[], 'not-a-string'],
      [['1.00'], 'not-a-string'],
      [new String('1.00'), 'not-a-string'],
      [true, 'not-a-string'],
      [{ toString: () => '1.00' }, 'not-a-string'],
    ])('%p -> %s', (input, reason) => {
      expect(reasonOf(() => parseYuan(input))).toBe(reason);
    });
  });

  describe('allowZero / allowNegative', () => {
    it.each<[string, AmountRules, bigint]>([
      ['0', { allowZero: true }, 0n],
      ['0.00', { allowZero: true }, 0n],
      ['-1.00', { allowNegative: true }, -100n],
      ['-0.01', { allowNegative: true }, -1n],
      ['-10000000000000.00', { allowNegative: true }, -MAX_YUAN_FEN],
      ['0.00', { allowZero: true, allowNegative: true }, 0n],
    ])('%j with %o -> %p', (input, rules, fen) => {
      expect(parseYuan(input, rules)).toBe(fen);
    });
    it.each<[string, AmountRules, string]>([
      ['-0.00', { allowZero: true }, 'negative'],
      ['-0.00', { allowNegative: true }, 'zero'],
      ['-0.00', { allowZero: true, allowNegative: true }, 'malformed'],
      ['0.00', { allowNegative: true }, 'zero'],
      ['-1.00', { allowZero: true }, 'negative'],
      ['-10000000000000.01', { allowNegative: true }, 'too-large'],
      ['+1.00', { allowNegative: true }, 'malformed'],
      ['-007.00', { allowNegative: true }, 'malformed'],
    ])('%j with %o -> %s', (input, rules, reason) => {
      expect(reasonOf(() => parseYuan(input, rules))).toBe(reason);
    });
    it('stray rule keys cannot loosen the edge', () => {
      const loose = (rules: object) => rules as AmountRules;
      expect(reasonOf(() => parseYuan('1,000.00', loose({ allowGrouping: true })))).toBe('malformed');
      expect(reasonOf(() => parseYuan('1.001', loose({ scale: 3 })))).toBe('too-many-decimals');
      expect(reasonOf(() => parseYuan('10000000000000.01', loose({ max: 10n ** 20n })))).toBe('too-large');
      expect(reasonOf(() => parseYuan('0', loose({ allowZero: 'yes' })))).toBe('zero');
    });
  });
});

describe('formatYuan', () => {
  it.each<[bigint, string]>([
    [1n, '0.01'],
    [10n, '0.10'],
    [100n, '1.00'],
    [150n, '1.50'],
    [0n, '0.00'],
    [-1n, '-0.01'],
    [-150n, '-1.50'],
    [16719160000n, '167191600.00'],
    [9007199254740993n, '90071992547409.93'],
    [MAX_YUAN_FEN, '10000000000000.00'],
    [MAX_YUAN_FEN + 1n, '10000000000000.01'], // formatting is exact beyond the input ceiling
  ])('%p -> %j', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
  it('refuses a JS number', () => {
    expect(() => formatYuan(12 as unknown as bigint)).toThrow(TypeError);
    expect(() => formatYuan(0.1 as unknown as bigint)).toThrow(TypeError);
  });
});

describe('formatYuanDisplay', () => {
  it.each<[bigint, string]>([
    [0n, '0.00'],
    [99999n, '999.99'],
    [100000n, '1,000.00'],
    [16719160000n, '167,191,600.00'],
    [-123456789n, '-1,234,567.89'],
    [MAX_YUAN_FEN, '10,000,000,000,000.00'],
  ])('%p -> %j', (fen, text) => {
    expect(formatYuanDisplay(fen)).toBe(text);
  });
});

describe('parseWan (万元 as printed in reports)', () => {
  describe('accepted', () => {
    it.each<[string, bigint]>([
      ['111,969.90', 111_969_900_000n], // 111969.90 万元 = 1,119,699,000.00 元
      ['2,517.8', 2_517_800_000n],
      ['75,000.00', 75_000_000_000n],
      ['22,700', 22_700_000_000n],
      ['44,740.84', 44_740_840_000n],
      ['1,602.80', 1_602_800_000n],
      ['65.00', 65_000_000n],
      ['16006.8', 16_006_800_000n], // reports also print ungrouped figures
      ['329721.96', 329_721_960_000n],
      ['0.000001', 1n], // one fen
      ['0.01', 10_000n],
      ['1,234,567.891234', 1_234_567_891_234n],
      ['1,000,000,000', MAX_YUAN_FEN],
      ['1000000000.000000', MAX_YUAN_FEN],
    ])('%j -> %p fen', (input, fen) => {
      expect(parseWan(input)).toBe(fen);
    });
    it('agrees with parseYuan on the same amount', () => {
      expect(parseWan('111,969.90')).toBe(parseYuan('1119699000.00'));
      expect(parseWan('2,517.8')).toBe(parseYuan('25178000'));
    });
  });

  describe('refused, with the exact reason', () => {
    it.each<[unknown, string]>([
      ['1,60.00', 'malformed'],
      ['1,6000.00', 'malformed'],
      ['1,000,00', 'malformed'],
      ['12,34', 'malformed'],
      ['1234,567', 'malformed'],
      [',100', 'malformed'],
      ['100,', 'malformed'],
      ['1,,000', 'malformed'],
      ['0,100.00', 'malformed'],
      ['01,000', 'malformed'],
      ['007.00', 'malformed'],
      ['1.000,00', 'malformed'],
      ['1,000.000,1', 'malformed'],
      ['1，000.00', 'malformed'], // full-width comma
      ['1 000.00', 'malformed'],
      ["1'000", 'malformed'],
      ['+1,000', 'malformed'],
      [' 1,000', 'malformed'],
      ['1e3', 'malformed'],
      ['１,０００', 'malformed'],
      ['.5', 'malformed'],
      ['5.', 'malformed'],
      ['1.0000001', 'too-many-decimals'],
      ['1,000,000,000.000001', 'too-large'],
      ['1,000,000,001', 'too-large'],
      ['10,000,000,000', 'too-large'],
      ['-1,000.00', 'negative'],
      ['0', 'zero'],
      ['0.000000', 'zero'],
      ['', 'empty'],
      [75000, 'not-a-string'],
      [null, 'not-a-string'],
    ])('%p -> %s', (input, reason) => {
      expect(reasonOf(() => parseWan(input))).toBe(reason);
    });
  });

  it('honours allowNegative / allowZero', () => {
    expect(parseWan('-1,000.5', { allowNegative: true })).toBe(-1_000_500_000n);
    expect(parseWan('0', { allowZero: true })).toBe(0n);
    expect(reasonOf(() => parseWan('-0', { allowNegative: true, allowZero: true }))).toBe('malformed');
  });
});

describe('formatWanExact', () => {
  it.each<[bigint, string]>([
    [111_969_900_000n, '111969.9'],
    [2_517_800_000n, '2517.8'],
    [75_000_000_000n, '75000'],
    [44_740_840_000n, '44740.84'],
    [1n, '0.000001'],
    [10n, '0.00001'],
    [0n, '0'],
    [-1n, '-0.000001'],
    [-1_500_000n, '-1.5'],
    [MAX_YUAN_FEN, '1000000000'],
  ])('%p -> %j', (fen, text) => {
    expect(formatWanExact(fen)).toBe(text);
  });
});

describe('formatWanDisplay', () => {
  it.each<[bigint, number | undefined, string]>([
    [111_969_900_000n, undefined, '111,969.90'],
    [2_517_800_000n, undefined, '2,517.80'],
    [75_000_000_000n, undefined, '75,000.00'],
    [0n, undefined, '0.00'],
    [1n, undefined, '0.00'],
    [4_999n, undefined, '0.00'],
    [5_000n, undefined, '0.01'], // exactly 0.005 万元 rounds up
    [-4_999n, undefined, '0.00'], // never "-0.00"
    [-5_000n, undefined, '-0.01'], // half away from zero
    [1_005_000n, undefined, '1.01'], // 1.005: a float would print 1.00
    [1_234_567_895_000n, 2, '1,234,567.90'],
    [1_234_567_894_999n, 2, '1,234,567.89'],
    [999_999_995_000n, 2, '1,000,000.00'], // carry across a group
    [500_000n, 0, '1'],
    [499_999n, 0, '0'],
    [111_969_900_000n, 0, '111,970'],
    [50n, 4, '0.0001'],
    [49n, 4, '0.0000'],
    [1n, 6, '0.000001'],
    [123_456_789_012_345n, 6, '123,456,789.012345'],
    [MAX_YUAN_FEN, 2, '1,000,000,000.00'],
  ])('(%p, %p) -> %j', (fen, decimals, text) => {
    expect(formatWanDisplay(fen, decimals)).toBe(text);
  });
  it.each([7, -1, 1.5, Number.NaN])('refuses decimals=%p', (decimals) => {
    expect(() => formatWanDisplay(1n, decimals)).toThrow(RangeError);
  });
  it('refuses a JS number', () => {
    expect(() => formatWanDisplay(5000 as unknown as bigint)).toThrow(TypeError);
  });
});

describe('sumFen', () => {
  it('sums exactly, past 2^53', () => {
    expect(sumFen([])).toBe(0n);
    expect(sumFen([1n, 2n, 3n])).toBe(6n);
    expect(sumFen([2n ** 53n, 1n, 1n])).toBe(2n ** 53n + 2n);
    expect(sumFen([100n, -30n])).toBe(70n);
    expect(sumFen(new Set([MAX_YUAN_FEN, MAX_YUAN_FEN]))).toBe(MAX_YUAN_FEN);
    expect(
      sumFen(
        (function* () {
          yield 1n;
          yield 2n;
        })(),
      ),
    ).toBe(3n);
  });
  it('sums the report receipts to the stated total', () => {
    // 111,969.90 = 75,000.00 + 2,517.8 + 34,452.09 (+ 0.01 of report rounding)
    const parts = ['75,000.00', '2,517.8', '34,452.09'].map((text) => parseWan(text));
    expect(formatWanExact(sumFen(parts))).toBe('111969.89');
  });
  it('refuses JS numbers', () => {
    expect(() => sumFen([1n, 2 as unknown as bigint])).toThrow(TypeError);
  });
});
