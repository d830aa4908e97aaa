import { canonicalJson } from '@fundtrail/event-store';
import { withoutUndefined } from '../shared/event-data';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { PersistentMap } from '../shared/persistent-map';
import type { MonitoringRuleDefinition } from './monitoring-rule';
import type { DefineMonitoringRule, MonitoringRuleSetCommand } from './monitoring-rule-set.commands';
import type { MonitoringRuleDefined, MonitoringRuleSetEvent } from './monitoring-rule-set.events';

/** The latest version of each rule: what a new post is compared with. */
export type MonitoringRuleSetState = {
  rules: PersistentMap<MonitoringRuleDefined['data']>;
};

export const initialMonitoringRuleSetState: MonitoringRuleSetState = { rules: PersistentMap.empty() };

export function evolveMonitoringRuleSet(state: MonitoringRuleSetState, event: MonitoringRuleSetEvent): MonitoringRuleSetState {
  switch (event.type) {
    case 'MonitoringRuleDefined':
      return { rules: state.rules.set(event.data.ruleId, event.data) };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}

export function decideMonitoringRuleSet(command: MonitoringRuleSetCommand, state: MonitoringRuleSetState): MonitoringRuleSetEvent[] {
  switch (command.type) {
    case 'DefineMonitoringRule':
      return defineRule(command, state);
    default: {
      const _exhaustive: never = command.type;
      return _exhaustive;
    }
  }
}

/**
 * Every post that changes a rule is a new version. Posting what the latest version already says
 * (same kind, params and scope, and no other effective day) adds nothing: a retried or repeated
 * post is a no-op. A rule keeps its kind for life, since its warnings' ids and subjects depend on it.
 */
function defineRule(command: DefineMonitoringRule, state: MonitoringRuleSetState): MonitoringRuleDefined[] {
  const { effectiveFrom, ...definition } = command.data;
  const latest = state.rules.get(definition.ruleId);
  if (latest !== undefined && latest.kind !== definition.kind) {
    throw new FundingRuleViolation(
      'RULE_KIND_CHANGED',
      `Monitoring rule ${definition.ruleId} is an ${latest.kind} rule; post a new ruleId for a ${definition.kind} rule`,
      'kind',
    );
  }
  if (latest !== undefined && sameDefinition(latest, definition) && (effectiveFrom === undefined || effectiveFrom === latest.effectiveFrom)) {
    return [];
  }
  return [
    {
      type: 'MonitoringRuleDefined',
      data: withoutUndefined({
        ruleId: definition.ruleId,
        version: (latest?.version ?? 0) + 1,
        kind: definition.kind,
        params: definition.params,
        scope: definition.scope,
        effectiveFrom: effectiveFrom ?? command.postedOn,
      }) as MonitoringRuleDefined['data'],
    },
  ];
}

function sameDefinition(latest: MonitoringRuleDefined['data'], definition: MonitoringRuleDefinition): boolean {
  const meaning = (rule: MonitoringRuleDefinition) => canonicalJson({ kind: rule.kind, params: rule.params, scope: rule.scope ?? {} });
  return meaning(latest) === meaning(definition);
}
