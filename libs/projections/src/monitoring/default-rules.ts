import { FIRST_YEAR } from '@fundtrail/calendar';
import type { RecordedEvent } from '@fundtrail/event-store';
import { DEFAULT_MONITORING_RULES, MONITORING_RULES_STREAM, type MonitoringRuleDefined } from '@fundtrail/funding';
import { evaluateWarnings, type MonitoredProject, type MonitoringWarning } from './evaluate-warnings';

/**
 * The default rule set as the rule stream would hold it had each rule been posted once, in force
 * from the first day of the ledger's calendar: what a district's projects would have been warned of
 * had it watched them with these rules all along.
 */
export function defaultRuleEvents(effectiveFrom = `${FIRST_YEAR}-01-01`): RecordedEvent[] {
  return DEFAULT_MONITORING_RULES.map(({ rule }, index): RecordedEvent => {
    const data: MonitoringRuleDefined['data'] = { ...rule, version: 1, effectiveFrom };
    return {
      eventId: `default-monitoring-rule-${rule.ruleId}`,
      type: 'MonitoringRuleDefined',
      streamId: MONITORING_RULES_STREAM,
      streamRevision: BigInt(index),
      globalPosition: BigInt(index + 1),
      recordedAt: new Date(0),
      data: data,
      metadata: {
        actor: { id: 'default-rules', role: 'admin' },
        correlationId: 'default-rules',
        causationId: 'default-rules',
        effectiveDate: effectiveFrom,
        schemaVersion: 1,
      },
      hash: '',
      prevHash: '',
    };
  });
}

/** The warnings the default rules raise on these projects' streams as of a day (no dispositions: every one open). */
export function evaluateDefaultRules(projects: readonly MonitoredProject[], asOfEffective: string): MonitoringWarning[] {
  return evaluateWarnings({ projects, ruleEvents: defaultRuleEvents(), asOfEffective });
}

/** The warnings as a Markdown table, one row each, for a generated docs page. */
export function warningsTable(warnings: readonly MonitoringWarning[], projectNames: ReadonlyMap<string, string> = new Map()): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = warnings.map((warning) =>
    [
      projectNames.get(warning.projectId) ?? warning.projectId,
      `${warning.ruleId} v${warning.ruleVersion}`,
      warning.subject,
      warning.raisedAsOf,
      warning.figure,
      `${warning.value}%`,
      `${warning.threshold}%`,
      warning.status,
    ]
      .map(cell)
      .join(' | '),
  );
  return [
    '| project | rule | subject | raised as of | figure | value | threshold | status |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
