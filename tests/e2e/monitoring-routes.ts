import { bureauDayOf } from '@fundtrail/calendar';
import { warningId } from '@fundtrail/funding';
import type { Role } from '@fundtrail/auth';
import type { ApiHarness } from '../support/api-harness';
import { bearer, describeResponse, type Fixtures } from './support-fixtures';

/** The role-matrix rows of the monitoring endpoints (their shape is the matrix's RouteRow). */

const READERS: readonly Role[] = ['clerk', 'budget-officer', 'auditor', 'analyst'];
const DISPOSERS: readonly Role[] = ['budget-officer', 'auditor'];

/** A rule of its own per call: every execution rate is behind 100% by 1 January, so the fixture project is warned. */
const scheduleRule = (ruleId: string) => ({ ruleId, kind: 'execution-lag', params: { checkpoints: [{ by: '01-01', minExecutionRate: '100' }] } });
const today = () => bureauDayOf(new Date());
/** The warning that rule raises on the fixture project today. */
export const fixtureWarning = (f: Fixtures, ruleId: string) => warningId(ruleId, f.projectId, `checkpoint/${today().slice(0, 4)}-01-01`);

async function postRule(api: ApiHarness, ruleId: string): Promise<void> {
  const response = await api.http
    .post('/api/monitoring/rules')
    .set('Authorization', bearer(api.token('admin')))
    .send(scheduleRule(ruleId));
  if (response.status !== 201) throw new Error(`prepare rule ${ruleId}: ${describeResponse(response)}`);
}

const dispose = (action: 'acknowledge' | 'explain' | 'resolve', name: string) => ({
  name,
  method: 'post' as const,
  path: (f: Fixtures, uid: string) => `/api/monitoring/warnings/${fixtureWarning(f, uid)}/${action}`,
  allowed: DISPOSERS,
  body: () => (action === 'acknowledge' ? {} : { note: '已核实' }),
  prepare: (api: ApiHarness, _f: Fixtures, uid: string) => postRule(api, uid),
  okStatus: 201,
});

export const MONITORING_ROUTES = [
  {
    name: 'DefineMonitoringRule',
    method: 'post' as const,
    path: () => '/api/monitoring/rules',
    allowed: ['budget-officer'] as readonly Role[],
    body: (_f: Fixtures, uid: string) => ({ ruleId: uid, kind: 'over-arrival', params: {} }),
    okStatus: 201,
    answer: { rules: [expect.objectContaining({ version: 1, changed: true })] },
  },
  {
    name: 'AdoptDefaultMonitoringRules',
    method: 'post' as const,
    path: () => '/api/monitoring/rules/defaults',
    allowed: ['budget-officer'] as readonly Role[],
    body: () => ({}),
    okStatus: 201,
    answer: { rules: expect.any(Array) },
  },
  { name: 'ListMonitoringRules', method: 'get' as const, path: () => '/api/monitoring/rules', allowed: READERS, okStatus: 200 },
  { name: 'ListWarnings', method: 'get' as const, path: () => '/api/monitoring/warnings?status=open', allowed: READERS, okStatus: 200 },
  {
    name: 'GetWarning',
    method: 'get' as const,
    path: (f: Fixtures) => `/api/monitoring/warnings/${fixtureWarning(f, 'rm-watch')}`,
    allowed: READERS,
    prepare: (api: ApiHarness) => postRule(api, 'rm-watch'),
    okStatus: 200,
  },
  dispose('acknowledge', 'AcknowledgeWarning'),
  dispose('explain', 'ExplainWarning'),
  dispose('resolve', 'ResolveWarning'),
];
