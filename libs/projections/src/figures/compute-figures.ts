import { formatQuantity, formatWanDisplay, formatYuan, formatYuanDisplay, ratePercent } from '@fundtrail/money';
import {
  FIGURE_FAMILIES,
  FIXED_FIGURE_KEYS,
  figureDefinition,
  isVocabularyParameter,
  parseFigureKey,
  type BilingualLabel,
  type FigureDefinition,
  type FigureUnit,
  type TermUnit,
} from './figure-definitions';
import { byCodeUnit, resolveTerm, type FigureTerm, type FigureTerms } from './figure-terms';

/** A published figure, as the API returns it. No JS number anywhere. */
export interface Figure {
  key: string;
  label: BilingualLabel;
  /** Yuan string for amounts, percent string for rates, decimal for quantities; null (with `reason`) when unknown. */
  value: string | null;
  display: string;
  unit: FigureUnit;
  formula: string;
  formulaVersion: number;
  /** Rates only: yuan strings, or quantity strings for output_completion. */
  numerator?: string;
  denominator?: string;
  asOfPosition: string;
  reason?: string;
  /** Portfolio only: what the district total leaves out. */
  note?: string;
}

/** Shown for a figure without a value. */
export const NO_VALUE_DISPLAY = '—';

/** The terms of one figure as far as they are known: undefined = unknown, a summed term starts at 0. */
export function knownTerms(definition: FigureDefinition, term: FigureTerm | undefined): { numerator?: bigint; denominator?: bigint } {
  const known = (mode: 'add' | 'set' | undefined, value: bigint | undefined) => (mode === 'add' ? (value ?? 0n) : mode === 'set' ? value : undefined);
  const numerator = known(definition.modes.numerator, term?.numerator);
  const denominator = known(definition.modes.denominator, term?.denominator);
  return {
    ...(numerator !== undefined && { numerator }),
    ...(denominator !== undefined && { denominator }),
  };
}

/** A term's amount as text: yuan for money, a trimmed decimal for output quantities. */
export function formatTerm(unit: TermUnit, amount: bigint): string {
  return unit === 'fen' ? formatYuan(amount) : formatQuantity(amount);
}

/**
 * The definition a figure is computed with, given the terms: an indicator measured against
 * another one gets the linked formula. Undefined when the key names no figure here: an unknown
 * key, a receipt or indicator no event mentions (or one that was reversed or withdrawn), or a
 * per-receipt / per-indicator key on the portfolio. A vocabulary source or category with no
 * events is a figure of zero.
 */
export function definitionIn(key: string, terms: FigureTerms): FigureDefinition | undefined {
  const plain = figureDefinition(key, terms.scope);
  if (plain === undefined) return undefined;
  if (terms.scope === 'portfolio' && !plain.acrossProjects) return undefined;
  const parsed = parseFigureKey(key)!;
  // A per-receipt or per-indicator figure exists while the terms it reads from do.
  const home = plain.derivedFrom?.numerator.key ?? key;
  const stored = terms.figures.get(home);
  if (stored === undefined && parsed.parameter !== undefined && !isVocabularyParameter(parsed)) return undefined;
  const link = plain.derivedFrom === undefined ? stored?.denominatorFrom : undefined;
  return link === undefined ? plain : figureDefinition(key, terms.scope, link);
}

/** One figure from the terms; undefined when the key names no figure here (see definitionIn). */
export function computeFigure(key: string, terms: FigureTerms, asOfPosition: bigint): Figure | undefined {
  const definition = definitionIn(key, terms);
  if (definition === undefined) return undefined;

  const { numerator, denominator } = knownTerms(definition, resolveTerm(key, terms));
  const note = portfolioNote(definition, terms);
  const common = {
    key,
    label: definition.label,
    unit: definition.unit,
    formula: definition.formula,
    formulaVersion: definition.formulaVersion,
    asOfPosition: asOfPosition.toString(),
  };
  const unknown = (reason: string | undefined, known: Pick<Figure, 'numerator' | 'denominator'> = {}): Figure => ({
    ...common,
    value: null,
    display: NO_VALUE_DISPLAY,
    ...known,
    reason: reason ?? 'not known',
    ...(note !== undefined && { note }),
  });

  if (definition.modes.denominator === undefined) {
    if (numerator === undefined) return unknown(definition.reasons.numeratorUnknown);
    const money = definition.termUnit === 'fen';
    return {
      ...common,
      value: formatTerm(definition.termUnit, numerator),
      display: money ? amountDisplay(numerator) : formatQuantity(numerator),
      ...(note !== undefined && { note }),
    };
  }

  const text = (amount: bigint) => formatTerm(definition.termUnit, amount);
  const known = {
    ...(numerator !== undefined && { numerator: text(numerator) }),
    ...(denominator !== undefined && { denominator: text(denominator) }),
  };
  if (denominator === undefined) return unknown(definition.reasons.denominatorUnknown, known);
  if (numerator === undefined) return unknown(definition.reasons.numeratorUnknown, known);
  const value = ratePercent(numerator, denominator);
  if (value === null) return unknown(definition.reasons.denominatorZero, known);
  return { ...common, value, display: `${value}%`, ...known, ...(note !== undefined && { note }) };
}

/**
 * Every figure the terms hold, in a stable order: the fixed keys in FIXED_FIGURE_KEYS order, then
 * each family in FIGURE_FAMILIES order with its parameters in code-unit order.
 */
export function computeFigures(terms: FigureTerms, asOfPosition: bigint): Figure[] {
  return figureKeys(terms)
    .map((key) => computeFigure(key, terms, asOfPosition))
    .filter((figure): figure is Figure => figure !== undefined);
}

/** The keys computeFigures returns, in its order. */
export function figureKeys(terms: FigureTerms): string[] {
  const byFamily = new Map<string, string[]>(FIGURE_FAMILIES.map((family) => [family, []]));
  for (const key of terms.figures.keys()) {
    const parsed = parseFigureKey(key);
    if (parsed?.parameter === undefined) continue;
    byFamily.get(parsed.family)!.push(parsed.parameter);
    // An indicator's target and actual are read from its output_completion terms.
    if (parsed.family === 'output_completion') {
      byFamily.get('output_target')!.push(parsed.parameter);
      byFamily.get('output_actual')!.push(parsed.parameter);
    }
  }
  const parameterised = FIGURE_FAMILIES.flatMap((family) =>
    byFamily
      .get(family)!
      .sort(byCodeUnit)
      .map((parameter) => `${family}:${parameter}`),
  );
  return [...FIXED_FIGURE_KEYS, ...parameterised];
}

/** "¥167,191,600.00 (16,719.16 万元)" */
export function amountDisplay(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  return `${sign}¥${formatYuanDisplay(fen < 0n ? -fen : fen)} (${formatWanDisplay(fen)} 万元)`;
}

function portfolioNote(definition: FigureDefinition, terms: FigureTerms): string | undefined {
  if (terms.scope !== 'portfolio') return undefined;
  if (definition.key !== 'planned_total' && definition.key !== 'arrival_rate') return undefined;
  const { merged, withoutPlannedTotal } = terms.projects;
  if (withoutPlannedTotal === 0) return undefined;
  return `${withoutPlannedTotal} of ${merged} projects state no planned total and are left out`;
}
