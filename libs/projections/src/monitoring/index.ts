// KnownAt is exported with the figures' time.
export { monitoredRules, versionInForce, type MonitoredRule, type RuleVersion } from './rule-versions';
export { inScope, projectContextOf, type ProgrammeNode, type ProjectContext } from './project-context';
export { receiptBalances, type ReceiptBalance, type ReceiptDraw } from './receipt-balances';
export { MONITORING_FIGURES, type Finding, type WarningTrace } from './rule-findings';
export { evaluateWarnings, type MonitoredProject, type MonitoringWarning, type WarningEvaluation } from './evaluate-warnings';
export { currentStatus, warningHistory, warningStatuses, type WarningDispositionRecord } from './warning-history';
export { defaultRuleEvents, evaluateDefaultRules, warningsTable } from './default-rules';
export { MonitoringQueries, type ListedRule, type ListedRuleVersion, type WarningDetail, type WarningTime } from './monitoring-queries';
export { DispositionCheck, type DispositionProblem, type DispositionReport } from './disposition-check';
