import { DecimalFormatError, divideRoundHalfUp, formatDecimal, formatDecimalTrimmed, groupThousands, parseDecimal } from './decimal';

/** Money is an integer number of fen (分), 1 yuan = 100 fen. */
export type Fen = bigint;

export const FEN_PER_YUAN = 100n;
/** 万元: the unit of Chinese budget reports, 10,000 yuan. */
export const FEN_PER_WAN = 1_000_000n;
/** Largest amount accepted from outside: 10^13 yuan. */
export const MAX_YUAN_FEN: Fen = 10n ** 13n * FEN_PER_YUAN;

/** Decimal places of a 万元 amount that are still exact to the fen (1 fen = 0.000001 万元). */
const WAN_SCALE = 6;

export { DecimalFormatError as MoneyFormatError };

export interface AmountRules {
  allowZero?: boolean;
  allowNegative?: boolean;
}

/**
 * Only the two documented switches are taken from the caller: a stray `scale`, `max` or
 * `allowGrouping` key in a runtime object must not loosen the rules of the edge.
 */
function amountRules(rules: AmountRules | undefined): AmountRules {
  return { allowZero: rules?.allowZero === true, allowNegative: rules?.allowNegative === true };
}

/**
 * "167191600.00" (yuan, at most 2 decimals, positive by default) -> fen.
 * Strict: no grouping, no '+', no redundant leading zeros, at most 10^13 yuan.
 */
export function parseYuan(input: unknown, rules?: AmountRules): Fen {
  return parseDecimal(input, { scale: 2, max: MAX_YUAN_FEN, ...amountRules(rules) });
}

/** fen -> "167191600.00": the canonical JSON form of an amount. */
export function formatYuan(fen: Fen): string {
  return formatDecimal(fen, 2);
}

/**
 * "111,969.90" 万元 as printed in a report -> fen. Thousands separators are accepted only in
 * correct groups of three; at most 6 decimals (exact to the fen); at most 10^13 yuan.
 */
export function parseWan(input: unknown, rules?: AmountRules): Fen {
  return parseDecimal(input, { scale: WAN_SCALE, max: MAX_YUAN_FEN, allowGrouping: true, ...amountRules(rules) });
}

/** fen -> 万元, exact and without trailing zeros ("111969.9"), never rounded. */
export function formatWanExact(fen: Fen): string {
  return formatDecimalTrimmed(fen, WAN_SCALE);
}

/** fen -> 万元 for display, grouped, with `decimals` places (0-6) rounded once, half-up ("111,969.90"). */
export function formatWanDisplay(fen: Fen, decimals = 2): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > WAN_SCALE) {
    throw new RangeError(`decimals must be an integer from 0 to ${WAN_SCALE}, got ${decimals}`);
  }
  const rounded = divideRoundHalfUp(fen, 10n ** BigInt(WAN_SCALE - decimals), 0);
  return groupThousands(formatDecimal(rounded, decimals));
}

/** fen -> "167,191,600.00" display text (grouped, exact). */
export function formatYuanDisplay(fen: Fen): string {
  return groupThousands(formatYuan(fen));
}

export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0n;
  for (const value of values) {
    if (typeof value !== 'bigint') throw new TypeError(`sumFen: every value must be a bigint, got ${typeof value}`);
    total += value;
  }
  return total;
}
