/**
 * A spreadsheet cell holds an IEEE-754 double, and spreadsheet programs show at most 15
 * significant digits. Every decimal of at most 15 significant digits survives the trip
 * decimal → nearest double → shortest decimal unchanged (DBL_DIG = 15), so such a value is exact in
 * a cell: the file holds its digits and the program shows them. Longer ones are not, and are
 * written as text instead of a number that would be wrong in its last digits.
 */
export const EXACT_SIGNIFICANT_DIGITS = 15;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Significant digits of a plain decimal string ("167191600.00" has 7). */
export function significantDigits(decimal: string): number {
  const match = DECIMAL.exec(decimal);
  if (!match) throw new RangeError(`not a decimal: ${decimal}`);
  const digits = `${match[2]}${match[3] ?? ''}`.replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

/**
 * The number a cell should hold for `decimal`, parsed from the string (JavaScript's parse is
 * correctly rounded), never computed from fen or percent with floating-point arithmetic; undefined
 * when the decimal has more significant digits than a cell keeps exactly.
 */
export function exactCellNumber(decimal: string): number | undefined {
  if (significantDigits(decimal) > EXACT_SIGNIFICANT_DIGITS) return undefined;
  return Number(decimal);
}

/**
 * A percent string as the fraction a percentage-formatted cell holds, by moving the decimal point
 * in the text ("73.65" → "0.7365", "250" → "2.50"): no division, so nothing is rounded.
 */
export function percentToFraction(percent: string): string {
  const match = DECIMAL.exec(percent);
  if (!match) throw new RangeError(`not a decimal: ${percent}`);
  const [, sign, whole, fraction = ''] = match;
  const padded = whole.padStart(3, '0');
  const newWhole = padded.slice(0, -2).replace(/^0+(?=\d)/, '');
  return `${sign}${newWhole}.${padded.slice(-2)}${fraction}`;
}
