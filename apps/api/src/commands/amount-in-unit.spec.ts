import { validateSync } from 'class-validator';
import { amountIn } from './amount-in-unit';
import { ReceiveFundsDto } from './project.dto';

describe('amountIn', () => {
  it.each([
    ['1.23', 'yi', 12_300_000_000n, { unit: 'yi', decimals: 2 }],
    ['1234.56', 'wan', 1_234_560_000n, { unit: 'wan', decimals: 2 }],
    ['0.000001', 'wan', 1n, { unit: 'wan', decimals: 6 }],
    ['0.0000000001', 'yi', 1n, { unit: 'yi', decimals: 10 }],
    ['12', 'wan', 12_000_000n, { unit: 'wan', decimals: 0 }],
  ] as const)('%s in %s is %s fen, printed %j', (text, unit, fen, printed) => {
    expect(amountIn(text, unit)).toEqual({ fen, printed });
  });

  it('keeps no printed precision for yuan, typed or by default', () => {
    expect(amountIn('1234.56', 'yuan')).toEqual({ fen: 123_456n });
    expect(amountIn('1234.56', undefined)).toEqual({ fen: 123_456n });
  });
});

describe("an amount is validated in its body's amountUnit", () => {
  const errors = (body: object) =>
    validateSync(Object.assign(new ReceiveFundsDto(), { receiptId: 'r-1', source: 'other', ...body })).map((e) => [
      e.property,
      Object.keys(e.constraints ?? {}),
    ]);

  it('accepts whole fen in each unit', () => {
    expect(errors({ amount: '1.000001', amountUnit: 'wan' })).toEqual([]);
    expect(errors({ amount: '1.0000000001', amountUnit: 'yi' })).toEqual([]);
    expect(errors({ amount: '1.01' })).toEqual([]);
  });

  it('refuses a fraction of a fen under the code clients know (isYuan), naming the unit', () => {
    expect(errors({ amount: '1.0000001', amountUnit: 'wan' })).toEqual([['amount', ['isYuan']]]);
    expect(errors({ amount: '1.001', amountUnit: 'yuan' })).toEqual([['amount', ['isYuan']]]);
    const [error] = validateSync(Object.assign(new ReceiveFundsDto(), { receiptId: 'r-1', source: 'other', amount: '1.0000001', amountUnit: 'wan' }));
    expect(error.constraints?.isYuan).toMatch(/万元/);
  });

  it('an unknown unit is refused on amountUnit alone', () => {
    expect(errors({ amount: '1.0000001', amountUnit: '万元' })).toEqual([['amountUnit', ['isIn']]]);
  });
});
