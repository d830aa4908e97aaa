import type { RecordedEvent } from '@fundtrail/event-store';
import { type ExecutionBasis, PERCENT_SCALE, percentText, warningSubject } from '@fundtrail/funding';
import { formatYuan, parseDecimal, ratePercent } from '@fundtrail/money';
import { computeFigure, knownTerms } from '../figures/compute-figures';
import { figureDefinition, parseFigureKey } from '../figures/figure-definitions';
import type { Contribution } from '../figures/contributions';
import { foldContributions, foldEvents, resolveTerm, type ProjectTerms } from '../figures/figure-terms';
import { traceFigure, type TracedTerm } from '../figures/trace';
import { addDays, fiscalDaysPassed, yearOf } from './fiscal-calendar';
import type { ProjectContext } from './project-context';
import { receiptBalances, type ReceiptBalance } from './receipt-balances';
import type { MonitoredRule, RuleVersion } from './rule-versions';

/** A project's events as they stood on one day (effective by then), folded once. */
export class ProjectSnapshot {
  readonly terms: ProjectTerms;
  private balancesOfReceipts?: ReceiptBalance[];

  /** `contributions`, when given, are the events' own (contributionsOf), read once for all snapshots. */
  constructor(
    readonly events: readonly RecordedEvent[],
    contributions?: ReadonlyArray<readonly Contribution[]>,
  ) {
    this.terms = contributions === undefined ? foldEvents(events) : foldContributions(contributions);
  }

  balances(): ReceiptBalance[] {
    return (this.balancesOfReceipts ??= receiptBalances(this.events));
  }
}

/** What a rule version finds wrong with a project on a day: the warning before it has an id and a history. */
export interface Finding {
  subject: string;
  /** A figure key of the chain, or one of MONITORING_FIGURES. */
  figure: string;
  /** Percent strings: the figure's value as published (2 decimals) and the limit it was held to. */
  value: string;
  threshold: string;
}

/** Why a warning was raised: the rule's terms and every event behind the figure on that day. */
export interface WarningTrace {
  asOfEffective: string;
  /** The version whose limit `threshold` is: the one in force on asOfEffective. */
  appliedRuleVersion: number;
  formula: string;
  formulaVersion: number;
  numerator: string | null;
  denominator: string | null;
  /** execution-lag: the checkpoint passed. */
  checkpoint?: { date: string; minExecutionRate: string };
  /** output-lag: the share of the fiscal year elapsed. */
  elapsed?: { fiscalYear: number; daysPassed: number; daysInYear: number; percent: string; points: string };
  /** idle-funds: the receipt's arrival and the day the rule began to apply to it. */
  receipt?: { receiptId: string; arrived: string; dueFrom: string };
  terms: TracedTerm[];
}

/**
 * Figures the rules need that the chain does not publish, each defined once, here.
 * - planned_execution_rate: disbursed_total / planned_total (序时进度 against the plan), read from
 *   the chain's terms of those two figures.
 * - receipt_unspent_rate:<receiptId>: what is left of a receipt / its amount, payments naming no
 *   receipt drawn first-in-first-out (receipt_usage_rate only counts payments that name it).
 */
export const MONITORING_FIGURES = {
  planned_execution_rate: { formula: 'disbursed_total / planned_total', formulaVersion: 1 },
  receipt_unspent_rate: {
    formula: '(amount − Σ payments naming the receipt − FIFO share of payments naming none) / amount',
    formulaVersion: 1,
  },
} as const;

const EXECUTION_FIGURE: { readonly [B in ExecutionBasis]: string } = {
  received: 'execution_rate',
  allocated: 'allocation_execution_rate',
  planned: 'planned_execution_rate',
};

const ONE_HUNDRED = '100.00';

/** Whether a kind's findings change from one day to the next without any event (only elapsed time does). */
export function dependsOnElapsedTime(rule: MonitoredRule): boolean {
  return rule.kind === 'output-lag';
}

/** What one version of a rule finds in a project on `date`, from the project's events as they stood then. */
export function findingsAt(version: RuleVersion, snapshot: ProjectSnapshot, date: string, context: ProjectContext): Finding[] {
  switch (version.kind) {
    case 'execution-lag': {
      const checkpoint = latestCheckpoint(version, date);
      if (checkpoint === undefined) return [];
      const figure = EXECUTION_FIGURE[version.params.basis];
      const value = executionRate(version.params.basis, snapshot.terms);
      if (value === null || !below(value, checkpoint.minExecutionRate)) return [];
      return [{ subject: warningSubject.checkpoint(checkpoint.date), figure, value, threshold: checkpoint.minExecutionRate }];
    }
    case 'idle-funds': {
      const { sources, afterDays, minUnspentPercent } = version.params;
      return snapshot
        .balances()
        .filter((receipt) => (sources === undefined || sources.includes(receipt.source)) && date >= addDays(receipt.arrived, afterDays))
        .map((receipt) => ({ receipt, value: ratePercent(receipt.unspent, receipt.amount)! }))
        .filter(({ value }) => below(minUnspentPercent, value))
        .map(({ receipt, value }) => ({
          subject: warningSubject.receipt(receipt.receiptId),
          figure: `receipt_unspent_rate:${receipt.receiptId}`,
          value,
          threshold: minUnspentPercent,
        }));
    }
    case 'output-lag': {
      const fiscalYear = context.fiscalYear ?? yearOf(date);
      const threshold = percentText(units(elapsedPercent(fiscalYear, date)) - units(version.params.points));
      const findings: Finding[] = [];
      for (const key of snapshot.terms.figures.keys()) {
        const parsed = parseFigureKey(key);
        if (parsed?.family !== 'output_completion' || parsed.parameter === undefined) continue;
        const value = computeFigure(key, snapshot.terms, 0n)?.value ?? null;
        // No actual reported yet is unknown, not 0%: the figure says so, the rule does not guess.
        if (value === null || !below(value, threshold)) continue;
        findings.push({ subject: warningSubject.indicator(parsed.parameter, fiscalYear), figure: key, value, threshold });
      }
      return findings;
    }
    case 'over-arrival': {
      const value = computeFigure('arrival_rate', snapshot.terms, 0n)?.value ?? null;
      if (value === null || !below(ONE_HUNDRED, value)) return [];
      return [{ subject: warningSubject.arrival(), figure: 'arrival_rate', value, threshold: ONE_HUNDRED }];
    }
    default: {
      const _exhaustive: never = version;
      return _exhaustive;
    }
  }
}

/**
 * The days, besides the project's effective dates and the rule's, on which a rule's findings can
 * change: checkpoints passing, receipts coming due, fiscal years beginning. Between two of them a
 * finding holds throughout (or, for a rule on elapsed time, from some day on).
 */
export function ruleDays(rule: MonitoredRule, events: readonly RecordedEvent[], firstYear: number, lastYear: number): string[] {
  const days: string[] = [];
  const years = Array.from({ length: Math.max(lastYear - firstYear + 1, 0) }, (_, index) => firstYear + index);
  for (const version of rule.versions) {
    switch (version.kind) {
      case 'execution-lag':
        for (const year of years) for (const checkpoint of version.params.checkpoints) days.push(`${year}-${checkpoint.by}`);
        break;
      case 'idle-funds':
        for (const event of events) {
          if (event.type === 'FundsReceived') days.push(addDays(event.metadata.effectiveDate, version.params.afterDays));
        }
        break;
      case 'output-lag':
        for (const year of years) days.push(`${year}-01-01`);
        break;
      case 'over-arrival':
        break;
      default: {
        const _exhaustive: never = version;
        return _exhaustive;
      }
    }
  }
  return days;
}

/** The events behind a finding, with the figure recomputed from them by the chain's own trace where the chain has the figure. */
export function traceFinding(version: RuleVersion, finding: Finding, snapshot: ProjectSnapshot, date: string, context: ProjectContext): WarningTrace {
  const common = { asOfEffective: date, appliedRuleVersion: version.version };
  switch (version.kind) {
    case 'execution-lag': {
      const checkpoint = latestCheckpoint(version, date)!;
      const detail = { checkpoint: { date: checkpoint.date, minExecutionRate: checkpoint.minExecutionRate } };
      if (version.params.basis !== 'planned') return { ...common, ...chainTrace(finding.figure, snapshot), ...detail };
      return { ...common, ...plannedExecutionTrace(snapshot), ...detail };
    }
    case 'idle-funds': {
      const receipt = snapshot.balances().find((balance) => finding.subject === warningSubject.receipt(balance.receiptId))!;
      return {
        ...common,
        ...MONITORING_FIGURES.receipt_unspent_rate,
        numerator: formatYuan(receipt.unspent),
        denominator: formatYuan(receipt.amount),
        receipt: { receiptId: receipt.receiptId, arrived: receipt.arrived, dueFrom: addDays(receipt.arrived, version.params.afterDays) },
        terms: [
          tracedTerm(receipt.event, 'denominator', receipt.amount),
          tracedTerm(receipt.event, 'numerator', receipt.amount),
          ...receipt.draws.map((draw) => tracedTerm(draw.event, 'numerator', -draw.amount)),
        ],
      };
    }
    case 'output-lag': {
      const fiscalYear = context.fiscalYear ?? yearOf(date);
      const { passed, total } = fiscalDaysPassed(fiscalYear, date);
      return {
        ...common,
        ...chainTrace(finding.figure, snapshot),
        elapsed: { fiscalYear, daysPassed: passed, daysInYear: total, percent: elapsedPercent(fiscalYear, date), points: version.params.points },
      };
    }
    case 'over-arrival':
      return { ...common, ...chainTrace('arrival_rate', snapshot) };
    default: {
      const _exhaustive: never = version;
      return _exhaustive;
    }
  }
}

function latestCheckpoint(version: Extract<RuleVersion, { kind: 'execution-lag' }>, date: string): { date: string; minExecutionRate: string } | undefined {
  const year = yearOf(date);
  let latest: { date: string; minExecutionRate: string } | undefined;
  for (const checkpoint of version.params.checkpoints) {
    const day = `${year}-${checkpoint.by}`;
    if (day <= date) latest = { date: day, minExecutionRate: checkpoint.minExecutionRate };
  }
  return latest;
}

function executionRate(basis: ExecutionBasis, terms: ProjectTerms): string | null {
  if (basis !== 'planned') return computeFigure(EXECUTION_FIGURE[basis], terms, 0n)?.value ?? null;
  const { disbursed, planned } = plannedExecutionTerms(terms);
  return planned === undefined ? null : ratePercent(disbursed, planned);
}

function plannedExecutionTerms(terms: ProjectTerms): { disbursed: bigint; planned?: bigint } {
  const term = (key: string) => knownTerms(figureDefinition(key)!, resolveTerm(key, terms)).numerator;
  const planned = term('planned_total');
  return { disbursed: term('disbursed_total') ?? 0n, ...(planned !== undefined && { planned }) };
}

/** The chain's own trace of a figure over the events as of the day. */
function chainTrace(key: string, snapshot: ProjectSnapshot): Pick<WarningTrace, 'formula' | 'formulaVersion' | 'numerator' | 'denominator' | 'terms'> {
  const trace = traceFigure(key, snapshot.events)!;
  return {
    formula: trace.formula,
    formulaVersion: trace.formulaVersion,
    numerator: trace.numerator,
    denominator: trace.denominator ?? null,
    terms: trace.terms,
  };
}

/** disbursed_total's trace as the numerator, planned_total's as the denominator. */
function plannedExecutionTrace(snapshot: ProjectSnapshot): Pick<WarningTrace, 'formula' | 'formulaVersion' | 'numerator' | 'denominator' | 'terms'> {
  const disbursed = traceFigure('disbursed_total', snapshot.events)!;
  const planned = traceFigure('planned_total', snapshot.events)!;
  return {
    ...MONITORING_FIGURES.planned_execution_rate,
    numerator: disbursed.value,
    denominator: planned.value,
    terms: [...disbursed.terms, ...planned.terms.map((term) => ({ ...term, term: 'denominator' as const }))].sort((a, b) =>
      Number(BigInt(a.globalPosition) - BigInt(b.globalPosition)),
    ),
  };
}

function tracedTerm(event: RecordedEvent, term: 'numerator' | 'denominator', fen: bigint): TracedTerm {
  return {
    eventId: event.eventId,
    type: event.type,
    globalPosition: event.globalPosition.toString(),
    streamRevision: event.streamRevision.toString(),
    recordedAt: event.recordedAt.toISOString(),
    effectiveDate: event.metadata.effectiveDate,
    actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
    term,
    mode: 'add',
    signedAmount: formatYuan(fen),
    effective: true,
  };
}

/** The share of the fiscal year elapsed as a published percent (2 decimals, half-up). */
function elapsedPercent(fiscalYear: number, date: string): string {
  const { passed, total } = fiscalDaysPassed(fiscalYear, date);
  return ratePercent(BigInt(passed), BigInt(total))!;
}

const percentUnits = new Map<string, bigint>();

/** Percent text as 10^-4 units, so "40", "40.00" and "40.0000" compare equal (memoised: the same limits and rates recur). */
function units(percent: string): bigint {
  let value = percentUnits.get(percent);
  if (value === undefined) {
    value = parseDecimal(percent, { scale: PERCENT_SCALE, max: 10n ** 40n, allowNegative: true, allowZero: true });
    if (percentUnits.size < 100_000) percentUnits.set(percent, value);
  }
  return value;
}

/** a < b, both percent strings. */
function below(a: string, b: string): boolean {
  return units(a) < units(b);
}
