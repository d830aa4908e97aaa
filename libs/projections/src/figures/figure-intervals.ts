import type { ProgrammeEventType, ProjectEventType } from '@fundtrail/funding';
import {
  formatYuan,
  isPrintedPrecision,
  parseYuan,
  printedInterval,
  QUANTITY_SCALE,
  ratio,
  ratioBounds,
  scaleRatio,
  type FenInterval,
  type Ratio,
  type RatioBounds,
} from '@fundtrail/money';
import { computeFigure, definitionIn, knownTerms } from './compute-figures';
import { contributionsOf, FigureEventDataError, type Contribution, type EventLike } from './contributions';
import { figureDefinition, type FigureUnit, type TermSource } from './figure-definitions';
import { foldContributions, mergeTerms, resolveTerm, termSources, type FigureTerms } from './figure-terms';

/**
 * Where a figure can lie when every amount typed in 万元 / 亿元 is known only to half a unit of its
 * last printed digit (its `printed` precision), computed with the figure chain itself.
 *
 * Each event's contributions are read with contributionsOf three times: as recorded, with its printed
 * amount at the low end of its interval and at the high end. A contribution is linear in that amount,
 * so its bounds are the smaller and the larger of the two readings (a reversal's −amount takes its
 * lower bound from the amount's upper end). The three lists are folded by foldContributions, merged by
 * mergeTerms and read by resolveTerm and knownTerms, exactly as the figures are: an interval never has
 * a formula of its own.
 *
 * Folding bounds term by term is exact because the printed amounts are independent:
 * - each printed amount is stated by one event; an event that later undoes it (a reversal) or replaces
 *   it (an amendment's previousAmount) repeats it exactly and cancels it in every term it moved, so a
 *   cancelled amount is held at its recorded value: the pair is exactly zero, whatever the truth was;
 * - a 'set' term keeps the latest statement, so it takes that event's interval;
 * - a rate reads its two terms from events of different kinds (disbursed over received, receipts over
 *   planned total, approved over received …), so its bounds lie at the corners of two independent
 *   intervals (ratioBounds). `moveTogether` records every pair of terms one printed amount moves; a
 *   rate whose two terms were ever moved together is refused rather than bounded wrongly.
 */

/** The chain's terms as recorded, and every term at its lowest and highest within printed precision. */
export interface IntervalTerms {
  readonly recorded: FigureTerms;
  readonly lower: FigureTerms;
  readonly upper: FigureTerms;
  /** "key.term|key.term" for every two terms one printed amount moves (sorted, so each pair once). */
  readonly moveTogether: ReadonlySet<string>;
}

/** A term as recorded and its bounds, in the term's units (fen, or 10^-4 of a quantity). */
export interface TermInterval {
  readonly value: bigint;
  readonly lower: bigint;
  readonly upper: bigint;
}

/**
 * A figure and where it can lie. `value` and `range` are exact fractions in the figure's unit: fen
 * for 'yuan', percentage points for 'percent', the indicator's own unit for 'quantity'. `range` is
 * 'unbounded' when a rate's denominator could be zero within printed precision.
 */
export type FigureInterval =
  | {
      key: string;
      unit: FigureUnit;
      value: Ratio;
      range: RatioBounds | 'unbounded';
      numerator: TermInterval;
      denominator?: TermInterval;
    }
  | {
      key: string;
      unit: FigureUnit;
      value: null;
      reason: string;
      numerator?: TermInterval;
      denominator?: TermInterval;
    };

/** Thrown when a rate's two terms share a printed amount: its bounds are not at independent corners. */
export class SharedInputError extends Error {
  constructor(readonly key: string) {
    super(`${key}: one printed amount moves both terms of the rate, so corner bounds would not hold`);
    this.name = 'SharedInputError';
  }
}

/** The field an event's `printed` describes, and what a later correction that cancels it names. */
interface AmountRole {
  printedField?: 'amount' | 'plannedTotal';
  /** The thing whose current amount this event states (a later event may cancel it). */
  states?: (data: Record<string, unknown>) => string;
  /** The thing whose current amount this event repeats exactly and takes back. */
  cancels?: (data: Record<string, unknown>) => string;
}

const named =
  (kind: string, field: string) =>
  (data: Record<string, unknown>): string =>
    `${kind}:${String(data[field])}`;
const allocation = named('allocation', 'allocationId');
const receipt = named('receipt', 'receiptId');
const contract = named('contract', 'contractId');
const approval = named('approval', 'approvalId');
const disbursement = named('disbursement', 'disbursementId');

/** Keyed by every project and programme event type: a new one does not compile until it is listed here. */
const AMOUNT_ROLES: { readonly [T in ProjectEventType | ProgrammeEventType]: AmountRole } = {
  ProjectRegistered: { printedField: 'plannedTotal' },
  ProjectProgrammeChanged: {},
  ProgrammeRegistered: {},
  // Planned totals and investment completed are 'set' terms: a later one replaces, nothing cancels.
  PlannedTotalRevised: { printedField: 'amount' },
  FundsAllocated: { printedField: 'amount', states: allocation },
  AllocationReversed: { cancels: allocation },
  FundsReceived: { printedField: 'amount', states: receipt },
  ReceiptReversed: { cancels: receipt },
  ContractSigned: { printedField: 'amount', states: contract },
  // amount − previousAmount: the previous amount is taken back exactly, the new one is printed.
  ContractAmended: { printedField: 'amount', states: contract, cancels: contract },
  PaymentApproved: { printedField: 'amount', states: approval },
  PaymentApprovalReversed: { cancels: approval },
  DisbursementRecorded: { printedField: 'amount', states: disbursement },
  DisbursementReversed: { cancels: disbursement },
  InvestmentCompletedReported: { printedField: 'amount' },
  OutputTargetSet: {},
  OutputReported: {},
  OutputTargetRevised: {},
  IndicatorWithdrawn: {},
};

function roleOf(type: string): AmountRole {
  return Object.hasOwn(AMOUNT_ROLES, type) ? AMOUNT_ROLES[type as keyof typeof AMOUNT_ROLES] : {};
}

/** Indexes of the events whose amount a later event in the list takes back exactly. */
export function cancelledAmounts(events: readonly EventLike[]): ReadonlySet<number> {
  const standing = new Map<string, number>();
  const cancelled = new Set<number>();
  events.forEach((event, index) => {
    const role = roleOf(event.type);
    if (role.cancels !== undefined) {
      const thing = role.cancels(event.data);
      const at = standing.get(thing);
      if (at !== undefined) cancelled.add(at);
      standing.delete(thing);
    }
    if (role.states !== undefined) standing.set(role.states(event.data), index);
  });
  return cancelled;
}

/** The interval of the amount an event's `printed` describes; undefined when it is exact. */
function printedAmount(event: EventLike): { field: string; range: FenInterval } | undefined {
  const field = roleOf(event.type).printedField;
  const printed = event.data.printed;
  if (field === undefined || printed === undefined || event.data[field] === undefined) return undefined;
  try {
    if (!isPrintedPrecision(printed)) throw new TypeError(`not a printed precision: ${JSON.stringify(printed)}`);
    const range = printedInterval(parseYuan(event.data[field]), printed);
    return range.lower === range.upper ? undefined : { field, range };
  } catch (error) {
    throw new FigureEventDataError(event.type, 'printed', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

function withAmount(event: EventLike, field: string, fen: bigint): EventLike {
  return { type: event.type, data: { ...event.data, [field]: formatYuan(fen) } };
}

/** One contribution at one end: the smaller or larger of its readings at the amount's two ends. */
function bound(base: Contribution, low: Contribution, high: Contribution, end: 'lower' | 'upper'): Contribution {
  if (low.key !== base.key || high.key !== base.key || low.mode !== base.mode || high.mode !== base.mode) {
    throw new Error(`the contributions of ${base.key} depend on the value of an amount, not only on its size`);
  }
  if (base.mode !== 'add' && base.mode !== 'set') return base;
  const [a, b] = [(low as typeof base).amount, (high as typeof base).amount];
  const [smaller, larger] = a <= b ? [a, b] : [b, a];
  return { ...base, amount: end === 'lower' ? smaller : larger };
}

const termName = (source: TermSource): string => `${source.key}.${source.term}`;
const pairName = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * One project's (or programme's) stream, in order, folded three ways: as recorded, low and high.
 * The same events the chain folds: the whole stream or the part of it as of a moment.
 */
export function foldIntervalTerms(events: Iterable<EventLike>): IntervalTerms {
  const list = [...events];
  const cancelled = cancelledAmounts(list);
  const recorded: Contribution[][] = [];
  const lower: Contribution[][] = [];
  const upper: Contribution[][] = [];
  const moveTogether = new Set<string>();
  list.forEach((event, index) => {
    const base = contributionsOf(event);
    recorded.push(base);
    const printed = cancelled.has(index) ? undefined : printedAmount(event);
    if (printed === undefined || base.length === 0) {
      lower.push(base);
      upper.push(base);
      return;
    }
    const low = contributionsOf(withAmount(event, printed.field, printed.range.lower));
    const high = contributionsOf(withAmount(event, printed.field, printed.range.upper));
    if (low.length !== base.length || high.length !== base.length) {
      throw new Error(`the contributions of ${event.type} depend on the value of its amount`);
    }
    lower.push(base.map((c, i) => bound(c, low[i], high[i], 'lower')));
    upper.push(base.map((c, i) => bound(c, low[i], high[i], 'upper')));
    const moved = base.flatMap((c) => (c.mode === 'add' || c.mode === 'set' ? [termName(c)] : []));
    for (const a of moved) for (const b of moved) if (a !== b) moveTogether.add(pairName(a, b));
  });
  return {
    recorded: foldContributions(recorded),
    lower: foldContributions(lower),
    upper: foldContributions(upper),
    moveTogether,
  };
}

/**
 * District totals of interval terms: mergeTerms on each of the three, so the same projects and
 * terms are summed as for the figures. Projects share no event, hence no printed amount.
 */
export function mergeIntervalTerms(all: Iterable<IntervalTerms>): IntervalTerms {
  const list = [...all];
  return {
    recorded: mergeTerms(list.map((terms) => terms.recorded)),
    lower: mergeTerms(list.map((terms) => terms.lower)),
    upper: mergeTerms(list.map((terms) => terms.upper)),
    moveTogether: new Set(list.flatMap((terms) => [...terms.moveTogether])),
  };
}

/**
 * A figure from interval terms: its exact value and where it can lie; undefined when the key names
 * no figure here (as computeFigure). A figure without a value keeps its reason and known terms.
 */
export function figureInterval(key: string, terms: IntervalTerms): FigureInterval | undefined {
  const figure = computeFigure(key, terms.recorded, 0n);
  const definition = definitionIn(key, terms.recorded);
  if (figure === undefined || definition === undefined) return undefined;
  const read = (which: FigureTerms) => knownTerms(definition, resolveTerm(key, which));
  const [recorded, low, high] = [read(terms.recorded), read(terms.lower), read(terms.upper)];
  const termInterval = (term: 'numerator' | 'denominator'): TermInterval | undefined =>
    recorded[term] === undefined ? undefined : { value: recorded[term], lower: low[term]!, upper: high[term]! };
  const numerator = termInterval('numerator');
  const denominator = termInterval('denominator');
  const known = { ...(numerator && { numerator }), ...(denominator && { denominator }) };
  const common = { key, unit: definition.unit };
  if (figure.value === null || numerator === undefined) {
    return { ...common, value: null, reason: figure.reason ?? 'not known', ...known };
  }
  const perUnit = definition.termUnit === 'quantity' ? 10n ** BigInt(QUANTITY_SCALE) : 1n;
  if (definition.modes.denominator === undefined) {
    return {
      ...common,
      value: ratio(numerator.value, perUnit),
      range: { lower: ratio(numerator.lower, perUnit), upper: ratio(numerator.upper, perUnit) },
      numerator,
    };
  }
  assertIndependentTerms(key, terms);
  const percent = (value: Ratio) => scaleRatio(value, 100n);
  const bounds = ratioBounds({ lower: numerator.lower, upper: numerator.upper }, { lower: denominator!.lower, upper: denominator!.upper });
  return {
    ...common,
    value: percent(ratio(numerator.value, denominator!.value)),
    range: bounds === undefined ? 'unbounded' : { lower: percent(bounds.lower), upper: percent(bounds.upper) },
    ...known,
    numerator,
  };
}

/** A rate's two terms must never have been moved by one printed amount (see the module comment). */
function assertIndependentTerms(key: string, terms: IntervalTerms): void {
  // A district total of a per-project rate is summed from the project-level sources.
  const sources = figureDefinition(key)?.derivedFrom ?? termSources(key, terms.recorded);
  if (sources?.denominator === undefined) return;
  if (terms.moveTogether.has(pairName(termName(sources.numerator), termName(sources.denominator)))) {
    throw new SharedInputError(key);
  }
}
