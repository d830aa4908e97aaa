import type { MonitoringRuleDefinition } from './monitoring-rule';

/** Commands of the MonitoringRuleSet aggregate (stream `monitoring-rules`), validated at the edge by parseMonitoringRule. */

export type DefineMonitoringRule = {
  type: 'DefineMonitoringRule';
  data: MonitoringRuleDefinition & {
    /** The day the version applies from, when the poster gave one (the body's effectiveDate). */
    effectiveFrom?: string;
  };
  /** The bureau day the handler took the command on: the version applies from it unless `effectiveFrom` says otherwise. */
  postedOn: string;
};

export type MonitoringRuleSetCommand = DefineMonitoringRule;
