/**
 * Fixed-point decimals on bigint: a value is an integer count of 10^-scale units.
 * Parsing accepts only strict, canonical-looking decimal strings: ASCII digits, an optional
 * leading '-', an optional fraction with at least one digit. No exponent, no spaces, no '+',
 * no redundant leading zeros ("007.00"), no ".5" / "5." forms, no unicode digits, and
 * thousands separators only where a caller allows them and only in correct groups of three.
 * Nothing here ever passes through a JS number.
 */

export type DecimalErrorReason = 'not-a-string' | 'empty' | 'malformed' | 'too-many-decimals' | 'negative' | 'zero' | 'too-large';

export class DecimalFormatError extends Error {
  constructor(
    readonly reason: DecimalErrorReason,
    readonly input: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'DecimalFormatError';
  }
}

export interface DecimalRules {
  /** Number of decimal places the unit can hold (2 for fen, 4 for quantities). */
  scale: number;
  /** Inclusive upper bound on the absolute value, in units of 10^-scale. */
  max: bigint;
  allowNegative?: boolean;
  allowZero?: boolean;
  /** Accept thousands separators ("111,969.90"), as printed in reports. */
  allowGrouping?: boolean;
}

// Integer part: "0" alone, or a non-zero digit followed by digits (no redundant leading zeros).
// `\d` without the `u` flag, and `[0-9]` anyway, only ever match ASCII digits.
const PLAIN = /^(-)?(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
// Grouped: first group 1-3 digits without a leading zero, then ",ddd" groups; or ungrouped.
const GROUPED = /^(-)?(0|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** Best-effort explanation of why a string is malformed, for the error message only. */
function malformedMessage(input: string, rules: DecimalRules): string {
  if (input.startsWith('+')) return "must not have a leading '+'";
  if (/^-?0[0-9,]/.test(input)) return 'must not have redundant leading zeros';
  if (/\s/.test(input)) return 'must not contain spaces';
  if (/[eE]/.test(input)) return 'must not use exponent notation';
  if (input.includes(',')) {
    return rules.allowGrouping ? 'thousands separators must group exactly three digits ("111,969.90")' : 'must not contain thousands separators';
  }
  return 'must be a plain decimal number such as "1234.56"';
}

function checkScale(scale: number): void {
  if (!Number.isSafeInteger(scale) || scale < 0) throw new RangeError(`scale must be a non-negative integer, got ${scale}`);
}

function assertBigInt(value: unknown, name: string): asserts value is bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${name} must be a bigint, got ${typeof value}`);
}

export function parseDecimal(input: unknown, rules: DecimalRules): bigint {
  checkScale(rules.scale);
  assertBigInt(rules.max, 'max');
  if (rules.max < 0n) throw new RangeError('max must not be negative');
  if (typeof input !== 'string') {
    throw new DecimalFormatError('not-a-string', input, 'must be a decimal string, e.g. "100.00"');
  }
  if (input.length === 0) throw new DecimalFormatError('empty', input, 'must not be empty');
  // Both patterns are linear (no nested ambiguous repetition), so any input length is safe here.
  const match = (rules.allowGrouping ? GROUPED : PLAIN).exec(input);
  if (!match) throw new DecimalFormatError('malformed', input, malformedMessage(input, rules));
  const [, sign, groupedInt, fracPart = ''] = match;
  if (fracPart.length > rules.scale) {
    throw new DecimalFormatError('too-many-decimals', input, `must have at most ${rules.scale} decimal places`);
  }
  const negative = sign === '-';
  if (negative && !rules.allowNegative) throw new DecimalFormatError('negative', input, 'must not be negative');
  const intPart = groupedInt.replace(/,/g, '');
  const tooLarge = () => new DecimalFormatError('too-large', input, `must be at most ${formatDecimal(rules.max, rules.scale)}`);
  // The integer part has no leading zeros, so more digits than the bound's integer part means
  // too large: refuse before handing a possibly huge digit string to BigInt.
  const maxIntDigits = (rules.max / 10n ** BigInt(rules.scale)).toString().length;
  if (intPart.length > maxIntDigits) throw tooLarge();
  const magnitude = BigInt(intPart + fracPart.padEnd(rules.scale, '0'));
  if (magnitude === 0n) {
    if (!rules.allowZero) throw new DecimalFormatError('zero', input, 'must be greater than zero');
    if (negative) throw new DecimalFormatError('malformed', input, 'must not be negative zero');
  }
  if (magnitude > rules.max) throw tooLarge();
  return negative ? -magnitude : magnitude;
}

/** Exact text of a fixed-point value, always with `scale` decimals ("-12.50"). */
export function formatDecimal(value: bigint, scale: number): string {
  assertBigInt(value, 'value');
  checkScale(scale);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const intPart = digits.slice(0, digits.length - scale);
  const fracPart = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${intPart}${scale > 0 ? `.${fracPart}` : ''}`;
}

/** Like formatDecimal, without trailing fractional zeros ("12.5", "7"). */
export function formatDecimalTrimmed(value: bigint, scale: number): string {
  const text = formatDecimal(value, scale);
  return scale === 0 ? text : text.replace(/\.?0+$/, '');
}

/**
 * numerator / denominator, rounded once, half away from zero ("half-up" on the magnitude),
 * to `scale` decimal places, returned as units of 10^-scale.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint, scale: number): bigint {
  assertBigInt(numerator, 'numerator');
  assertBigInt(denominator, 'denominator');
  checkScale(scale);
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = (numerator < 0n ? -numerator : numerator) * 10n ** BigInt(scale);
  const d = denominator < 0n ? -denominator : denominator;
  // Half-up: compare twice the remainder with the divisor, so odd divisors are exact too.
  const truncated = n / d;
  const rounded = (n % d) * 2n >= d ? truncated + 1n : truncated;
  return negative ? -rounded : rounded;
}

/** Adds thousands separators to the integer part of a decimal string ("-1234.5" -> "-1,234.5"). */
export function groupThousands(text: string): string {
  const [intPart, fracPart] = text.split('.');
  const sign = intPart.startsWith('-') ? '-' : '';
  const grouped = intPart.slice(sign.length).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fracPart === undefined ? '' : `.${fracPart}`}`;
}
