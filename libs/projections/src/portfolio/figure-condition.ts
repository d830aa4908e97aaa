import { DecimalFormatError, parseDecimal } from '@fundtrail/money';
import { parseFigureKey } from '../figures';

export const FIGURE_OPERATORS = ['<=', '>=', '<', '>', '='] as const;
export type FigureOperator = (typeof FIGURE_OPERATORS)[number];

/** `execution_rate<60`: a figure, an operator, a number in the figure's own unit (yuan, percent, quantity). */
export interface FigureCondition {
  key: string;
  operator: FigureOperator;
  value: string;
}

/** Text that is not a condition; the message says which part is wrong. */
export class FigureConditionError extends Error {}

// Two-character operators first, so "<=" is not read as "<" followed by "=60".
const CONDITION = /^([a-z_]+(?::[a-z0-9][a-z0-9-]{0,63})?)(<=|>=|<|>|=)(.*)$/;

/** Enough decimals for every figure value: yuan 2, percent 2, quantities 4. */
const SCALE = 6;
const comparable = (value: string): bigint => parseDecimal(value, { scale: SCALE, max: 10n ** 30n, allowNegative: true, allowZero: true });

/** A figure key that names a figure (fixed, or a family with its parameter). */
export function isFigureKey(key: string): boolean {
  return parseFigureKey(key) !== undefined && /^[a-z_]+(?::[a-z0-9][a-z0-9-]{0,63})?$/.test(key);
}

export function parseFigureCondition(text: string): FigureCondition {
  const match = CONDITION.exec(text);
  if (!match) throw new FigureConditionError(`"${text}" is not <figure key><op><number> with op one of ${FIGURE_OPERATORS.join(' ')}`);
  const [, key, operator, value] = match;
  if (!isFigureKey(key)) throw new FigureConditionError(`"${key}" is not a figure key`);
  try {
    comparable(value);
  } catch (error) {
    if (error instanceof DecimalFormatError) throw new FigureConditionError(`the value "${value}" ${error.message}`);
    throw error;
  }
  return { key, operator: operator as FigureOperator, value };
}

/** Whether a figure's value passes; a figure without a value never does. */
export function passes(value: string | null | undefined, condition: FigureCondition): boolean {
  if (value === null || value === undefined) return false;
  const difference = comparable(value) - comparable(condition.value);
  switch (condition.operator) {
    case '<':
      return difference < 0n;
    case '<=':
      return difference <= 0n;
    case '>':
      return difference > 0n;
    case '>=':
      return difference >= 0n;
    case '=':
      return difference === 0n;
    default: {
      const _exhaustive: never = condition.operator;
      return _exhaustive;
    }
  }
}

/** Orders figure values; a missing value comes last whichever the order. */
export function compareFigureValues(a: string | null | undefined, b: string | null | undefined, order: 'asc' | 'desc'): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const difference = comparable(a) - comparable(b);
  const sign = difference === 0n ? 0 : difference < 0n ? -1 : 1;
  return order === 'asc' ? sign : -sign;
}
