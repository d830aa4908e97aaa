import assert from 'node:assert/strict';
import { parseMonitoringRule, percentText } from './monitoring-rule.validation';
import { parseDispositionBody } from './warning-disposition.validation';

const lag = (params: unknown, extra: Record<string, unknown> = {}) => ({ ruleId: 'execution-schedule', kind: 'execution-lag', params, ...extra });
const idle = (params: unknown) => ({ ruleId: 'bond-idle', kind: 'idle-funds', params });

describe('parseMonitoringRule: accepted bodies, normalised', () => {
  it.each<[string, unknown, unknown]>([
    [
      'execution-lag with the default basis spelled out, percents in canonical form',
      lag({
        checkpoints: [
          { by: '06-30', minExecutionRate: '50' },
          { by: '09-30', minExecutionRate: 75.5 },
        ],
      }),
      {
        ruleId: 'execution-schedule',
        kind: 'execution-lag',
        params: {
          checkpoints: [
            { by: '06-30', minExecutionRate: '50.00' },
            { by: '09-30', minExecutionRate: '75.50' },
          ],
          basis: 'received',
        },
      },
    ],
    [
      'execution-lag against the plan, a percent with four decimals kept',
      lag({ basis: 'planned', checkpoints: [{ by: '12-31', minExecutionRate: '99.1250' }] }),
      { ruleId: 'execution-schedule', kind: 'execution-lag', params: { checkpoints: [{ by: '12-31', minExecutionRate: '99.125' }], basis: 'planned' } },
    ],
    [
      'idle-funds, sources in vocabulary order, days as a string of digits',
      idle({ minUnspentPercent: '0', afterDays: '90', sources: ['special-bond', 'central-subsidy'] }),
      { ruleId: 'bond-idle', kind: 'idle-funds', params: { minUnspentPercent: '0.00', afterDays: 90, sources: ['special-bond', 'central-subsidy'] } },
    ],
    [
      'output-lag with a scope, fiscal year as text',
      {
        ruleId: 'output-schedule',
        kind: 'output-lag',
        params: { points: 25 },
        scope: { region: 'yunnan/kunming', programme: 'urban-renewal', fiscalYear: '2024' },
      },
      {
        ruleId: 'output-schedule',
        kind: 'output-lag',
        params: { points: '25.00' },
        scope: { programme: 'urban-renewal', region: 'yunnan/kunming', fiscalYear: 2024 },
      },
    ],
    [
      'over-arrival without params, an empty scope dropped',
      { ruleId: 'over-arrival', kind: 'over-arrival', scope: {} },
      { ruleId: 'over-arrival', kind: 'over-arrival', params: {} },
    ],
  ])('%s', (_, body, rule) => {
    assert.deepStrictEqual(parseMonitoringRule(body), { ok: true, rule });
  });

  it('returns the effective date apart from the rule', () => {
    assert.deepStrictEqual(parseMonitoringRule({ ruleId: 'over-arrival', kind: 'over-arrival', params: {}, effectiveDate: '2024-02-29' }), {
      ok: true,
      rule: { ruleId: 'over-arrival', kind: 'over-arrival', params: {} },
      effectiveDate: '2024-02-29',
    });
  });
});

describe('parseMonitoringRule: refused bodies name each offending field', () => {
  it.each<[string, unknown, Array<[string, string]>]>([
    ['not an object', [], [['body', 'IS_OBJECT']]],
    [
      'nothing at all',
      {},
      [
        ['ruleId', 'REQUIRED'],
        ['kind', 'REQUIRED'],
      ],
    ],
    [
      'a bad id, an unknown kind, an unknown field',
      { ruleId: 'Bad Id', kind: 'late', params: {}, colour: 'red' },
      [
        ['colour', 'UNKNOWN_FIELD'],
        ['ruleId', 'MATCHES'],
        ['kind', 'IS_IN'],
      ],
    ],
    ['params that are not an object', lag('fast'), [['params', 'IS_OBJECT']]],
    ['no checkpoints', lag({}), [['params.checkpoints', 'REQUIRED']]],
    ['an empty list of checkpoints', lag({ checkpoints: [] }), [['params.checkpoints', 'ARRAY_NOT_EMPTY']]],
    [
      'checkpoints out of order, a day no year has, a day not every year has',
      lag({
        checkpoints: [
          { by: '09-30', minExecutionRate: '75' },
          { by: '06-30', minExecutionRate: '50' },
          { by: '02-30', minExecutionRate: '1' },
          { by: '02-29', minExecutionRate: '1' },
        ],
      }),
      [
        ['params.checkpoints[1].by', 'ASCENDING'],
        ['params.checkpoints[2].by', 'IS_MONTH_DAY'],
        ['params.checkpoints[3].by', 'IS_MONTH_DAY'],
      ],
    ],
    [
      'the same day twice',
      lag({
        checkpoints: [
          { by: '06-30', minExecutionRate: '50' },
          { by: '06-30', minExecutionRate: '60' },
        ],
      }),
      [['params.checkpoints[1].by', 'ASCENDING']],
    ],
    [
      'rates that are not percents from 0 to 100 with at most 4 decimals',
      lag({
        checkpoints: [
          { by: '03-31', minExecutionRate: '100.01' },
          { by: '06-30', minExecutionRate: '-1' },
          { by: '09-30', minExecutionRate: '12.34567' },
          { by: '12-31', minExecutionRate: 1e21 },
        ],
      }),
      [
        ['params.checkpoints[0].minExecutionRate', 'IS_PERCENT'],
        ['params.checkpoints[1].minExecutionRate', 'IS_PERCENT'],
        ['params.checkpoints[2].minExecutionRate', 'IS_PERCENT'],
        ['params.checkpoints[3].minExecutionRate', 'IS_PERCENT'],
      ],
    ],
    [
      'a rate as text with grouping, exponent or spaces',
      lag({
        checkpoints: [
          { by: '03-31', minExecutionRate: '5e1' },
          { by: '06-30', minExecutionRate: ' 50' },
          { by: '09-30', minExecutionRate: '050' },
        ],
      }),
      [
        ['params.checkpoints[0].minExecutionRate', 'IS_PERCENT'],
        ['params.checkpoints[1].minExecutionRate', 'IS_PERCENT'],
        ['params.checkpoints[2].minExecutionRate', 'IS_PERCENT'],
      ],
    ],
    [
      'a checkpoint with a field of its own and none of the required',
      lag({ checkpoints: [{ date: '06-30' }] }),
      [
        ['params.checkpoints[0].date', 'UNKNOWN_FIELD'],
        ['params.checkpoints[0].by', 'REQUIRED'],
        ['params.checkpoints[0].minExecutionRate', 'REQUIRED'],
      ],
    ],
    ['an unknown basis', lag({ basis: 'contracted', checkpoints: [{ by: '06-30', minExecutionRate: '50' }] }), [['params.basis', 'IS_IN']]],
    [
      'idle-funds without its params',
      idle({}),
      [
        ['params.minUnspentPercent', 'REQUIRED'],
        ['params.afterDays', 'REQUIRED'],
      ],
    ],
    ['days that are not a whole number from 1 to 3660', idle({ minUnspentPercent: '50', afterDays: 90.5 }), [['params.afterDays', 'IS_INT']]],
    ['zero days', idle({ minUnspentPercent: '50', afterDays: 0 }), [['params.afterDays', 'MIN']]],
    ['eleven years', idle({ minUnspentPercent: '50', afterDays: 4015 }), [['params.afterDays', 'MAX']]],
    [
      'sources outside the vocabulary, or repeated',
      idle({ minUnspentPercent: '50', afterDays: 90, sources: ['special-bond', 'bank-loan', 'special-bond'] }),
      [
        ['params.sources[1]', 'IS_IN'],
        ['params.sources[2]', 'UNIQUE'],
      ],
    ],
    ['empty sources', idle({ minUnspentPercent: '50', afterDays: 90, sources: [] }), [['params.sources', 'ARRAY_NOT_EMPTY']]],
    ['output-lag points as a word', { ruleId: 'output', kind: 'output-lag', params: { points: 'ten' } }, [['params.points', 'IS_PERCENT']]],
    ['over-arrival takes no params', { ruleId: 'over', kind: 'over-arrival', params: { tolerance: '5' } }, [['params.tolerance', 'UNKNOWN_FIELD']]],
    [
      'a scope with bad shapes',
      {
        ruleId: 'over',
        kind: 'over-arrival',
        scope: { programme: 'Urban', region: 'yunnan//kunming', department: ' 区财政局', category: '', fiscalYear: 1900, district: 'x' },
      },
      [
        ['scope.district', 'UNKNOWN_FIELD'],
        ['scope.programme', 'MATCHES'],
        ['scope.region', 'MATCHES'],
        ['scope.department', 'IS_LABEL'],
        ['scope.category', 'IS_LABEL'],
        ['scope.fiscalYear', 'IS_YEAR'],
      ],
    ],
    ['a date that does not exist', { ruleId: 'over', kind: 'over-arrival', effectiveDate: '2026-02-29' }, [['effectiveDate', 'IS_CALENDAR_DATE']]],
  ])('%s', (_, body, expected) => {
    const result = parseMonitoringRule(body);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepStrictEqual(
      result.errors.map((error) => [error.field, error.code]),
      expected,
    );
    for (const error of result.errors) assert.ok(error.message.includes(error.field), `${error.message} names ${error.field}`);
  });
});

describe('percentText', () => {
  it.each<[bigint, string]>([
    [500000n, '50.00'],
    [505000n, '50.50'],
    [991250n, '99.125'],
    [1n, '0.0001'],
    [0n, '0.00'],
    [-150000n, '-15.00'],
  ])('%s ten-thousandths of a percent read %s', (units, text) => {
    assert.equal(percentText(units), text);
  });
});

describe('parseDispositionBody', () => {
  it.each<[Parameters<typeof parseDispositionBody>[0], unknown, unknown]>([
    ['acknowledge', undefined, { ok: true }],
    ['acknowledge', { effectiveDate: '2024-09-02' }, { ok: true, effectiveDate: '2024-09-02' }],
    ['explain', { note: '征地拆迁滞后' }, { ok: true, note: '征地拆迁滞后' }],
    ['resolve', { note: 'paid on 2024-09-20\nvoucher 118' }, { ok: true, note: 'paid on 2024-09-20\nvoucher 118' }],
  ])('%s %j is accepted', (action, body, expected) => {
    assert.deepStrictEqual(parseDispositionBody(action, body), expected);
  });

  it.each<[Parameters<typeof parseDispositionBody>[0], unknown, Array<[string, string]>]>([
    ['explain', {}, [['note', 'REQUIRED']]],
    ['resolve', { note: '   ' }, [['note', 'IS_LABEL']]],
    ['resolve', { note: 'x'.repeat(2001) }, [['note', 'IS_LABEL']]],
    ['explain', { note: 'bell\u0007' }, [['note', 'IS_LABEL']]],
    ['acknowledge', { note: 'seen' }, [['note', 'UNKNOWN_FIELD']]],
    ['resolve', { note: 'ok', effectiveDate: '2024-13-01' }, [['effectiveDate', 'IS_CALENDAR_DATE']]],
    ['resolve', 'ok', [['body', 'IS_OBJECT']]],
  ])('%s %j is refused', (action, body, expected) => {
    const result = parseDispositionBody(action, body);
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.deepStrictEqual(
        result.errors.map((error) => [error.field, error.code]),
        expected,
      );
  });
});
