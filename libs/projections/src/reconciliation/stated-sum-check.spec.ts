import { checkStatedSum, StatedSumUnitError, type PrintedFigure, type StatedSumStatus } from './index';

/*
 * Each case's interval is written out by hand from the parts' printed digits (a part printed to two
 * decimals of 万元 is ± 0.005, to one decimal ± 0.05; a count is exact; money printed to the fen is
 * exact), and the stated total placed inside, on the edge of, or outside it.
 */

const wan = (stated: string): PrintedFigure => ({ stated, unit: 'wan' });
const changpoParts = [wan('75,000.00'), wan('2,517.8'), wan('34,452.09')]; // 111,969.89 ± 0.06

describe('checkStatedSum', () => {
  it.each<[string, PrintedFigure, PrintedFigure[], StatedSumStatus, string, string | undefined]>([
    ['the parts as printed', wan('2,517.8'), [wan('1,602.80'), wan('850.00'), wan('65.00')], 'adds-up', '2517.8', undefined],
    // 111,969.89 − 0.06 = 111,969.83 … 111,969.89 + 0.06 = 111,969.95
    ['a total the printed parts allow', wan('111,969.90'), changpoParts, 'within-printed-precision', '111969.89', undefined],
    ['the top of what they allow', wan('111,969.95'), changpoParts, 'within-printed-precision', '111969.89', undefined],
    ['one hundredth above it', wan('111,969.96'), changpoParts, 'does-not-add-up', '111969.89', '0.07'],
    ['one hundredth below the bottom', wan('111,969.82'), changpoParts, 'does-not-add-up', '111969.89', '-0.07'],
    // the total's own rounding: 1.234 + 2.345 = 3.579 → 3.58
    ['parts finer than the total', wan('3.58'), [wan('1.234'), wan('2.345')], 'adds-up', '3.579', undefined],
    // 3.27亿 + 0.12亿
    ['parts in another money unit', { stated: '3.39', unit: 'yi' }, [{ stated: '3.27', unit: 'yi' }, wan('1,200.00')], 'adds-up', '3.39', undefined],
    [
      'money printed to the fen is exact',
      { stated: '3.01', unit: 'yuan' },
      [
        { stated: '1.00', unit: 'yuan' },
        { stated: '2.00', unit: 'yuan' },
      ],
      'does-not-add-up',
      '3',
      '0.01',
    ],
    [
      'counts are exact',
      { stated: '8', unit: 'count' },
      [
        { stated: '3', unit: 'count' },
        { stated: '4', unit: 'count' },
      ],
      'does-not-add-up',
      '7',
      '1',
    ],
    // 1.5 ± 0.05 + 2.5 ± 0.05 = 3.9 … 4.1
    [
      'a measured quantity',
      { stated: '4.1', unit: '吨' },
      [
        { stated: '1.5', unit: '吨' },
        { stated: '2.5', unit: '吨' },
      ],
      'within-printed-precision',
      '4',
      undefined,
    ],
    [
      'shares of a whole',
      { stated: '100.00', unit: 'percent' },
      [
        { stated: '33.33', unit: 'percent' },
        { stated: '66.66', unit: 'percent' },
      ],
      'within-printed-precision',
      '99.99',
      undefined,
    ],
  ])('%s: %j', (_what, total, parts, status, sumOfParts, difference) => {
    const check = checkStatedSum(total, parts);
    expect(check.status).toBe(status);
    expect(check.sumOfParts).toBe(sumOfParts);
    expect(check.difference).toBe(difference);
  });

  it('says how the sum comes about', () => {
    expect(checkStatedSum(wan('111,969.90'), changpoParts)).toEqual({
      status: 'within-printed-precision',
      sumOfParts: '111969.89',
      range: { lower: '111969.83', upper: '111969.95' },
      arithmetic:
        '75,000.00 + 2,517.8 + 34,452.09 = 111,969.89 万元 → 111,969.89 at the 2 printed decimals ≠ stated 111,969.90 万元; ' +
        'each part ± half its last printed digit gives [111,969.83 万元, 111,969.95 万元], ' +
        'which rounds to [111,969.83, 111,969.95] at the 2 printed decimals and holds 111,969.90 万元',
    });
    expect(checkStatedSum({ stated: '3.39', unit: 'yi' }, [{ stated: '3.27', unit: 'yi' }, wan('1,200.00')]).arithmetic).toBe(
      '3.27 + 1,200.00 万元 = 3.39 亿元; stated 3.39 亿元',
    );
  });

  it('counted things are exact: five, seven, six and three are twenty-one, not twenty', () => {
    const parts = ['5', '7', '6', '3'].map((stated) => ({ stated, unit: '个' }));
    expect(checkStatedSum({ stated: '20', unit: '个' }, parts)).toEqual({
      status: 'does-not-add-up',
      sumOfParts: '21',
      range: { lower: '21', upper: '21' },
      difference: '-1',
      arithmetic:
        '5 + 7 + 6 + 3 = 21 个 → 21 at the 0 printed decimals ≠ stated 20 个; ' +
        'the parts are exact (counted, or money printed to the fen), without 20 个; stated − sum = -1 个',
    });
  });

  it('refuses parts that cannot be added to the total', () => {
    expect(() => checkStatedSum(wan('1'), [{ stated: '1', unit: 'percent' }])).toThrow(StatedSumUnitError);
    expect(() => checkStatedSum({ stated: '1', unit: '吨' }, [{ stated: '1', unit: '公里' }])).toThrow(StatedSumUnitError);
  });
});
