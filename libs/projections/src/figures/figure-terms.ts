import { contributionsOf, type Contribution, type EventLike } from './contributions';
import { FIXED_FIGURE_KEYS, figureDefinition, type TermSources } from './figure-definitions';

/**
 * The terms behind every figure, key by key. A term that is absent was never moved by any
 * event: for a summed ('add') term that means zero, for a stated ('set') term it means
 * unknown (no planned total, no target, no actual reported). Units: fen for money figures,
 * 10^-4 units for output quantities. Derived figures (approval_rate, output_target:*,
 * output_actual:*) store nothing: they read these terms of other figures.
 */
export interface FigureTerm {
  readonly numerator?: bigint;
  readonly denominator?: bigint;
  /**
   * A stored link: the figure whose numerator is this figure's denominator. An indicator measured
   * against another (验收率 = accepted / completed) keeps its own target as `denominator` (that is
   * output_target) and reads the ratio's denominator from the other indicator's actual.
   */
  readonly denominatorFrom?: string;
}

/** One project's stream, folded. */
export interface ProjectTerms {
  readonly scope: 'project';
  readonly figures: ReadonlyMap<string, FigureTerm>;
}

/** District totals: project terms merged by `mergeTerms`, never folded from a mixed log. */
export interface PortfolioTerms {
  readonly scope: 'portfolio';
  readonly figures: ReadonlyMap<string, FigureTerm>;
  readonly projects: { readonly merged: number; readonly withoutPlannedTotal: number };
}

export type FigureTerms = ProjectTerms | PortfolioTerms;

export function emptyTerms(): ProjectTerms {
  return { scope: 'project', figures: new Map() };
}

/**
 * The terms after one more event of the same project. Pure: `terms` is left as it was; a
 * new map is returned (or `terms` itself when the event moves no figure).
 */
export function foldTerms(terms: ProjectTerms, event: EventLike): ProjectTerms {
  const contributions = contributionsOf(event);
  if (contributions.length === 0) return terms;
  const figures = new Map(terms.figures);
  applyContributions(figures, contributions);
  return { scope: 'project', figures };
}

/**
 * A project's stream (or the part of it up to a point: "as of") folded onto `from`. The same
 * step as foldTerms, with one copy of the map for the whole list instead of one per event.
 */
export function foldEvents(events: Iterable<EventLike>, from: ProjectTerms = emptyTerms()): ProjectTerms {
  const figures = new Map(from.figures);
  for (const event of events) applyContributions(figures, contributionsOf(event));
  return { scope: 'project', figures };
}

/** The terms of a project from contributions already read off its events, in order. */
export function foldContributions(contributions: Iterable<readonly Contribution[]>, from: ProjectTerms = emptyTerms()): ProjectTerms {
  const figures = new Map(from.figures);
  for (const list of contributions) applyContributions(figures, list);
  return { scope: 'project', figures };
}

function applyContributions(figures: Map<string, FigureTerm>, contributions: readonly Contribution[]): void {
  for (const contribution of contributions) {
    const { key } = contribution;
    if (contribution.mode === 'drop') {
      figures.delete(key);
      continue;
    }
    const current = figures.get(key) ?? {};
    if (contribution.mode === 'link') {
      figures.set(key, { ...current, denominatorFrom: contribution.from });
      continue;
    }
    const { term, mode, amount } = contribution;
    const next = mode === 'set' ? amount : (current[term] ?? 0n) + amount;
    figures.set(key, { ...current, [term]: next });
  }
}

/**
 * Where the terms of `key` are read from: its own stored terms; another figure's numerator as its
 * denominator when it stores a link; or, for a derived figure, other figures' terms. The one
 * answer that computeFigure and the trace share. Undefined for a key that names no figure.
 */
export function termSources(key: string, terms: FigureTerms): TermSources | undefined {
  const definition = figureDefinition(key, terms.scope);
  if (definition === undefined) return undefined;
  if (definition.derivedFrom !== undefined) return definition.derivedFrom;
  const link = terms.figures.get(key)?.denominatorFrom;
  return {
    numerator: { key, term: 'numerator' },
    ...(link !== undefined
      ? { denominator: { key: link, term: 'numerator' as const } }
      : definition.modes.denominator !== undefined && { denominator: { key, term: 'denominator' as const } }),
  };
}

/** The terms of `key` as its formula sees them, read from their sources (a derived figure's included). */
export function resolveTerm(key: string, terms: FigureTerms): FigureTerm | undefined {
  const sources = termSources(key, terms);
  if (sources === undefined) return undefined;
  const read = (source: TermSources['numerator'] | undefined) => (source === undefined ? undefined : terms.figures.get(source.key)?.[source.term]);
  const numerator = read(sources.numerator);
  const denominator = read(sources.denominator);
  return {
    ...(numerator !== undefined && { numerator }),
    ...(denominator !== undefined && { denominator }),
  };
}

/**
 * District totals from project terms (or from partial district totals: merging is associative).
 * - Figures about one receipt or one indicator (receipt_usage_rate:*, output_*:*) are
 *   left out: they have no district total.
 * - Every other term, summed ('set' terms too: a project's latest planned total is one addend).
 * - arrival_rate counts a project only when it states a planned total, in both terms, so the
 *   rate is never receipts of all projects over the plans of some.
 * - Derived figures are not merged (they read the merged terms of their sources), except a rate
 *   like investment_completion_rate, whose district total sums the two terms of each project that
 *   knows both: it is stored in district totals.
 * - `projects` counts the projects merged and those without a planned total, for the figures' note.
 */
export function mergeTerms(all: Iterable<FigureTerms>): PortfolioTerms {
  const figures = new Map<string, FigureTerm>();
  let merged = 0;
  let withoutPlannedTotal = 0;
  for (const terms of all) {
    if (terms.scope === 'portfolio') {
      merged += terms.projects.merged;
      withoutPlannedTotal += terms.projects.withoutPlannedTotal;
    } else {
      merged += 1;
      if (terms.figures.get('planned_total')?.numerator === undefined) withoutPlannedTotal += 1;
    }
    const perProject =
      terms.scope === 'project'
        ? BOTH_TERMS_PER_PROJECT.map((key): [string, FigureTerm] => [key, resolveTerm(key, terms) ?? {}]).filter(
            ([, term]) => term.numerator !== undefined && term.denominator !== undefined,
          )
        : [];
    for (const [key, term] of [...terms.figures, ...perProject]) {
      if (!figureDefinition(key)?.acrossProjects) continue;
      if (key === 'arrival_rate' && term.denominator === undefined) continue;
      const current = figures.get(key) ?? {};
      figures.set(key, {
        ...current,
        ...sumTerm(current.numerator, term.numerator, 'numerator'),
        ...sumTerm(current.denominator, term.denominator, 'denominator'),
      });
    }
  }
  return { scope: 'portfolio', figures, projects: { merged, withoutPlannedTotal } };
}

/** Derived rates whose district total is stored, summed over the projects that know both their terms. */
const BOTH_TERMS_PER_PROJECT: readonly string[] = FIXED_FIGURE_KEYS.filter((key) => figureDefinition(key)?.bothTermsPerProject);

function sumTerm(a: bigint | undefined, b: bigint | undefined, term: keyof FigureTerm): FigureTerm {
  if (a === undefined && b === undefined) return {};
  return { [term]: (a ?? 0n) + (b ?? 0n) };
}

// ---------------------------------------------------------------------------
// Storage (a jsonb column): bigints as decimal strings of their units, keys sorted.
// ---------------------------------------------------------------------------

export const TERMS_JSON_VERSION = 1;

export type FigureTermJson = { numerator?: string; denominator?: string; denominatorFrom?: string };

export type FigureTermsJson =
  | { termsVersion: 1; scope: 'project'; figures: Record<string, FigureTermJson> }
  | {
      termsVersion: 1;
      scope: 'portfolio';
      figures: Record<string, FigureTermJson>;
      projects: { merged: number; withoutPlannedTotal: number };
    };

export class FigureTermsJsonError extends Error {
  constructor(message: string) {
    super(`stored figure terms: ${message}`);
    this.name = 'FigureTermsJsonError';
  }
}

export function termsToJson(terms: FigureTerms): FigureTermsJson {
  const figures: Record<string, FigureTermJson> = {};
  for (const key of [...terms.figures.keys()].sort(byCodeUnit)) {
    const term = terms.figures.get(key)!;
    figures[key] = {
      ...(term.numerator !== undefined && { numerator: term.numerator.toString() }),
      ...(term.denominator !== undefined && { denominator: term.denominator.toString() }),
      ...(term.denominatorFrom !== undefined && { denominatorFrom: term.denominatorFrom }),
    };
  }
  if (terms.scope === 'project') return { termsVersion: TERMS_JSON_VERSION, scope: 'project', figures };
  const { merged, withoutPlannedTotal } = terms.projects;
  return { termsVersion: TERMS_JSON_VERSION, scope: 'portfolio', figures, projects: { merged, withoutPlannedTotal } };
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/** Strict inverse of termsToJson: anything it would not have written is refused. */
export function termsFromJson(json: unknown): FigureTerms {
  const root = record(json, 'terms');
  if (root.termsVersion !== TERMS_JSON_VERSION) {
    throw new FigureTermsJsonError(`termsVersion must be ${TERMS_JSON_VERSION}, got ${String(root.termsVersion)}`);
  }
  const figures = new Map<string, FigureTerm>();
  for (const [key, value] of Object.entries(record(root.figures, 'figures'))) {
    const definition = figureDefinition(key);
    if (definition === undefined) throw new FigureTermsJsonError(`unknown figure key ${JSON.stringify(key)}`);
    const storable = root.scope === 'portfolio' ? figureDefinition(key, 'portfolio')! : definition;
    if (storable.derivedFrom !== undefined) throw new FigureTermsJsonError(`${key} is derived and not stored here`);
    const entry = record(value, key);
    const unexpected = Object.keys(entry).filter((name) => !['numerator', 'denominator', 'denominatorFrom'].includes(name));
    if (unexpected.length > 0) throw new FigureTermsJsonError(`${key}: unexpected field ${unexpected[0]}`);
    if (entry.denominator !== undefined && definition.modes.denominator === undefined) {
      throw new FigureTermsJsonError(`${key} has no denominator`);
    }
    if (entry.denominatorFrom !== undefined && !linkTarget(entry.denominatorFrom, definition.linkable)) {
      throw new FigureTermsJsonError(`${key}.denominatorFrom must name a figure of the same family`);
    }
    figures.set(key, {
      ...(entry.numerator !== undefined && { numerator: integer(entry.numerator, `${key}.numerator`) }),
      ...(entry.denominator !== undefined && { denominator: integer(entry.denominator, `${key}.denominator`) }),
      ...(entry.denominatorFrom !== undefined && { denominatorFrom: entry.denominatorFrom as string }),
    });
  }
  if (root.scope === 'project') {
    if (root.projects !== undefined) throw new FigureTermsJsonError('project terms have no projects count');
    return { scope: 'project', figures };
  }
  if (root.scope === 'portfolio') {
    const projects = record(root.projects, 'projects');
    const merged = count(projects.merged, 'projects.merged');
    const withoutPlannedTotal = count(projects.withoutPlannedTotal, 'projects.withoutPlannedTotal');
    if (withoutPlannedTotal > merged) throw new FigureTermsJsonError('more projects without a planned total than merged');
    return { scope: 'portfolio', figures, projects: { merged, withoutPlannedTotal } };
  }
  throw new FigureTermsJsonError(`scope must be project or portfolio, got ${String(root.scope)}`);
}

/** Only a linkable figure stores a link, and only to a figure of its own family. */
function linkTarget(value: unknown, linkable: boolean): boolean {
  return linkable && typeof value === 'string' && figureDefinition(value)?.linkable === true;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FigureTermsJsonError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function integer(value: unknown, what: string): bigint {
  if (typeof value !== 'string' || !INTEGER.test(value)) {
    throw new FigureTermsJsonError(`${what} must be an integer as a decimal string`);
  }
  return BigInt(value);
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FigureTermsJsonError(`${what} must be a non-negative integer`);
  }
  return value;
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
