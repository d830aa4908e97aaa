import { fitsPrinted, formatYuan, type Fen, type PrintedPrecision } from '@fundtrail/money';

/**
 * The printed precision an event keeps beside an amount. One that does not fit the amount (more
 * digits than it claims) is a bug at the edge that made the command, not bad input.
 */
export function printedFor(amount: Fen, printed: PrintedPrecision | undefined): PrintedPrecision | undefined {
  if (printed === undefined) return undefined;
  if (!fitsPrinted(amount, printed)) {
    throw new RangeError(`${formatYuan(amount)} yuan has more digits than its printed precision ${JSON.stringify(printed)}`);
  }
  return { unit: printed.unit, decimals: printed.decimals };
}
