import {
  basePerUnit,
  compareRatios,
  divideRatio,
  formatDecimal,
  formatYuan,
  groupThousands,
  parseStatedValue,
  ratioDecimal,
  roundRatio,
  statedInBase,
  statedUnitKind,
  statedUnitSuffix,
  subtractRatios,
  truncateRatio,
  type Ratio,
  type RatioBounds,
  type StatedUnit,
  type StatedValue,
} from '@fundtrail/money';
import type { FigureUnit } from '../figures';

/**
 * A published figure held against the figure the log gives. Every comparison is exact: the
 * recomputed value is a fraction, rounded once half-up to the decimals the report prints.
 * - `match`: the recomputed value, rounded to the printed decimals in the stated unit, is the stated one;
 * - `within-printed-precision`: it is not, but some value the figure can take when every printed input
 *   amount moves within half its last digit rounds to the stated one (the interval, rounded at the
 *   printed decimals, holds the stated value);
 * - `mismatch`: neither; `reason: 'truncated'` when cutting the recomputed value instead of rounding
 *   it gives the stated one;
 * - `not-derivable` and `not-keyed` are the caller's to decide (a fact is missing; no figure key).
 * The first of match, within-printed-precision, mismatch that holds is the answer.
 */

export type StatedFigureStatus = 'match' | 'within-printed-precision' | 'mismatch' | 'not-derivable' | 'not-keyed';

/** What the chain recomputed: a figure with a value (see figureInterval), in its unit's base. */
export interface Recomputed {
  unit: FigureUnit;
  /** Fen for 'yuan', percentage points for 'percent', the indicator's unit for 'quantity'. */
  value: Ratio;
  range: RatioBounds | 'unbounded';
}

/** Where the recomputed value can lie, in the stated unit (decimal strings, see `recomputed`). */
export type StatedRange = { lower: string; upper: string } | 'unbounded';

interface Derived {
  /** In the stated unit, exact when its decimals end, else rounded half-up to NON_TERMINATING_DECIMALS. */
  recomputed: string;
  /** Money only: the recomputed amount in yuan. */
  recomputedYuan?: string;
  range: StatedRange;
  arithmetic: string;
}

export type StatedFigureCheck =
  | ({ status: 'match' } & Derived)
  | ({ status: 'within-printed-precision' } & Derived)
  | ({ status: 'mismatch'; difference: string; reason?: 'truncated' } & Derived)
  | { status: 'not-derivable'; recomputed: null; reason: string; arithmetic: string }
  | { status: 'not-keyed'; recomputed: null; arithmetic: string };

/** A stated unit fits a figure's unit: money amounts in 元 / 万元 / 亿元, rates in percent, quantities in any other. */
export function statedUnitFits(figure: FigureUnit, unit: StatedUnit): boolean {
  const kind = statedUnitKind(unit);
  switch (figure) {
    case 'yuan':
      return kind === 'money';
    case 'percent':
      return kind === 'percent';
    case 'quantity':
      return kind === 'count' || kind === 'quantity';
    default: {
      const _exhaustive: never = figure;
      return _exhaustive;
    }
  }
}

export class StatedUnitMismatchError extends Error {
  constructor(figure: FigureUnit, unit: StatedUnit) {
    super(`a ${figure} figure cannot be stated in ${unit}`);
    this.name = 'StatedUnitMismatchError';
  }
}

/** Classifies a stated figure ("74.25" percent) against what the chain recomputed. */
export function checkStatedFigure(statedText: string, unit: StatedUnit, recomputed: Recomputed): StatedFigureCheck {
  const stated = parseStatedValue(statedText, unit);
  if (!statedUnitFits(recomputed.unit, stated.unit)) throw new StatedUnitMismatchError(recomputed.unit, stated.unit);
  const perUnit = basePerUnit(stated.unit);
  const inUnit = (value: Ratio) => divideRatio(value, perUnit);
  const value = inUnit(recomputed.value);
  const range = recomputed.range === 'unbounded' ? 'unbounded' : { lower: inUnit(recomputed.range.lower), upper: inUnit(recomputed.range.upper) };
  const show = displayIn(stated);
  const derived = {
    recomputed: ratioDecimal(value).text,
    ...(stated.kind === 'money' && { recomputedYuan: yuanText(recomputed.value) }),
    range:
      range === 'unbounded' ? ('unbounded' as const) : { lower: ratioDecimal(range.lower, 'floor').text, upper: ratioDecimal(range.upper, 'ceiling').text },
  };
  const rounded = roundRatio(value, stated.decimals);
  const roundedText = `${show.atPrinted(value)} at the ${show.places} (half-up)`;
  const lead = `recomputed ${show.full(value)} → ${roundedText}`;
  if (rounded === stated.units) {
    return { status: 'match', ...derived, arithmetic: `${lead} = stated ${show.stated}` };
  }
  const within =
    range === 'unbounded'
      ? 'a rate over an amount that may be zero within printed precision can take any value'
      : compareRatios(range.lower, range.upper) === 0
        ? 'no input amount was printed in 万元 or 亿元, so the recomputed value is exact'
        : `with every printed input ± half its last digit it lies in ${show.range(range.lower, range.upper)}, ` +
          `which rounds to [${show.atPrinted(range.lower)}, ${show.atPrinted(range.upper)}]`;
  const holds = range === 'unbounded' || (roundRatio(range.lower, stated.decimals) <= stated.units && stated.units <= roundRatio(range.upper, stated.decimals));
  if (holds) {
    return {
      status: 'within-printed-precision',
      ...derived,
      arithmetic: `${lead} ≠ stated ${show.stated}; ${within} and holds ${show.stated}`,
    };
  }
  const difference = subtractRatios(inUnit(statedInBase(stated)), value);
  const truncated = truncateRatio(value, stated.decimals) === stated.units;
  return {
    status: 'mismatch',
    ...derived,
    difference: ratioDecimal(difference).text,
    ...(truncated && { reason: 'truncated' as const }),
    arithmetic:
      `${lead} ≠ stated ${show.stated}; ${within}, without ${show.stated}; ` +
      `stated − recomputed = ${show.full(difference)}` +
      (truncated ? `; cut instead of rounded, the recomputed value gives ${show.stated}: the report truncated` : ''),
  };
}

/** A stated figure no fact of the log can give: `reason` names what is missing (never back-solved from a rate). */
export function notDerivable(reason: string, arithmetic?: string): StatedFigureCheck {
  return { status: 'not-derivable', recomputed: null, reason, arithmetic: arithmetic ?? `not derivable: ${reason}` };
}

/** A printed figure no figure key expresses: it is kept with its citation, never checked against the log. */
export function notKeyed(): StatedFigureCheck {
  return { status: 'not-keyed', recomputed: null, arithmetic: 'no figure key expresses this printed figure' };
}

function yuanText(fen: Ratio): string {
  return fen.denominator === 1n ? formatYuan(fen.numerator) : ratioDecimal(divideRatio(fen, 100n)).text;
}

/** How values read in the arithmetic: grouped, with the unit; "…" where the digits go on. */
export function displayIn(stated: StatedValue) {
  const suffix = statedUnitSuffix(stated.unit);
  const unitText = suffix === '' ? '' : suffix === '%' ? '%' : ` ${suffix}`;
  return {
    stated: `${stated.text}${unitText}`,
    places: `${stated.decimals} printed decimal${stated.decimals === 1 ? '' : 's'}`,
    full: (value: Ratio, rounding: 'half-up' | 'floor' | 'ceiling' = 'half-up') => {
      const { text, exact } = ratioDecimal(value, rounding);
      return `${groupThousands(text)}${exact ? '' : '…'}${unitText}`;
    },
    /** A closed range, its ends cut outward where their digits go on. */
    range(lower: Ratio, upper: Ratio): string {
      return `[${this.full(lower, 'floor')}, ${this.full(upper, 'ceiling')}]`;
    },
    atPrinted: (value: Ratio) => groupThousands(formatDecimal(roundRatio(value, stated.decimals), stated.decimals)),
  };
}
