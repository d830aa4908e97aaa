import type { ActorRef, RecordedEvent } from '@fundtrail/event-store';
import { computeFigure, definitionIn, formatTerm, knownTerms } from './compute-figures';
import { contributionsOf, type Contribution, type TermContribution } from './contributions';
import { figureDefinition, type BilingualLabel, type FigureUnit, type Term, type TermMode } from './figure-definitions';
import { foldContributions, resolveTerm, termSources } from './figure-terms';

/** One event's part in a figure. */
export interface TracedTerm {
  eventId: string;
  type: string;
  globalPosition: string;
  streamRevision: string;
  recordedAt: string;
  effectiveDate: string;
  actor: ActorRef;
  /** The term of this figure the event moves (for a derived figure, the source term it reads). */
  term: Term;
  mode: TermMode;
  /** Yuan string, or quantity string for output figures; negative for what a correction takes back. */
  signedAmount: string;
  /** False for a stated ('set') term that a later event replaced. */
  effective: boolean;
}

export interface FigureTrace {
  key: string;
  label: BilingualLabel;
  unit: FigureUnit;
  formula: string;
  formulaVersion: number;
  asOfPosition: string;
  terms: TracedTerm[];
  /** The terms folded from `terms`; null when unknown. Rates only have a denominator. */
  numerator: string | null;
  denominator?: string | null;
  /** Recomputed from the contributing events alone. */
  value: string | null;
  reason?: string;
  /** What the read model says, when the caller passed it. */
  storedValue?: string | null;
  /** Recomputed value equals the stored one; false when no stored value was given. */
  matches: boolean;
}

/**
 * Every event behind one figure of a project, and the figure recomputed from those events alone
 * with the projection's own fold (contributionsOf → foldContributions → computeFigure), compared
 * with what the read model stores. `events` is the project's stream in order (the whole stream, or
 * the part of it up to the moment asked about); the figure is as of its last event. A derived
 * figure lists the events behind the terms it reads (approval_rate: the approvals and the
 * receipts; an indicator measured against another: both indicators' actuals). Corrections are
 * terms with a negative signed amount. Undefined when the key names no figure of this project.
 */
export function traceFigure(key: string, events: readonly RecordedEvent[], storedValue?: string | null): FigureTrace | undefined {
  if (figureDefinition(key) === undefined) return undefined;
  const asOfPosition = events.length === 0 ? 0n : events[events.length - 1].globalPosition;
  const contributions = events.map((event) => contributionsOf(event));

  // Where the figure reads its terms depends on the stream (a stored link), so find that first.
  const sources = termSources(key, foldContributions(contributions.map((list) => list.filter((c) => c.key === key))))!;
  const roles: Array<[Term, { key: string; term: Term }]> = [['numerator', sources.numerator]];
  if (sources.denominator !== undefined) roles.push(['denominator', sources.denominator]);
  const relevant = new Set([key, ...roles.map(([, source]) => source.key)]);

  const contributing: Array<readonly Contribution[]> = [];
  const lines: Array<{ event: RecordedEvent; term: Term; contribution: TermContribution }> = [];
  events.forEach((event, index) => {
    const own = contributions[index].filter((c) => relevant.has(c.key));
    if (own.length === 0) return;
    contributing.push(own);
    for (const contribution of own) {
      if (contribution.mode === 'link' || contribution.mode === 'drop') continue;
      for (const [term, source] of roles) {
        if (source.key === contribution.key && source.term === contribution.term) lines.push({ event, term, contribution });
      }
    }
  });
  // The projection's own fold over the contributing events only.
  const folded = foldContributions(contributing);
  const definition = definitionIn(key, folded);
  const figure = computeFigure(key, folded, asOfPosition);
  if (definition === undefined || figure === undefined) return undefined;

  const lastSet = new Map<Term, number>();
  lines.forEach(({ term, contribution }, index) => {
    if (contribution.mode === 'set') lastSet.set(term, index);
  });
  const terms = lines.map(({ event, term, contribution }, index): TracedTerm => ({
    eventId: event.eventId,
    type: event.type,
    globalPosition: event.globalPosition.toString(),
    streamRevision: event.streamRevision.toString(),
    recordedAt: event.recordedAt.toISOString(),
    effectiveDate: event.metadata.effectiveDate,
    actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
    term,
    mode: contribution.mode,
    signedAmount: formatTerm(definition.termUnit, contribution.amount),
    effective: contribution.mode === 'add' || lastSet.get(term) === index,
  }));

  const known = knownTerms(definition, resolveTerm(key, folded));
  const text = (amount: bigint | undefined) => (amount === undefined ? null : formatTerm(definition.termUnit, amount));
  return {
    key,
    label: figure.label,
    unit: figure.unit,
    formula: figure.formula,
    formulaVersion: figure.formulaVersion,
    asOfPosition: figure.asOfPosition,
    terms,
    numerator: text(known.numerator),
    ...(definition.modes.denominator !== undefined && { denominator: text(known.denominator) }),
    value: figure.value,
    ...(figure.reason !== undefined && { reason: figure.reason }),
    ...(storedValue !== undefined && { storedValue }),
    matches: storedValue !== undefined && storedValue === figure.value,
  };
}
