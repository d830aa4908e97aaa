import type { Role } from '@fundtrail/auth';
import type { Fixtures } from './support-fixtures';

/** The bad-input rows of the monitoring endpoints (their shapes are the bad-input suite's Endpoint, Row and QueryRow). */

export type MonitoringEndpointKey = 'monitoringRules' | 'monitoringDefaults' | 'acknowledge' | 'explain' | 'resolve';

/** A well-formed warning id nobody raised: validation answers before any look-up. */
const SOME_WARNING = `w-${'0'.repeat(32)}`;

export const MONITORING_ENDPOINTS: Record<
  MonitoringEndpointKey,
  { path: (f: Fixtures) => string; role: Role; valid: (f: Fixtures, uid: string) => Record<string, unknown> }
> = {
  monitoringRules: {
    path: () => '/api/monitoring/rules',
    role: 'budget-officer',
    valid: (_f, uid) => ({ ruleId: uid, kind: 'execution-lag', params: { checkpoints: [{ by: '06-30', minExecutionRate: '50' }] } }),
  },
  monitoringDefaults: { path: () => '/api/monitoring/rules/defaults', role: 'budget-officer', valid: () => ({ effectiveDate: '2024-01-01' }) },
  acknowledge: { path: () => `/api/monitoring/warnings/${SOME_WARNING}/acknowledge`, role: 'auditor', valid: () => ({}) },
  explain: { path: () => `/api/monitoring/warnings/${SOME_WARNING}/explain`, role: 'auditor', valid: () => ({ note: '已核实' }) },
  resolve: { path: () => `/api/monitoring/warnings/${SOME_WARNING}/resolve`, role: 'budget-officer', valid: () => ({ note: '已整改' }) },
};

const rule = (params: unknown, extra: Record<string, unknown> = {}) => ({ ruleId: 'bad-rule', kind: 'execution-lag', params, ...extra });
const idle = (params: Record<string, unknown>) => ({ ruleId: 'bad-idle', kind: 'idle-funds', params: { minUnspentPercent: '50', afterDays: 90, ...params } });
const checkpoint = (by: unknown, minExecutionRate: unknown = '50') => rule({ checkpoints: [{ by, minExecutionRate }] });
const bad = (name: string, endpoint: MonitoringEndpointKey, body: unknown, field: string, code = 'VALIDATION_FAILED') => ({
  name,
  endpoint,
  body,
  status: 400,
  code,
  field,
});
let deep: unknown = 1;
for (let level = 0; level < 30; level += 1) deep = [deep];

export const MONITORING_ROWS = [
  bad('rules: kind not one of the four', 'monitoringRules', { ruleId: 'bad-rule', kind: 'budget-lag', params: {} }, 'kind'),
  bad('rules: no ruleId', 'monitoringRules', { kind: 'over-arrival', params: {} }, 'ruleId'),
  bad('rules: ruleId not a slug', 'monitoringRules', { ruleId: 'Bad Rule', kind: 'over-arrival', params: {} }, 'ruleId'),
  bad('rules: checkpoints not an array', 'monitoringRules', rule({ checkpoints: '06-30' }), 'params.checkpoints'),
  bad('rules: no checkpoints', 'monitoringRules', rule({ checkpoints: [] }), 'params.checkpoints'),
  bad('rules: checkpoint in month 13', 'monitoringRules', checkpoint('13-01'), 'params.checkpoints[0].by'),
  bad('rules: checkpoint 02-29 (not every year has it)', 'monitoringRules', checkpoint('02-29'), 'params.checkpoints[0].by'),
  bad('rules: checkpoint 04-31', 'monitoringRules', checkpoint('04-31'), 'params.checkpoints[0].by'),
  bad('rules: rate above 100', 'monitoringRules', checkpoint('06-30', '100.5'), 'params.checkpoints[0].minExecutionRate'),
  bad('rules: rate negative', 'monitoringRules', checkpoint('06-30', -1), 'params.checkpoints[0].minExecutionRate'),
  bad('rules: rate 1e21', 'monitoringRules', checkpoint('06-30', 1e21), 'params.checkpoints[0].minExecutionRate'),
  bad('rules: rate with 5 decimals', 'monitoringRules', checkpoint('06-30', '50.00001'), 'params.checkpoints[0].minExecutionRate'),
  bad('rules: basis not one of three', 'monitoringRules', rule({ checkpoints: [{ by: '06-30', minExecutionRate: '50' }], basis: 'spent' }), 'params.basis'),
  bad('rules: an unknown parameter', 'monitoringRules', rule({ checkpoints: [{ by: '06-30', minExecutionRate: '50' }], tolerance: 5 }), 'params.tolerance'),
  bad('rules: idle afterDays 0', 'monitoringRules', idle({ afterDays: 0 }), 'params.afterDays'),
  bad('rules: idle afterDays 1.5', 'monitoringRules', idle({ afterDays: 1.5 }), 'params.afterDays'),
  bad('rules: idle source not a funding source', 'monitoringRules', idle({ sources: ['bitcoin'] }), 'params.sources[0]'),
  bad('rules: output-lag without points', 'monitoringRules', { ruleId: 'bad-output', kind: 'output-lag', params: {} }, 'params.points'),
  bad(
    'rules: scope region not a path of slugs',
    'monitoringRules',
    rule({ checkpoints: [{ by: '06-30', minExecutionRate: '50' }] }, { scope: { region: 'Yunnan//x' } }),
    'scope.region',
  ),
  bad(
    'rules: scope fiscalYear 1800',
    'monitoringRules',
    rule({ checkpoints: [{ by: '06-30', minExecutionRate: '50' }] }, { scope: { fiscalYear: 1800 } }),
    'scope.fiscalYear',
  ),
  bad(
    'rules: effectiveDate 2026-02-30',
    'monitoringRules',
    rule({ checkpoints: [{ by: '06-30', minExecutionRate: '50' }] }, { effectiveDate: '2026-02-30' }),
    'effectiveDate',
  ),
  bad('rules: an unknown field', 'monitoringRules', rule({ checkpoints: [{ by: '06-30', minExecutionRate: '50' }] }, { version: 3 }), 'version'),
  bad('rules: a body that is an array', 'monitoringRules', [rule({})], 'body', 'INVALID_BODY'),
  bad('rules: params nested 30 deep', 'monitoringRules', rule(deep), 'params'),
  bad('defaults: effectiveDate 2026-02-30', 'monitoringDefaults', { effectiveDate: '2026-02-30' }, 'effectiveDate'),
  bad('defaults: an unknown field', 'monitoringDefaults', { rules: [] }, 'rules'),
  bad('explain: no note', 'explain', {}, 'note'),
  bad('explain: a blank note', 'explain', { note: '   ' }, 'note'),
  bad('explain: a note of 2001 characters', 'explain', { note: '说'.repeat(2001) }, 'note'),
  bad('explain: a note with a NUL', 'explain', { note: 'a\u0000b' }, 'note'),
  bad('explain: a note that is a number', 'explain', { note: 42 }, 'note'),
  bad('resolve: no note', 'resolve', { effectiveDate: '2024-01-01' }, 'note'),
  bad('resolve: effectiveDate 2026-02-30', 'resolve', { note: '已整改', effectiveDate: '2026-02-30' }, 'effectiveDate'),
  bad('acknowledge: a note is not a field of it', 'acknowledge', { note: '看过了' }, 'note'),
  {
    name: 'acknowledge: a warning id that is not one',
    endpoint: 'acknowledge' as const,
    path: () => '/api/monitoring/warnings/w-xyz/acknowledge',
    status: 400,
    code: 'INVALID_PATH',
    field: 'warningId',
  },
  {
    name: 'explain: an uppercase warning id',
    endpoint: 'explain' as const,
    path: () => `/api/monitoring/warnings/W-${'A'.repeat(32)}/explain`,
    status: 400,
    code: 'INVALID_PATH',
    field: 'warningId',
  },
];

const query = (name: string, path: string, field: string, code = 'VALIDATION_FAILED', status = 400) => ({ name, path: () => path, status, code, field });

export const MONITORING_QUERY_ROWS = [
  ...['2026-02-30', '2026-13-01', '2024-02-29T00:00:00Z', 'yesterday', ''].map((v) =>
    query(`warnings?asOfEffective=${v}`, `/api/monitoring/warnings?asOfEffective=${v}`, 'asOfEffective'),
  ),
  ...['2026-01-01T25:00:00Z', '2026-01-01', '-1', '9'.repeat(20)].map((v) =>
    query(`warnings?knownAt=${v}`, `/api/monitoring/warnings?knownAt=${v}`, 'knownAt'),
  ),
  query('warnings?status=closed', '/api/monitoring/warnings?status=closed', 'status'),
  query('warnings?region=Yunnan', '/api/monitoring/warnings?region=Yunnan', 'region'),
  query('warnings?fiscalYear=1800', '/api/monitoring/warnings?fiscalYear=1800', 'fiscalYear'),
  query('warnings?sort=value (not a parameter)', '/api/monitoring/warnings?sort=value', 'sort'),
  query('warnings/:id not a warning id', '/api/monitoring/warnings/w-123', 'warningId', 'INVALID_PATH'),
  query(`warnings/:id?asOfEffective=2026-02-30`, `/api/monitoring/warnings/w-${'0'.repeat(32)}?asOfEffective=2026-02-30`, 'asOfEffective'),
  query('rules?knownAt=yesterday', '/api/monitoring/rules?knownAt=yesterday', 'knownAt'),
  query('rules?asOfEffective= (not a parameter of the list)', '/api/monitoring/rules?asOfEffective=2024-01-01', 'asOfEffective'),
];

/** Well-formed monitoring queries that must be answered (200). */
export const GOOD_MONITORING_QUERIES = [
  '/api/monitoring/warnings?asOfEffective=2024-02-29&status=open&category=roads',
  '/api/monitoring/warnings?knownAt=2024-09-05T18:00:00%2B08:00',
  '/api/monitoring/warnings?knownAt=0&region=yunnan/kunming',
  '/api/monitoring/rules?knownAt=1',
];
