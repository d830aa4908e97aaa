import type { Response } from 'supertest';
import type { ApiHarness } from '../support/api-harness';

/** Shared helpers of the role-matrix and bad-input suites (DESIGN §5). */

export const PROBLEM_JSON = /^application\/problem\+json\b/;

let counter = 0;
/** A slug unique within this process: `${prefix}-${n}` (prefix must itself be a slug start). */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export const bearer = (token: string) => `Bearer ${token}`;

/** Fixtures every suite posts against, created with an admin token. */
export interface Fixtures {
  projectId: string;
  receiptId: string;
  disbursementId: string;
  indicatorId: string;
  bondId: string;
  programmeId: string;
  programmeIndicatorId: string;
}

async function expect201(what: string, response: Response): Promise<Response> {
  if (response.status !== 201) {
    throw new Error(`fixture ${what}: expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response;
}

/**
 * A project with plenty of money received (so disbursements succeed), one disbursement, one
 * indicator, a programme with one indicator, and a bond with plenty of unassigned proceeds. Ids are prefixed so suites can share
 * a database without colliding.
 */
export async function createFixtures(api: ApiHarness, prefix: string): Promise<Fixtures> {
  const admin = bearer(api.token('admin', `${prefix}-admin`));
  const f: Fixtures = {
    projectId: `${prefix}-project`,
    receiptId: `${prefix}-receipt`,
    disbursementId: `${prefix}-disbursement`,
    indicatorId: `${prefix}-indicator`,
    bondId: `${prefix}-bond`,
    programmeId: `${prefix}-programme`,
    programmeIndicatorId: `${prefix}-programme-indicator`,
  };
  const post = (path: string, body: object) => api.http.post(path).set('Authorization', admin).send(body);
  await expect201(
    'project',
    await post('/api/projects', {
      projectId: f.projectId,
      name: '权限矩阵测试项目',
      department: '区财政局',
      category: 'testing',
      plannedTotal: '1000000000.00',
    }),
  );
  await expect201(
    'receipt',
    await post(`/api/projects/${f.projectId}/receipts`, { receiptId: f.receiptId, source: 'district-budget', amount: '500000000.00' }),
  );
  await expect201(
    'disbursement',
    await post(`/api/projects/${f.projectId}/disbursements`, { disbursementId: f.disbursementId, amount: '1.00', category: 'other', receiptId: f.receiptId }),
  );
  await expect201(
    'indicator',
    await post(`/api/projects/${f.projectId}/indicators`, { indicatorId: f.indicatorId, name: '完成量', unit: '吨', target: '1000' }),
  );
  await expect201('programme', await post('/api/programmes', { programmeId: f.programmeId, name: '测试专项', level: 'prefecture', region: 'yunnan/kunming' }));
  await expect201(
    'programme indicator',
    await post(`/api/programmes/${f.programmeId}/indicators`, { indicatorId: f.programmeIndicatorId, name: '新改建公路', unit: '公里', target: '100' }),
  );
  await expect201(
    'bond',
    await post('/api/bonds', { bondId: f.bondId, name: '测试专项债券', kind: 'special', amount: '1000000000.00', issueDate: '2024-01-15' }),
  );
  return f;
}

/** Field names named in a problem's errors[]. */
export function problemFields(response: Response): string[] {
  const errors = (response.body as { errors?: { field?: unknown }[] }).errors;
  return Array.isArray(errors) ? errors.map((e) => String(e.field)) : [];
}

/** A short, readable description of a response for failure messages. */
export function describeResponse(response: Response): string {
  const text = response.text ?? '';
  return `${response.status} ${response.headers['content-type'] ?? '-'} ${text.length > 600 ? `${text.slice(0, 600)}…` : text}`;
}
