import type { RecordedEvent } from '@fundtrail/event-store';
import type { Citation, ReportPublished, StatedFigure, StatedScope } from '@fundtrail/funding';
import {
  eventsAsOf,
  figureDefinition,
  figureInterval,
  foldIntervalTerms,
  mergeIntervalTerms,
  SharedInputError,
  traceFigure,
  type FigureTime,
  type KnownAt,
} from '../figures';
import { checkStatedFigure, notDerivable, notKeyed, StatedUnitMismatchError, type StatedFigureCheck, type StatedFigureStatus } from './stated-figure-check';
import { checkStatedSum, type StatedSumStatus } from './stated-sum-check';
import { traceArithmetic } from './trace-arithmetic';

/**
 * A published report held against the log: every stated figure recomputed from the streams of the
 * projects its scope names, as of the report's 截至 date and as the books were known at `knownAt`,
 * with the printed precision of every input amount carried through the formula as an interval; every
 * stated total checked against the sum of its stated parts. The HTTP reconciliation and the CLI's
 * `reconcile` both answer with this one function.
 */

/** The projects a scope stands for, each with its whole stream (the time filter is applied here). */
export type ScopeStreams = ReadonlyArray<{ projectId: string; events: readonly RecordedEvent[] }>;

export interface ReconciliationRow {
  statedId: string;
  scope: StatedScope;
  key: string | null;
  stated: string;
  unit: string;
  recomputed: string | null;
  recomputedYuan?: string;
  status: StatedFigureStatus;
  difference?: string;
  reason?: string;
  arithmetic: string;
  citation: Citation;
}

export interface ReconciliationSum {
  statedId: string;
  parts: string[];
  stated: string;
  unit: string;
  sumOfParts: string;
  status: StatedSumStatus;
  difference?: string;
  arithmetic: string;
}

export interface ReportReconciliation {
  reportId: string;
  asOfEffective: string | null;
  knownAt: string | null;
  summary: {
    match: number;
    withinPrintedPrecision: number;
    mismatch: number;
    notDerivable: number;
    notKeyed: number;
    sumsAddUp: number;
    sumsWithinPrintedPrecision: number;
    sumsDoNotAddUp: number;
  };
  rows: ReconciliationRow[];
  sums: ReconciliationSum[];
}

/** One key per distinct scope, so each scope's streams are read once. */
export function scopeKey(scope: StatedScope): string {
  if ('projectId' in scope) return `project:${scope.projectId}`;
  if ('programmeId' in scope) return `programme:${scope.programmeId}`;
  const filter = scope.portfolio as Record<string, unknown>;
  return `portfolio:${JSON.stringify(
    Object.keys(filter)
      .sort()
      .map((field) => [field, filter[field]]),
  )}`;
}

export function reconcileReport(
  report: ReportPublished['data'],
  streams: ReadonlyMap<string, ScopeStreams>,
  knownAt: { text: string; time: KnownAt } | undefined,
): ReportReconciliation {
  const time: FigureTime = { asOfEffective: report.asOfEffective, knownAt: knownAt?.time };
  const rows = report.statedFigures.map((figure) => row(figure, checkFigure(figure, streams.get(scopeKey(figure.scope)) ?? [], time)));
  const byId = new Map(report.statedFigures.map((figure) => [figure.statedId, figure]));
  const sums = report.statedFigures.flatMap((figure): ReconciliationSum[] => {
    if (figure.sumOf === undefined) return [];
    const check = checkStatedSum(
      figure,
      figure.sumOf.map((part) => byId.get(part)!),
    );
    return [
      {
        statedId: figure.statedId,
        parts: [...figure.sumOf],
        stated: figure.stated,
        unit: figure.unit,
        sumOfParts: check.sumOfParts,
        status: check.status,
        ...(check.difference !== undefined && { difference: check.difference }),
        arithmetic: check.arithmetic,
      },
    ];
  });
  const count = (status: StatedFigureStatus) => rows.filter((r) => r.status === status).length;
  const countSums = (status: StatedSumStatus) => sums.filter((s) => s.status === status).length;
  return {
    reportId: report.reportId,
    asOfEffective: report.asOfEffective ?? null,
    knownAt: knownAt?.text ?? null,
    summary: {
      match: count('match'),
      withinPrintedPrecision: count('within-printed-precision'),
      mismatch: count('mismatch'),
      notDerivable: count('not-derivable'),
      notKeyed: count('not-keyed'),
      sumsAddUp: countSums('adds-up'),
      sumsWithinPrintedPrecision: countSums('within-printed-precision'),
      sumsDoNotAddUp: countSums('does-not-add-up'),
    },
    rows,
    sums,
  };
}

function row(figure: StatedFigure, check: StatedFigureCheck): ReconciliationRow {
  return {
    statedId: figure.statedId,
    scope: figure.scope,
    key: figure.key ?? null,
    stated: figure.stated,
    unit: figure.unit,
    recomputed: check.recomputed,
    ...('recomputedYuan' in check && check.recomputedYuan !== undefined && { recomputedYuan: check.recomputedYuan }),
    status: check.status,
    ...('difference' in check && { difference: check.difference }),
    ...('reason' in check && check.reason !== undefined && { reason: check.reason }),
    arithmetic: check.arithmetic,
    citation: figure.citation,
  };
}

function scopeText(scope: StatedScope): string {
  if ('projectId' in scope) return `project ${scope.projectId}`;
  if ('programmeId' in scope) return `programme ${scope.programmeId}`;
  return `the portfolio filter ${JSON.stringify(scope.portfolio)}`;
}

/** One stated figure against the projects of its scope, as of `time`. */
function checkFigure(figure: StatedFigure, streams: ScopeStreams, time: FigureTime): StatedFigureCheck {
  if (figure.key === undefined) return notKeyed();
  const definition = figureDefinition(figure.key);
  if (definition === undefined) return notDerivable(`${figure.key} is not a figure key`);
  const present = streams.filter((project) => project.events.length > 0);
  if (present.length === 0) {
    return notDerivable(
      'projectId' in figure.scope ? `project ${figure.scope.projectId} is not in the log` : `no project of ${scopeText(figure.scope)} is in the log`,
    );
  }
  const asOf = present.map((project) => ({ projectId: project.projectId, events: eventsAsOf(project.events, time) }));
  // One project's own terms carry its per-receipt and per-indicator figures; a merge keeps district totals only.
  const terms = 'projectId' in figure.scope ? foldIntervalTerms(asOf[0].events) : mergeIntervalTerms(asOf.map((project) => foldIntervalTerms(project.events)));
  let interval;
  try {
    interval = figureInterval(figure.key, terms);
  } catch (error) {
    if (error instanceof SharedInputError) return notDerivable(error.message);
    throw error;
  }
  const lead =
    asOf.length === 1 && 'projectId' in figure.scope
      ? describe(figure.key, definition.termUnit, asOf[0].events)
      : `${figure.key} over ${asOf.length} project${asOf.length === 1 ? '' : 's'} of ${scopeText(figure.scope)} (${asOf.map((p) => p.projectId).join(', ')})`;
  if (interval === undefined) {
    const what = definition.family === 'receipt_usage_rate' ? 'receipt' : definition.family.startsWith('output_') ? 'indicator' : 'figure';
    return notDerivable(`${what} ${definition.parameter ?? figure.key} not recorded`, `${lead}: not derivable`);
  }
  if (interval.value === null) return notDerivable(interval.reason, `${lead}: not derivable: ${interval.reason}`);
  try {
    const check = checkStatedFigure(figure.stated, figure.unit, { unit: interval.unit, value: interval.value, range: interval.range });
    return { ...check, arithmetic: `${lead}; ${check.arithmetic}` };
  } catch (error) {
    if (error instanceof StatedUnitMismatchError) return notDerivable(error.message, `${lead}: ${error.message}`);
    throw error;
  }
}

function describe(key: string, termUnit: 'fen' | 'quantity', events: readonly RecordedEvent[]): string {
  const trace = traceFigure(key, events);
  return trace === undefined ? key : traceArithmetic(trace, termUnit, events);
}
