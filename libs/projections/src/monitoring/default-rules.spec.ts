import assert from 'node:assert/strict';
import { DEFAULT_MONITORING_RULES, MONITORING_RULE_KINDS, parseMonitoringRule } from '@fundtrail/funding';
import { projectEvents } from '../figures/figure-events.testing';
import { defaultRuleEvents, evaluateDefaultRules, warningsTable } from './default-rules';
import { TestLedger } from './monitoring.testing';
import { monitoredRules } from './rule-versions';

describe('the default rule set', () => {
  it('has one rule of each kind, each a valid post that the validator leaves as it is', () => {
    assert.deepStrictEqual(
      DEFAULT_MONITORING_RULES.map(({ rule }) => rule.kind),
      [...MONITORING_RULE_KINDS],
    );
    for (const { rule } of DEFAULT_MONITORING_RULES) assert.deepStrictEqual(parseMonitoringRule(rule), { ok: true, rule });
  });

  it('says where each threshold comes from', () => {
    for (const { rule, why, sources } of DEFAULT_MONITORING_RULES) {
      assert.ok(why.length > 0, rule.ruleId);
      assert.ok(sources.length > 0, rule.ruleId);
      for (const source of sources) assert.match(source.url, /^https?:\/\/[^\s]+$/, `${rule.ruleId}: ${source.title}`);
    }
  });

  it('reads back as version 1 of each rule', () => {
    assert.deepStrictEqual(
      monitoredRules(defaultRuleEvents('2024-01-01')).map((rule) => [rule.ruleId, rule.versions.map((version) => [version.version, version.effectiveFrom])]),
      [
        ['execution-schedule', [[1, '2024-01-01']]],
        ['output-schedule', [[1, '2024-01-01']]],
        ['over-arrival', [[1, '2024-01-01']]],
        ['special-bond-idle', [[1, '2024-01-01']]],
      ],
    );
  });

  it('warns a lagging project of each lag it shows', () => {
    const ledger = new TestLedger();
    const x = projectEvents('x');
    ledger.project('x', x.registered('1000000.00'), '2024-01-02');
    ledger.project('x', x.received('bond-2024', '800000.00', 'special-bond'), '2024-01-15');
    ledger.project('x', x.disbursed('d1', '300000.00'), '2024-03-01');
    ledger.project('x', x.targetSet('km', '100'), '2024-01-02');
    ledger.project('x', x.reported('km', '10'), '2024-05-01');
    const warnings = evaluateDefaultRules([ledger.monitored('x')], '2024-08-31');
    assert.deepStrictEqual(
      warnings.map(({ ruleId, subject, raisedAsOf, value, threshold }) => [ruleId, subject, raisedAsOf, value, threshold]),
      [
        // 300,000 / 800,000 = 37.50% < 50.00% from 06-30.
        ['execution-schedule', 'checkpoint/2024-06-30', '2024-06-30', '37.50', '50.00'],
        // 10 / 100 = 10.00%; 244/366 = 66.67% elapsed − 25 = 41.67. From 05-08 (day 129, 35.25%, so
        // 10.25 > 10.00); on 05-07 (day 128) elapsed was 34.97%.
        ['output-schedule', 'indicator/km/2024', '2024-05-08', '10.00', '41.67'],
        // 500,000 of 800,000 unspent = 62.50% > 50.00%, 180 days after 01-15: from 07-13.
        ['special-bond-idle', 'receipt/bond-2024', '2024-07-13', '62.50', '50.00'],
      ],
    );
    assert.equal(
      warningsTable(warnings, new Map([['x', '示例|项目']])).split('\n')[2],
      '| 示例\\|项目 | execution-schedule v1 | checkpoint/2024-06-30 | 2024-06-30 | execution_rate | 37.50% | 50.00% | open |',
    );
  });
});
