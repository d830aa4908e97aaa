import { formatDecimalTrimmed, parseDecimal } from './decimal';

/** Output quantities (targets, actuals) are decimals with at most 4 places, held as 10^-4 units. */
export const QUANTITY_SCALE = 4;
/** Largest quantity accepted: 10^15, in 10^-4 units. */
export const MAX_QUANTITY = 10n ** 15n * 10n ** BigInt(QUANTITY_SCALE);

/** "1986", "2.865" -> 10^-4 units. Never negative; zero allowed unless `allowZero: false`. */
export function parseQuantity(input: unknown, options?: { allowZero?: boolean }): bigint {
  const allowZero = options?.allowZero !== false;
  return parseDecimal(input, { scale: QUANTITY_SCALE, max: MAX_QUANTITY, allowZero });
}

/** 10^-4 units -> "2.865", "1986" (exact, trailing zeros trimmed). */
export function formatQuantity(units: bigint): string {
  return formatDecimalTrimmed(units, QUANTITY_SCALE);
}
