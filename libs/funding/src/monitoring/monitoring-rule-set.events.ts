import type { MonitoringRuleDefinition } from './monitoring-rule';

/** Events of the MonitoringRuleSet aggregate (stream `monitoring-rules`). */

/**
 * A version of a rule: version 1 is its first post, each change another. `effectiveFrom` is the day
 * it applies from; the envelope's effectiveDate carries the same day.
 */
export type MonitoringRuleDefined = {
  type: 'MonitoringRuleDefined';
  data: MonitoringRuleDefinition & { version: number; effectiveFrom: string };
};

export type MonitoringRuleSetEvent = MonitoringRuleDefined;
export type MonitoringRuleSetEventType = MonitoringRuleSetEvent['type'];
