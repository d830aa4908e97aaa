import {
  addRatios,
  compareRatios,
  basePerUnit,
  divideRatio,
  parseStatedValue,
  ratio,
  ratioDecimal,
  roundRatio,
  sameDimension,
  statedHalfStep,
  statedInBase,
  subtractRatios,
  type Ratio,
  type StatedUnit,
} from '@fundtrail/money';
import { displayIn } from './stated-figure-check';

/**
 * A stated total held against the sum of the parts the same report states: a report can disagree
 * with itself. Each part is known only to half a unit of its own last printed digit (a count and money
 * printed to the fen exactly), so the rule is the one for a recomputed figure:
 * - `adds-up`: the sum of the parts as printed, rounded half-up to the total's printed decimals, is the total;
 * - `within-printed-precision`: it is not, but the interval of the sum (each part ± half its last digit),
 *   rounded at the total's decimals, holds the total;
 * - `does-not-add-up`: neither; `difference` = total − sum of the parts, in the total's unit.
 */

export type StatedSumStatus = 'adds-up' | 'within-printed-precision' | 'does-not-add-up';

export interface StatedSumCheck {
  status: StatedSumStatus;
  /** The parts as printed, summed exactly, in the total's unit. */
  sumOfParts: string;
  /** The sum when every part moves within half its last digit, in the total's unit. */
  range: { lower: string; upper: string };
  /** total − sum of the parts, in the total's unit; only when it does not add up. */
  difference?: string;
  arithmetic: string;
}

/** A stated value as printed, with its unit. */
export interface PrintedFigure {
  stated: string;
  unit: StatedUnit;
}

export class StatedSumUnitError extends Error {
  constructor(total: StatedUnit, part: StatedUnit) {
    super(`a part in ${part} cannot be added to a total in ${total}`);
    this.name = 'StatedSumUnitError';
  }
}

export function checkStatedSum(total: PrintedFigure, parts: readonly PrintedFigure[]): StatedSumCheck {
  const whole = parseStatedValue(total.stated, total.unit);
  const values = parts.map((part) => parseStatedValue(part.stated, part.unit));
  const misfit = values.find((part) => !sameDimension(whole.unit, part.unit));
  if (misfit !== undefined) throw new StatedSumUnitError(whole.unit, misfit.unit);
  const perUnit = basePerUnit(whole.unit);
  const inUnit = (value: Ratio) => divideRatio(value, perUnit);
  const sum = (pick: (part: (typeof values)[number]) => Ratio) => inUnit(values.map(pick).reduce(addRatios, ratio(0n, 1n)));
  const exact = sum(statedInBase);
  const lower = sum((part) => subtractRatios(statedInBase(part), statedHalfStep(part)));
  const upper = sum((part) => addRatios(statedInBase(part), statedHalfStep(part)));
  const show = displayIn(whole);
  const range = { lower: ratioDecimal(lower, 'floor').text, upper: ratioDecimal(upper, 'ceiling').text };
  // A part in another money unit than the total shows its own unit.
  const partsText = values.map((part) => (part.unit === whole.unit ? part.text : displayIn(part).stated));
  const lead = `${partsText.join(' + ')} = ${show.full(exact)}`;
  if (roundRatio(exact, whole.decimals) === whole.units) {
    return {
      status: 'adds-up',
      sumOfParts: ratioDecimal(exact).text,
      range,
      arithmetic: `${lead}; stated ${show.stated}`,
    };
  }
  const within =
    compareRatios(lower, upper) === 0
      ? 'the parts are exact (counted, or money printed to the fen)'
      : `each part ± half its last printed digit gives ${show.range(lower, upper)}, ` +
        `which rounds to [${show.atPrinted(lower)}, ${show.atPrinted(upper)}] at the ${show.places}`;
  const head = `${lead} → ${show.atPrinted(exact)} at the ${show.places} ≠ stated ${show.stated}`;
  if (roundRatio(lower, whole.decimals) <= whole.units && whole.units <= roundRatio(upper, whole.decimals)) {
    return {
      status: 'within-printed-precision',
      sumOfParts: ratioDecimal(exact).text,
      range,
      arithmetic: `${head}; ${within} and holds ${show.stated}`,
    };
  }
  const difference = subtractRatios(inUnit(statedInBase(whole)), exact);
  return {
    status: 'does-not-add-up',
    sumOfParts: ratioDecimal(exact).text,
    range,
    difference: ratioDecimal(difference).text,
    arithmetic: `${head}; ${within}, without ${show.stated}; stated − sum = ${show.full(difference)}`,
  };
}
