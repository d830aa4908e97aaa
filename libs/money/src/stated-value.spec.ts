import { ratio } from './interval';
import {
  basePerUnit,
  checkStatedUnit,
  parseStatedValue,
  sameDimension,
  statedHalfStep,
  statedInBase,
  StatedValueError,
  statedUnitKind,
  statedUnitSuffix,
} from './stated-value';

function refusal(fn: () => unknown): StatedValueError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatedValueError) return error;
    throw error;
  }
  throw new Error('expected a StatedValueError');
}

describe('parseStatedValue', () => {
  it.each<[string, string, bigint, number]>([
    ['111,969.90', 'wan', 11_196_990n, 2],
    ['2,517.8', 'wan', 25_178n, 1],
    ['22,700', 'wan', 22_700n, 0],
    ['3.27', 'yi', 327n, 2],
    ['1,234,567.89', 'yuan', 123_456_789n, 2],
    ['74.25', 'percent', 7_425n, 2],
    ['100', 'percent', 100n, 0],
    ['-3.5', 'percent', -35n, 1],
    ['0', 'count', 0n, 0],
    ['10,269', 'count', 10_269n, 0],
    ['329721.96', '吨', 32_972_196n, 2],
    ['0.000001', 'wan', 1n, 6], // one fen
  ])('%p in %p → %p at %p decimals', (text, unit, units, decimals) => {
    expect(parseStatedValue(text, unit)).toMatchObject({ text, unit, units, decimals });
  });

  it.each<[unknown, unknown, 'stated' | 'unit', RegExp]>([
    ['1.5', 'count', 'stated', /whole number/],
    ['2.5', '个', 'stated', /a count of 个 is a whole number/],
    ['1.234', 'yuan', 'stated', /fraction of a fen/],
    ['1.00000000001', 'yi', 'stated', /at most 10 decimals/],
    ['1.0000000000001', 'percent', 'stated', /at most 12 decimals/],
    ['11,96.90', 'wan', 'stated', /groups? exactly three|thousands/],
    ['74.25%', 'percent', 'stated', /stated/],
    ['+1', 'count', 'stated', /'\+'/],
    ['007', 'count', 'stated', /leading zeros/],
    ['1e3', 'count', 'stated', /exponent/],
    ['', 'count', 'stated', /empty/],
    [12, 'count', 'stated', /decimal string/],
    ['-0', 'count', 'stated', /negative zero/],
    ['10000000000001', 'yuan', 'stated', /at most/], // above 10^13 yuan
    ['1', '万元', 'unit', /written wan/],
    ['1', '%', 'unit', /written percent/],
    ['1', 'wan-yuan', 'unit', /written wan/],
    ['1', '', 'unit', /unit must be/],
    ['1', ' 吨', 'unit', /unit must be/],
    ['1', 'x'.repeat(33), 'unit', /unit must be/],
    ['1', 7, 'unit', /string/],
  ])('refuses %p in %p (%p)', (text, unit, field, message) => {
    const error = refusal(() => parseStatedValue(text, unit));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('accepts up to 10^13 yuan in every money unit', () => {
    expect(parseStatedValue('10,000,000,000,000.00', 'yuan').units).toBe(10n ** 15n);
    expect(parseStatedValue('1,000,000,000', 'wan').units).toBe(10n ** 9n);
    expect(refusal(() => parseStatedValue('1,000,000,000.000001', 'wan')).field).toBe('stated');
    expect(parseStatedValue('100,000', 'yi').units).toBe(100_000n);
  });
});

describe('a stated value in its base, and half its last digit', () => {
  it.each<[string, string, bigint, bigint, bigint, bigint]>([
    // text, unit, base numerator, base denominator, half-step numerator, half-step denominator
    ['111,969.90', 'wan', 111_969_900_000n, 1n, 5_000n, 1n], // fen; ± 50 元
    ['2,517.8', 'wan', 25_178_000_00n, 1n, 50_000n, 1n], // ± 500 元
    ['3.27', 'yi', 32_700_000_000n, 1n, 50_000_000n, 1n], // ± 0.005亿 = 500,000 元
    ['1,234.56', 'yuan', 123_456n, 1n, 0n, 1n], // printed to the fen: exact
    ['1,234', 'yuan', 123_400n, 1n, 50n, 1n], // ± 0.5 元
    ['74.25', 'percent', 7_425n, 100n, 1n, 200n], // ± 0.005 points
    ['10,269', 'count', 10_269n, 1n, 0n, 1n], // a count is exact
    ['20', '个', 20n, 1n, 0n, 1n], // so is a number of things in their own measure word
    ['12.5', '公里', 25n, 2n, 1n, 20n], // ± 0.05 km
  ])('%p %p', (text, unit, n, d, hn, hd) => {
    const value = parseStatedValue(text, unit);
    expect(statedInBase(value)).toEqual(ratio(n, d));
    expect(statedHalfStep(value)).toEqual(ratio(hn, hd));
  });

  it('names the kind, base and suffix of every unit', () => {
    expect(['yuan', 'wan', 'yi', 'percent', 'count', '吨', '个', '套', 'ms'].map(statedUnitKind)).toEqual([
      'money',
      'money',
      'money',
      'percent',
      'count',
      'quantity',
      'count',
      'count',
      'quantity',
    ]);
    expect(['yuan', 'wan', 'yi', 'percent', 'count', '吨'].map(basePerUnit)).toEqual([100n, 1_000_000n, 10_000_000_000n, 1n, 1n, 1n]);
    expect(['yuan', 'wan', 'yi', 'percent', 'count', '吨'].map(statedUnitSuffix)).toEqual(['元', '万元', '亿元', '%', '', '吨']);
    expect(checkStatedUnit('ms')).toBe('ms');
  });

  it('adds money in any unit to money, anything else only to the same unit', () => {
    expect(sameDimension('wan', 'yi')).toBe(true);
    expect(sameDimension('yuan', 'wan')).toBe(true);
    expect(sameDimension('percent', 'percent')).toBe(true);
    expect(sameDimension('吨', '吨')).toBe(true);
    expect(sameDimension('吨', '公里')).toBe(false);
    expect(sameDimension('count', '个')).toBe(false);
    expect(sameDimension('wan', 'percent')).toBe(false);
  });
});
