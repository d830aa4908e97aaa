import { compareFigureValues, FigureConditionError, parseFigureCondition, passes } from './figure-condition';

describe('figure conditions (filter=<key><op><number>)', () => {
  it('reads the two-character operators before the one-character ones', () => {
    expect(parseFigureCondition('execution_rate<=60')).toEqual({ key: 'execution_rate', operator: '<=', value: '60' });
    expect(parseFigureCondition('available_balance>=-0.01')).toEqual({ key: 'available_balance', operator: '>=', value: '-0.01' });
    expect(parseFigureCondition('received_by_source:special-bond>1000')).toEqual({ key: 'received_by_source:special-bond', operator: '>', value: '1000' });
  });

  it.each([
    'execution_rate',
    'execution_rate<',
    'execution_rate<<60',
    'execution_rate=<60',
    'execution_rate!=60',
    'nope<1',
    'execution_rate<1e3',
    'execution_rate<+1',
    'execution_rate<.5',
    '<60',
  ])('refuses %s', (text) => {
    expect(() => parseFigureCondition(text)).toThrow(FigureConditionError);
  });

  it("compares exactly, in the figure's unit, whatever the number of decimals", () => {
    const at = (op: string, value: string) => parseFigureCondition(`execution_rate${op}${value}`);
    expect(passes('59.99', at('<', '60'))).toBe(true);
    expect(passes('60.00', at('<', '60'))).toBe(false);
    expect(passes('60.00', at('<=', '60'))).toBe(true);
    expect(passes('60.00', at('=', '60.0000'))).toBe(true);
    expect(passes('0.1', at('>', '0.099999'))).toBe(true);
    expect(passes('-5.00', at('<', '0'))).toBe(true);
  });

  it('a figure without a value never passes, whatever the operator', () => {
    for (const op of ['<', '<=', '>', '>=', '=']) expect(passes(null, parseFigureCondition(`arrival_rate${op}0`))).toBe(false);
    expect(passes(undefined, parseFigureCondition('arrival_rate>=0'))).toBe(false);
  });

  it('sorts a missing value last in both orders', () => {
    const values = ['10.00', null, '2.50', '-1.00', undefined, '100.00'];
    expect([...values].sort((a, b) => compareFigureValues(a, b, 'asc'))).toEqual(['-1.00', '2.50', '10.00', '100.00', null, undefined]);
    expect([...values].sort((a, b) => compareFigureValues(a, b, 'desc'))).toEqual(['100.00', '10.00', '2.50', '-1.00', null, undefined]);
  });
});
