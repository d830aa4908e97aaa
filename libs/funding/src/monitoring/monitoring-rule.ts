import type { FundingSource } from '../shared/vocabulary';

/**
 * Monitoring rules (双监控: execution progress and performance targets watched together), as data.
 * Every rule is stored already validated and normalised (see parseMonitoringRule): percents are
 * canonical decimal strings, defaults are spelled out, so two posts that mean the same are equal.
 */

export const MONITORING_RULE_KINDS = ['execution-lag', 'idle-funds', 'output-lag', 'over-arrival'] as const;
export type MonitoringRuleKind = (typeof MONITORING_RULE_KINDS)[number];

/** What execution-lag measures disbursements against (序时进度 of received, allocated or planned money). */
export const EXECUTION_BASES = ['received', 'allocated', 'planned'] as const;
export type ExecutionBasis = (typeof EXECUTION_BASES)[number];

/** A percent as a canonical decimal string: 0 to 100, two to four decimals ("40.00", "12.345"). */
export type PercentText = string;

/** By this day of each year (MM-DD), the execution rate should be at least `minExecutionRate`. */
export type ExecutionCheckpoint = { by: string; minExecutionRate: PercentText };

/** 序时进度: checkpoints in ascending order of `by`. */
export type ExecutionLagParams = { checkpoints: ExecutionCheckpoint[]; basis: ExecutionBasis };

/** 资金沉淀 / 专项债闲置: a receipt with more than `minUnspentPercent` unspent `afterDays` days after it arrived. */
export type IdleFundsParams = { minUnspentPercent: PercentText; afterDays: number; sources?: FundingSource[] };

/** Output completion behind the elapsed share of the fiscal year by more than `points` percentage points. */
export type OutputLagParams = { points: PercentText };

/** Received above planned: the arrival rate above 100%. */
export type OverArrivalParams = Record<string, never>;

/** Which projects a rule watches: the portfolio filters (programme with its descendants, region prefix, exact others). */
export interface MonitoringScope {
  programme?: string;
  region?: string;
  department?: string;
  category?: string;
  fiscalYear?: number;
}

export type MonitoringRuleBody =
  | { kind: 'execution-lag'; params: ExecutionLagParams }
  | { kind: 'idle-funds'; params: IdleFundsParams }
  | { kind: 'output-lag'; params: OutputLagParams }
  | { kind: 'over-arrival'; params: OverArrivalParams };

/** A rule as posted, validated and normalised. */
export type MonitoringRuleDefinition = { ruleId: string; scope?: MonitoringScope } & MonitoringRuleBody;

/** The stream of the rule set: one per ledger. */
export const MONITORING_RULES_STREAM = 'monitoring-rules';
