import { spec } from '../testing/decider-spec';
import type { MonitoringRuleDefinition } from './monitoring-rule';
import type { DefineMonitoringRule } from './monitoring-rule-set.commands';
import { decideMonitoringRuleSet, evolveMonitoringRuleSet, initialMonitoringRuleSetState } from './monitoring-rule-set.decider';
import type { MonitoringRuleDefined } from './monitoring-rule-set.events';
import { parseMonitoringRule } from './monitoring-rule.validation';

const ruleSet = spec(decideMonitoringRuleSet, evolveMonitoringRuleSet, initialMonitoringRuleSetState);

const schedule: MonitoringRuleDefinition = {
  ruleId: 'execution-schedule',
  kind: 'execution-lag',
  params: { basis: 'received', checkpoints: [{ by: '06-30', minExecutionRate: '50.00' }] },
};
const bondIdle: MonitoringRuleDefinition = {
  ruleId: 'special-bond-idle',
  kind: 'idle-funds',
  params: { minUnspentPercent: '50.00', afterDays: 180, sources: ['special-bond'] },
};

const define = (rule: MonitoringRuleDefinition, postedOn: string, effectiveFrom?: string): DefineMonitoringRule => ({
  type: 'DefineMonitoringRule',
  data: { ...rule, ...(effectiveFrom !== undefined && { effectiveFrom }) },
  postedOn,
});
const defined = (rule: MonitoringRuleDefinition, version: number, effectiveFrom: string): MonitoringRuleDefined => ({
  type: 'MonitoringRuleDefined',
  data: { ...rule, version, effectiveFrom },
});

/** A body through the edge's validator, as the handler would receive it. */
function parsed(body: unknown): MonitoringRuleDefinition {
  const result = parseMonitoringRule(body);
  if (!result.ok) throw new Error(`test body refused: ${JSON.stringify(result.errors)}`);
  return result.rule;
}

describe('DefineMonitoringRule', () => {
  it('records the first post as version 1, in force from the day it was posted', () => {
    ruleSet
      .given([])
      .when(define(schedule, '2024-03-01'))
      .then([defined(schedule, 1, '2024-03-01')]);
  });

  it('takes the effective day the poster gave instead', () => {
    ruleSet
      .given([])
      .when(define(schedule, '2024-03-01', '2024-01-01'))
      .then([defined(schedule, 1, '2024-01-01')]);
  });

  it('records a changed rule as the next version, numbered per rule', () => {
    const stricter: MonitoringRuleDefinition = {
      ...schedule,
      params: { basis: 'received', checkpoints: [{ by: '06-30', minExecutionRate: '60.00' }] },
    };
    ruleSet
      .given([defined(schedule, 1, '2024-01-01'), defined(bondIdle, 1, '2024-01-01')])
      .when(define(stricter, '2024-07-01'))
      .then([defined(stricter, 2, '2024-07-01')]);
  });

  it('treats a post that says what the latest version says as a no-op, on any later day', () => {
    ruleSet
      .given([defined(schedule, 1, '2024-01-01')])
      .when(define(schedule, '2024-09-15'))
      .then([]);
    ruleSet
      .given([defined(schedule, 1, '2024-01-01')])
      .when(define(schedule, '2024-09-15', '2024-01-01'))
      .then([]);
  });

  it('compares rules by meaning: "50", 50 and "50.00", a default basis spelled out or not, an empty scope or none', () => {
    const first = parsed({ ruleId: 'execution-schedule', kind: 'execution-lag', params: { checkpoints: [{ by: '06-30', minExecutionRate: '50' }] } });
    const again = parsed({
      ruleId: 'execution-schedule',
      kind: 'execution-lag',
      params: { basis: 'received', checkpoints: [{ minExecutionRate: 50, by: '06-30' }] },
      scope: {},
    });
    ruleSet
      .given([defined(first, 1, '2024-01-01')])
      .when(define(again, '2024-02-01'))
      .then([]);
  });

  it('records the same rule again when it is re-dated', () => {
    ruleSet
      .given([defined(schedule, 1, '2024-03-01')])
      .when(define(schedule, '2024-03-05', '2024-01-01'))
      .then([defined(schedule, 2, '2024-01-01')]);
  });

  it('records a change of scope as a new version, and the latest version is what a post is compared with', () => {
    const scoped: MonitoringRuleDefinition = { ...schedule, scope: { category: 'drainage' } };
    ruleSet
      .given([defined(schedule, 1, '2024-01-01')])
      .when(define(scoped, '2024-02-01'))
      .then([defined(scoped, 2, '2024-02-01')]);
    // Back to what version 1 said: a change from version 2, so version 3.
    ruleSet
      .given([defined(schedule, 1, '2024-01-01'), defined(scoped, 2, '2024-02-01')])
      .when(define(schedule, '2024-03-01'))
      .then([defined(schedule, 3, '2024-03-01')]);
  });

  it('refuses another kind under an existing rule id', () => {
    const otherKind: MonitoringRuleDefinition = { ruleId: 'execution-schedule', kind: 'over-arrival', params: {} };
    ruleSet
      .given([defined(schedule, 1, '2024-01-01')])
      .when(define(otherKind, '2024-02-01'))
      .thenThrows('RULE_KIND_CHANGED', { field: 'kind' });
  });
});
