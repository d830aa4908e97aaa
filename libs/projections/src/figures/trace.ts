import type { ActorRef, RecordedEvent } from '@fundtrail/event-store';
import { computeFigure, formatTerm, knownTerms } from './compute-figures';
import { contributionsOf, type Contribution } from './contributions';
import { figureDefinition, type BilingualLabel, type FigureUnit, type Term, type TermMode } from './figure-definitions';
import { foldEvents } from './figure-terms';

/** One event's part in a figure. */
export interface TracedTerm {
  eventId: string;
  type: string;
  globalPosition: string;
  streamRevision: string;
  recordedAt: string;
  effectiveDate: string;
  actor: ActorRef;
  term: Term;
  mode: TermMode;
  /** Yuan string, or quantity string for output_completion; negative for what a reversal takes back. */
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
 * with the projection's own fold (contributionsOf → foldTerms → computeFigure), compared with
 * what the read model stores. `events` is the project's stream in order (the whole stream, or
 * the part of it up to the moment asked about); the figure is as of its last event.
 * Undefined when the key names no figure of this project.
 */
export function traceFigure(
  key: string,
  events: readonly RecordedEvent[],
  storedValue?: string | null,
): FigureTrace | undefined {
  const definition = figureDefinition(key);
  if (definition === undefined) return undefined;
  const asOfPosition = events.length === 0 ? 0n : events[events.length - 1].globalPosition;

  const contributing: RecordedEvent[] = [];
  const lines: Array<{ event: RecordedEvent; contribution: Contribution }> = [];
  for (const event of events) {
    const own = contributionsOf(event).filter((contribution) => contribution.key === key);
    if (own.length === 0) continue;
    contributing.push(event);
    for (const contribution of own) lines.push({ event, contribution });
  }
  // The projection's own fold over the contributing events only (one map copy, not one per event).
  const folded = foldEvents(contributing);
  const figure = computeFigure(key, folded, asOfPosition);
  if (figure === undefined) return undefined;

  const lastSet = new Map<Term, number>();
  lines.forEach(({ contribution }, index) => {
    if (contribution.mode === 'set') lastSet.set(contribution.term, index);
  });
  const terms = lines.map(({ event, contribution }, index): TracedTerm => ({
    eventId: event.eventId,
    type: event.type,
    globalPosition: event.globalPosition.toString(),
    streamRevision: event.streamRevision.toString(),
    recordedAt: event.recordedAt.toISOString(),
    effectiveDate: event.metadata.effectiveDate,
    actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
    term: contribution.term,
    mode: contribution.mode,
    signedAmount: formatTerm(definition.termUnit, contribution.amount),
    effective: contribution.mode === 'add' || lastSet.get(contribution.term) === index,
  }));

  const known = knownTerms(definition, folded.figures.get(key));
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
