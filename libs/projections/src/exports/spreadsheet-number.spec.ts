import { exactCellNumber, percentToFraction, significantDigits } from './spreadsheet-number';

describe('numbers in spreadsheet cells', () => {
  it('counts significant digits without leading or trailing zeros', () => {
    expect(significantDigits('167191600.00')).toBe(7);
    expect(significantDigits('0.0125')).toBe(3);
    expect(significantDigits('-9999999999999.99')).toBe(15);
    expect(significantDigits('10000000000000.00')).toBe(1);
    expect(significantDigits('0.00')).toBe(0);
  });

  it('moves the decimal point of a percent two places, in the text', () => {
    expect(percentToFraction('73.65')).toBe('0.7365');
    expect(percentToFraction('100.00')).toBe('1.0000');
    expect(percentToFraction('250')).toBe('2.50');
    expect(percentToFraction('0.05')).toBe('0.0005');
    expect(percentToFraction('5.10')).toBe('0.0510');
    expect(percentToFraction('-12.5')).toBe('-0.125');
    expect(percentToFraction('12345.67')).toBe('123.4567');
  });

  it('every amount up to 10^13 yuan reads back from its cell digit for digit', () => {
    // The largest amount a command accepts, the largest with 15 significant digits, and a spread of cents.
    const samples = ['10000000000000.00', '9999999999999.99', '1234567890123.45', '0.01', '0.10', '167191600.00', '447408400.37'];
    for (let cents = 0; cents < 100; cents += 1) samples.push(`8765432109876.${String(cents).padStart(2, '0')}`);
    for (const text of samples) {
      const cell = exactCellNumber(text);
      expect(cell).toBeDefined();
      // What a spreadsheet program shows: 15 significant digits of the stored double.
      const shown = Number(cell!.toPrecision(15));
      expect(shown.toFixed(2)).toBe(text);
      // What the file holds: the shortest decimal of the double, the same number as the text.
      expect(Number(String(cell)).toFixed(2)).toBe(text);
    }
  });

  it('refuses a number it cannot keep exactly', () => {
    expect(exactCellNumber('12345678901234.56')).toBeUndefined();
    expect(exactCellNumber('123456789012345.6')).toBeUndefined();
  });
});
