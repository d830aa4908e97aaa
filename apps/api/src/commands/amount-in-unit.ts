import { type AmountUnit, type Fen, parseAmount, precisionToKeep, type PrintedPrecision } from '@fundtrail/money';

/** An amount as a command carries it: fen, and the precision it was printed at when typed in 万元 or 亿元. */
export type AmountInUnit = { fen: Fen; printed?: PrintedPrecision };

/** A validated amount typed in `unit` (default yuan), converted exactly. */
export function amountIn(value: string, unit: AmountUnit | undefined): AmountInUnit {
  const { fen, printed } = parseAmount(value, unit ?? 'yuan');
  const kept = precisionToKeep(printed);
  return kept === undefined ? { fen } : { fen, printed: kept };
}
