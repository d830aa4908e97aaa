import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Response } from 'supertest';
import { ROLES, type Role } from '@fundtrail/auth';
import { type ApiHarness, startApi, TEST_JWT_SECRET } from '../support/api-harness';
import { MONITORING_ROUTES } from './monitoring-routes';
import { bearer, createFixtures, describeResponse, type Fixtures, PROBLEM_JSON, uniqueId } from './support-fixtures';

/**
 * DESIGN §5: who may call what. Every route × every role; admin may do everything.
 * The table has a `method` column so GET routes can be appended as they land.
 */
interface RouteRow {
  name: string;
  method: 'post' | 'get';
  /** The path to call, given the fixtures and an id unique to this call. */
  path: (f: Fixtures, uid: string) => string;
  /** Roles DESIGN §5 names; admin is added by the suite. */
  allowed: readonly Role[];
  /** A valid body (POST), unique per call so an allowed call succeeds. */
  body?: (f: Fixtures, uid: string) => object;
  /** Set-up done with an admin token before an allowed call (e.g. a disbursement to reverse). */
  prepare?: (api: ApiHarness, f: Fixtures, uid: string) => Promise<void>;
  /** Status an allowed call answers with (201 for commands). */
  okStatus: number;
  /** Fields a command answers with beyond where its events landed. */
  answer?: object;
}

/** A fact posted with an admin token for a correction to point at. */
async function prepared(api: ApiHarness, path: string, body: object): Promise<void> {
  const response = await api.http
    .post(path)
    .set('Authorization', bearer(api.token('admin')))
    .send(body);
  if (response.status !== 201) throw new Error(`prepare ${path}: ${describeResponse(response)}`);
}

const ROUTES: readonly RouteRow[] = [
  {
    name: 'RegisterProject',
    method: 'post',
    path: () => '/api/projects',
    allowed: ['budget-officer'],
    body: (_f, uid) => ({ projectId: uid, name: '新项目', department: '区发改局', category: 'roads', plannedTotal: '100.00' }),
    okStatus: 201,
  },
  {
    name: 'RevisePlannedTotal',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/planned-total`,
    allowed: ['budget-officer'],
    body: () => ({ amount: '1000000001.00', reason: '概算调整' }),
    okStatus: 201,
  },
  {
    name: 'AllocateFunds',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/allocations`,
    allowed: ['budget-officer'],
    body: (_f, uid) => ({ allocationId: uid, source: 'district-budget', amount: '10.00', fiscalYear: 2024 }),
    okStatus: 201,
  },
  {
    name: 'ReceiveFunds',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/receipts`,
    allowed: ['clerk', 'budget-officer'],
    body: (_f, uid) => ({ receiptId: uid, source: 'municipal-subsidy', amount: '10.00' }),
    okStatus: 201,
  },
  {
    name: 'SignContract',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/contracts`,
    allowed: ['clerk', 'budget-officer'],
    body: (_f, uid) => ({ contractId: uid, counterparty: '某建设公司', amount: '10.00' }),
    okStatus: 201,
  },
  {
    name: 'RecordDisbursement',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/disbursements`,
    allowed: ['clerk'],
    body: (f, uid) => ({ disbursementId: uid, amount: '1.00', category: 'construction', receiptId: f.receiptId }),
    okStatus: 201,
  },
  {
    name: 'ReverseDisbursement',
    method: 'post',
    path: (f, uid) => `/api/projects/${f.projectId}/disbursements/${uid}/reversal`,
    allowed: ['budget-officer'],
    body: () => ({ reason: '重复录入' }),
    prepare: async (api, f, uid) => {
      const paid = await api.http
        .post(`/api/projects/${f.projectId}/disbursements`)
        .set('Authorization', bearer(api.token('admin')))
        .send({ disbursementId: uid, amount: '1.00', category: 'other' });
      if (paid.status !== 201) throw new Error(`prepare reversal: ${describeResponse(paid)}`);
    },
    okStatus: 201,
  },
  {
    name: 'SetOutputTarget',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/indicators`,
    allowed: ['budget-officer'],
    body: (_f, uid) => ({ indicatorId: uid, name: '新增管网长度', unit: '公里', target: '12.5' }),
    okStatus: 201,
  },
  {
    name: 'ReportOutput',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/indicators/${f.indicatorId}/actuals`,
    allowed: ['budget-officer'],
    body: () => ({ actual: '500.25' }),
    okStatus: 201,
  },
  {
    name: 'IssueBond',
    method: 'post',
    path: () => '/api/bonds',
    allowed: ['budget-officer'],
    body: (_f, uid) => ({ bondId: uid, name: '2024年专项债券', kind: 'special', amount: '100.00', issueDate: '2024-03-01' }),
    okStatus: 201,
  },
  {
    name: 'AssignBondProceeds',
    method: 'post',
    path: (f) => `/api/bonds/${f.bondId}/assignments`,
    allowed: ['budget-officer'],
    body: (f, uid) => ({ assignmentId: uid, projectId: f.projectId, amount: '1.00' }),
    okStatus: 201,
  },
  {
    name: 'ApprovePayment',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/payment-approvals`,
    allowed: ['budget-officer'],
    body: (_f, uid) => ({ approvalId: uid, amount: '1.00' }),
    okStatus: 201,
  },
  {
    name: 'ReportInvestmentCompleted',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/investment-completed`,
    allowed: ['budget-officer'],
    body: () => ({ amount: '0.5', amountUnit: 'wan' }),
    okStatus: 201,
  },
  {
    name: 'ReverseReceipt',
    method: 'post',
    path: (f, uid) => `/api/projects/${f.projectId}/receipts/${uid}/reversal`,
    allowed: ['budget-officer'],
    body: () => ({ reason: '重复录入' }),
    prepare: (api, f, uid) => prepared(api, `/api/projects/${f.projectId}/receipts`, { receiptId: uid, source: 'other', amount: '1.00' }),
    okStatus: 201,
  },
  {
    name: 'ReverseAllocation',
    method: 'post',
    path: (f, uid) => `/api/projects/${f.projectId}/allocations/${uid}/reversal`,
    allowed: ['budget-officer'],
    body: () => ({ reason: '文号录错' }),
    prepare: (api, f, uid) =>
      prepared(api, `/api/projects/${f.projectId}/allocations`, { allocationId: uid, source: 'district-budget', amount: '1.00', fiscalYear: 2024 }),
    okStatus: 201,
  },
  {
    name: 'AmendContract',
    method: 'post',
    path: (f, uid) => `/api/projects/${f.projectId}/contracts/${uid}/amendment`,
    allowed: ['budget-officer'],
    body: () => ({ amount: '20.00', reason: '补充协议' }),
    prepare: (api, f, uid) => prepared(api, `/api/projects/${f.projectId}/contracts`, { contractId: uid, counterparty: '某建设公司', amount: '10.00' }),
    okStatus: 201,
  },
  {
    name: 'ReversePaymentApproval',
    method: 'post',
    path: (f, uid) => `/api/projects/${f.projectId}/payment-approvals/${uid}/reversal`,
    allowed: ['budget-officer'],
    body: () => ({ reason: '核拨撤回' }),
    prepare: (api, f, uid) => prepared(api, `/api/projects/${f.projectId}/payment-approvals`, { approvalId: uid, amount: '1.00' }),
    okStatus: 201,
  },
  {
    name: 'ReviseOutputTarget',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/indicators/${f.indicatorId}/target`,
    allowed: ['budget-officer'],
    body: () => ({ target: '1200', reason: '绩效目标调整' }),
    okStatus: 201,
  },
  {
    name: 'WithdrawIndicator',
    method: 'post',
    path: (f, uid) => `/api/projects/${f.projectId}/indicators/${uid}/withdrawal`,
    allowed: ['budget-officer'],
    body: () => ({ reason: '指标录错' }),
    prepare: (api, f, uid) => prepared(api, `/api/projects/${f.projectId}/indicators`, { indicatorId: uid, name: '多余指标', unit: '个', target: '1' }),
    okStatus: 201,
  },
  {
    name: 'ReverseBondAssignment',
    method: 'post',
    path: (f, uid) => `/api/bonds/${f.bondId}/assignments/${uid}/reversal`,
    allowed: ['budget-officer'],
    body: () => ({ reason: '分配有误' }),
    prepare: (api, f, uid) => prepared(api, `/api/bonds/${f.bondId}/assignments`, { assignmentId: uid, projectId: f.projectId, amount: '1.00' }),
    okStatus: 201,
  },
  // Figures in time: as of a day, as known at a moment; restatement and the back-dating report.
  {
    name: 'ProjectFiguresAsOf',
    method: 'get',
    path: (f) => `/api/projects/${f.projectId}/figures?asOfEffective=2200-12-31&knownAt=9223372036854775807`,
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    okStatus: 200,
  },
  {
    name: 'TraceFigureAsOf',
    method: 'get',
    path: (f) => `/api/projects/${f.projectId}/figures/received_total/trace?asOfEffective=2200-12-31`,
    allowed: ['auditor', 'analyst'],
    okStatus: 200,
  },
  {
    name: 'Restatement',
    method: 'get',
    path: (f) => `/api/projects/${f.projectId}/figures/received_total/restatement?asOfEffective=2200-12-31&knownAt=9223372036854775807`,
    allowed: ['auditor', 'analyst'],
    okStatus: 200,
  },
  { name: 'Backdated', method: 'get', path: () => '/api/audit/backdated?graceDays=30', allowed: ['auditor'], okStatus: 200 },
  {
    name: 'ProjectSeries',
    method: 'get',
    path: (f) => `/api/projects/${f.projectId}/series?keys=received_total&interval=quarter`,
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    okStatus: 200,
  },
  {
    name: 'PortfolioSeries',
    method: 'get',
    path: () => '/api/portfolio/series?interval=year',
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    okStatus: 200,
  },
  {
    name: 'RegisterProgramme',
    method: 'post',
    path: () => '/api/programmes',
    allowed: ['budget-officer'],
    body: (f, uid) => ({ programmeId: uid, name: '新专项', parentId: f.programmeId, level: 'county' }),
    okStatus: 201,
  },
  {
    name: 'SetProgrammeOutputTarget',
    method: 'post',
    path: (f) => `/api/programmes/${f.programmeId}/indicators`,
    allowed: ['budget-officer'],
    body: (_f, uid) => ({ indicatorId: uid, name: '新改建公路', unit: '公里', target: '12.5' }),
    okStatus: 201,
  },
  {
    name: 'ReportProgrammeOutput',
    method: 'post',
    path: (f) => `/api/programmes/${f.programmeId}/indicators/${f.programmeIndicatorId}/actuals`,
    allowed: ['budget-officer'],
    body: () => ({ actual: '7.5' }),
    okStatus: 201,
  },
  {
    name: 'ChangeProjectProgramme',
    method: 'post',
    path: (f) => `/api/projects/${f.projectId}/programme`,
    allowed: ['budget-officer'],
    body: (_f, uid) => ({ programmeId: uid, reason: '划归新专项' }),
    // A programme of its own to move to, so every allowed call is a real move.
    prepare: async (api, _f, uid) => {
      const made = await api.http
        .post('/api/programmes')
        .set('Authorization', bearer(api.token('admin')))
        .send({ programmeId: uid, name: '目标专项' });
      if (made.status !== 201) throw new Error(`prepare programme: ${describeResponse(made)}`);
    },
    okStatus: 201,
  },
  {
    name: 'GetProgramme',
    method: 'get',
    path: (f) => `/api/programmes/${f.programmeId}`,
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    okStatus: 200,
  },
  {
    name: 'ListProjects',
    method: 'get',
    path: () => '/api/projects?sort=execution_rate&filter=execution_rate%3C60&region=yunnan',
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    okStatus: 200,
  },
  {
    name: 'PortfolioFigures',
    method: 'get',
    path: () => '/api/portfolio/figures?region=yunnan&asOfEffective=2024-06-30',
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    okStatus: 200,
  },
  {
    name: 'PortfolioBreakdown',
    method: 'get',
    path: (f) => `/api/portfolio/breakdown?by=programme&programme=${f.programmeId}`,
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    okStatus: 200,
  },
  // Like a project's trace: the roles that audit and analyse.
  {
    name: 'PortfolioTrace',
    method: 'get',
    path: () => '/api/portfolio/figures/execution_rate/trace?knownAt=1',
    allowed: ['auditor', 'analyst'],
    okStatus: 200,
  },
  // Exports: the roles that analyse, audit and publish the portfolio; a clerk enters data and does not take it away.
  {
    name: 'ExportFiguresXlsx',
    method: 'get',
    path: () => '/api/exports/figures.xlsx',
    allowed: ['analyst', 'auditor', 'budget-officer'],
    okStatus: 200,
  },
  {
    name: 'ExportFiguresCsv',
    method: 'get',
    path: () => '/api/exports/figures.csv?category=testing',
    allowed: ['analyst', 'auditor', 'budget-officer'],
    okStatus: 200,
  },
  // Published reports: an auditor or a budget officer records one; everyone may read one and its reconciliation.
  {
    name: 'PublishReport',
    method: 'post',
    path: () => '/api/reports',
    allowed: ['auditor', 'budget-officer'],
    body: (f, uid) => reportBody(f, uid),
    okStatus: 201,
  },
  { name: 'ListReports', method: 'get', path: () => '/api/reports', allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'], okStatus: 200 },
  {
    name: 'GetReport',
    method: 'get',
    path: (_f, uid) => `/api/reports/${uid}`,
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    prepare: publishReport,
    okStatus: 200,
  },
  {
    name: 'ReconcileReport',
    method: 'get',
    path: (_f, uid) => `/api/reports/${uid}/reconciliation`,
    allowed: ['clerk', 'budget-officer', 'auditor', 'analyst'],
    prepare: publishReport,
    okStatus: 200,
  },
  ...MONITORING_ROUTES,
];

function reportBody(f: Fixtures, uid: string): object {
  return {
    reportId: uid,
    title: '权限矩阵测试报告',
    statedFigures: [
      {
        statedId: 'received',
        scope: { projectId: f.projectId },
        key: 'received_total',
        stated: '50,000.00',
        unit: 'wan',
        citation: { section: '一', quote: '到位资金50,000.00万元' },
      },
    ],
  };
}

async function publishReport(api: ApiHarness, f: Fixtures, uid: string): Promise<void> {
  const response = await api.http
    .post('/api/reports')
    .set('Authorization', bearer(api.token('admin', 'rm-admin')))
    .send(reportBody(f, uid));
  if (response.status !== 201) throw new Error(`publishing report ${uid}: ${describeResponse(response)}`);
}

const ALL_ROLES: readonly Role[] = ['clerk', 'budget-officer', 'auditor', 'analyst', 'admin'];

function mayCall(route: RouteRow, role: Role): boolean {
  return role === 'admin' || route.allowed.includes(role);
}

const MATRIX = ROUTES.flatMap((route) => ALL_ROLES.map((role) => ({ route, role, allowed: mayCall(route, role) })));

// ---- tokens that must never authenticate ------------------------------------------------------

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** header.payload.signature, signed with HMAC-SHA256 whatever the header claims. */
function handMade(header: object, payload: object, secret: string | null = TEST_JWT_SECRET): string {
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  if (secret === null) return `${signingInput}.`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

const validClaims = (role: string = 'admin') => ({ sub: 'mallory', role, iss: 'fundtrail', iat: now(), exp: now() + 3600 });

interface BadAuthRow {
  name: string;
  /** The Authorization header; undefined = not sent. */
  header: () => string | undefined;
  code: 'UNAUTHENTICATED' | 'INVALID_TOKEN' | 'TOKEN_EXPIRED';
}

const BAD_AUTH: readonly BadAuthRow[] = [
  { name: 'no Authorization header', header: () => undefined, code: 'UNAUTHENTICATED' },
  { name: 'empty Authorization header', header: () => '', code: 'UNAUTHENTICATED' },
  { name: 'scheme without token ("Bearer")', header: () => 'Bearer', code: 'INVALID_TOKEN' },
  { name: 'scheme and blank ("Bearer ")', header: () => 'Bearer ', code: 'INVALID_TOKEN' },
  { name: 'Basic credentials', header: () => `Basic ${Buffer.from('admin:admin').toString('base64')}`, code: 'INVALID_TOKEN' },
  {
    name: 'token without the Bearer scheme',
    header: () => jwt.sign(validClaims(), TEST_JWT_SECRET, { algorithm: 'HS256' }),
    code: 'INVALID_TOKEN',
  },
  { name: 'not a JWT ("Bearer abc")', header: () => 'Bearer abc', code: 'INVALID_TOKEN' },
  { name: 'two segments only', header: () => 'Bearer abc.def', code: 'INVALID_TOKEN' },
  { name: 'garbage segments', header: () => 'Bearer a.b.c', code: 'INVALID_TOKEN' },
  { name: 'four segments', header: () => `Bearer ${jwt.sign(validClaims(), TEST_JWT_SECRET)}.x`, code: 'INVALID_TOKEN' },
  { name: 'two tokens', header: () => `Bearer ${jwt.sign(validClaims(), TEST_JWT_SECRET)} ${jwt.sign(validClaims(), TEST_JWT_SECRET)}`, code: 'INVALID_TOKEN' },
  {
    name: 'signed with another secret',
    header: () => bearer(jwt.sign(validClaims(), 'another-secret-that-is-also-long-enough-0123456789', { algorithm: 'HS256' })),
    code: 'INVALID_TOKEN',
  },
  {
    name: 'signature of another token',
    header: () => {
      const [h, p] = jwt.sign(validClaims('admin'), 'attacker-secret-0123456789-0123456789-0123').split('.');
      const s = jwt.sign(validClaims('clerk'), TEST_JWT_SECRET).split('.')[2];
      return bearer(`${h}.${p}.${s}`);
    },
    code: 'INVALID_TOKEN',
  },
  {
    name: 'expired token',
    header: () => bearer(jwt.sign({ ...validClaims(), iat: now() - 7200, exp: now() - 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })),
    code: 'TOKEN_EXPIRED',
  },
  {
    name: 'not yet valid (nbf in an hour)',
    header: () => bearer(jwt.sign({ ...validClaims(), nbf: now() + 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })),
    code: 'INVALID_TOKEN',
  },
  { name: 'alg: none, empty signature', header: () => bearer(handMade({ alg: 'none', typ: 'JWT' }, validClaims(), null)), code: 'INVALID_TOKEN' },
  { name: 'alg: none, HMAC signature kept', header: () => bearer(handMade({ alg: 'none', typ: 'JWT' }, validClaims())), code: 'INVALID_TOKEN' },
  { name: 'alg: None (capitalised)', header: () => bearer(handMade({ alg: 'None', typ: 'JWT' }, validClaims(), null)), code: 'INVALID_TOKEN' },
  {
    name: 'RS256 header, HMAC-signed with the secret (algorithm confusion)',
    header: () => bearer(handMade({ alg: 'RS256', typ: 'JWT' }, validClaims())),
    code: 'INVALID_TOKEN',
  },
  {
    name: 'RS256 header, junk signature',
    header: () => bearer(handMade({ alg: 'RS256', typ: 'JWT', kid: 'k1' }, validClaims(), 'whatever')),
    code: 'INVALID_TOKEN',
  },
  {
    name: 'HS512 with the right secret (only HS256 is accepted)',
    header: () => bearer(jwt.sign(validClaims(), TEST_JWT_SECRET, { algorithm: 'HS512' })),
    code: 'INVALID_TOKEN',
  },
  { name: 'role not one of the five ("superuser")', header: () => bearer(jwt.sign(validClaims('superuser'), TEST_JWT_SECRET)), code: 'INVALID_TOKEN' },
  { name: 'role in another case ("Admin")', header: () => bearer(jwt.sign(validClaims('Admin'), TEST_JWT_SECRET)), code: 'INVALID_TOKEN' },
  {
    name: 'role as an array (["admin"])',
    header: () => bearer(jwt.sign({ ...validClaims(), role: ['admin'] }, TEST_JWT_SECRET)),
    code: 'INVALID_TOKEN',
  },
  {
    name: 'no role claim',
    header: () => {
      const { role: _role, ...claims } = validClaims();
      return bearer(jwt.sign(claims, TEST_JWT_SECRET));
    },
    code: 'INVALID_TOKEN',
  },
  {
    name: 'no sub claim',
    header: () => {
      const { sub: _sub, ...claims } = validClaims();
      return bearer(jwt.sign(claims, TEST_JWT_SECRET));
    },
    code: 'INVALID_TOKEN',
  },
  {
    name: 'sub with a space and newline',
    header: () => bearer(jwt.sign({ ...validClaims(), sub: 'evil user\nadmin' }, TEST_JWT_SECRET)),
    code: 'INVALID_TOKEN',
  },
  { name: 'sub of 129 characters', header: () => bearer(jwt.sign({ ...validClaims(), sub: `a${'b'.repeat(128)}` }, TEST_JWT_SECRET)), code: 'INVALID_TOKEN' },
  { name: 'another issuer', header: () => bearer(jwt.sign({ ...validClaims(), iss: 'someone-else' }, TEST_JWT_SECRET)), code: 'INVALID_TOKEN' },
  {
    name: 'no exp claim (a token that would never expire)',
    header: () => {
      const { exp: _exp, ...claims } = validClaims();
      return bearer(jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS256' }));
    },
    code: 'INVALID_TOKEN',
  },
  {
    name: 'no issuer',
    header: () => {
      const { iss: _iss, ...claims } = validClaims();
      return bearer(jwt.sign(claims, TEST_JWT_SECRET));
    },
    code: 'INVALID_TOKEN',
  },
  { name: 'payload is a JSON string, not an object', header: () => bearer(jwt.sign('admin', TEST_JWT_SECRET)), code: 'INVALID_TOKEN' },
  { name: 'header is not JSON', header: () => bearer(`${b64url('{nope')}.${b64url(JSON.stringify(validClaims()))}.${b64url('sig')}`), code: 'INVALID_TOKEN' },
  { name: 'token of 10,000 characters', header: () => bearer(`${'a'.repeat(5_000)}.${'b'.repeat(5_000)}.c`), code: 'INVALID_TOKEN' },
];

describe('role matrix (DESIGN §5)', () => {
  let api: ApiHarness;
  let f: Fixtures;
  beforeAll(async () => {
    api = await startApi();
    f = await createFixtures(api, 'rm');
  });
  afterAll(async () => api?.close());

  it('the table names every role of libs/auth', () => {
    expect([...ALL_ROLES].sort()).toEqual([...ROLES].sort());
  });

  async function call(route: RouteRow, uid: string, authorization: string | undefined): Promise<Response> {
    const path = route.path(f, uid);
    let req = route.method === 'post' ? api.http.post(path) : api.http.get(path);
    if (authorization !== undefined) req = req.set('Authorization', authorization);
    return route.method === 'post' ? req.send(route.body?.(f, uid) ?? {}) : req;
  }

  describe.each(MATRIX.filter((m) => !m.allowed).map((m) => [m.route.method.toUpperCase(), m.route.name, m.role, m.route] as const))(
    '%s %s as %s',
    (_method, _name, role, route) => {
      it('is refused: 403 problem+json FORBIDDEN, nothing appended', async () => {
        const uid = uniqueId(`rm-${role}`);
        await route.prepare?.(api, f, uid);
        const before = await api.eventCount();
        const response = await call(route, uid, bearer(api.token(role, `${role}-matrix`)));
        expect({ status: response.status, code: response.body?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
        expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(response.body).toMatchObject({ status: 403, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
        expect(response.headers['idempotency-replayed']).toBeUndefined();
        expect(await api.eventCount()).toBe(before);
      });
    },
  );

  describe.each(MATRIX.filter((m) => m.allowed).map((m) => [m.route.method.toUpperCase(), m.route.name, m.role, m.route] as const))(
    '%s %s as %s',
    (_method, _name, role, route) => {
      it(`is allowed: not 401/403, ${route.okStatus} with a valid body`, async () => {
        const uid = uniqueId(`rm-${role}`);
        await route.prepare?.(api, f, uid);
        const before = await api.eventCount();
        const response = await call(route, uid, bearer(api.token(role, `${role}-matrix`)));
        expect([401, 403]).not.toContain(response.status);
        if (response.status !== route.okStatus) throw new Error(`expected ${route.okStatus}, got ${describeResponse(response)}`);
        if (route.method === 'post') {
          expect(response.body).toEqual({
            streamId: expect.any(String),
            streamRevision: expect.any(Number),
            globalPosition: expect.any(Number),
            eventIds: expect.any(Array),
            ...route.answer,
          });
          expect(await api.eventCount()).toBe(before + response.body.eventIds.length);
        }
      });
    },
  );

  describe.each(BAD_AUTH.map((row) => [row.name, row] as const))('credentials: %s', (_name, row) => {
    it.each(ROUTES.map((route) => [route.method.toUpperCase(), route.name, route] as const))(
      `%s %s -> 401 ${row.code}, nothing appended`,
      async (_method, _route, route) => {
        const uid = uniqueId('rm-anon');
        const before = await api.eventCount();
        const response = await call(route, uid, row.header());
        expect({ status: response.status, code: response.body?.code }).toEqual({ status: 401, code: row.code });
        expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
        expect(await api.eventCount()).toBe(before);
      },
    );
  });

  describe('authentication and authorisation come before body validation', () => {
    it.each(ROUTES.filter((r) => r.method === 'post').map((route) => [route.name, route] as const))(
      '%s: no token + invalid body -> 401, not 400',
      async (_name, route) => {
        const response = await api.http.post(route.path(f, 'x-unused')).send({ junk: true });
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('UNAUTHENTICATED');
      },
    );
    it.each(ROUTES.filter((r) => r.method === 'post' && !r.allowed.includes('analyst')).map((route) => [route.name, route] as const))(
      '%s: analyst + invalid body -> 403, not 400',
      async (_name, route) => {
        const response = await api.http
          .post(route.path(f, 'x-unused'))
          .set('Authorization', bearer(api.token('analyst')))
          .send({ junk: true });
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('FORBIDDEN');
      },
    );
  });

  describe('a receipt naming a bond assigned here: every role that may post receipts is refused (only the assignment writes it)', () => {
    beforeAll(async () => {
      await api.http
        .post(`/api/bonds/${f.bondId}/assignments`)
        .set('Authorization', bearer(api.token('admin')))
        .send({ assignmentId: 'rm-linked', projectId: f.projectId, amount: '1.00' })
        .expect(201);
    });
    it.each(
      ALL_ROLES.filter((role) =>
        mayCall(
          ROUTES.find((r) => r.name === 'ReceiveFunds')!,
          role,
        ),
      ).map((role) => [role] as const),
    )('%s: 422 BOND_RECEIPT_BY_ASSIGNMENT, nothing appended', async (role) => {
      const before = await api.eventCount();
      const response = await api.http
        .post(`/api/projects/${f.projectId}/receipts`)
        .set('Authorization', bearer(api.token(role, `${role}-matrix`)))
        .send({ receiptId: uniqueId(`rm-bond-${role}`), source: 'special-bond', amount: '1.00', bondId: f.bondId });
      expect({ status: response.status, code: response.body?.code }).toEqual({ status: 422, code: 'BOND_RECEIPT_BY_ASSIGNMENT' });
      expect(await api.eventCount()).toBe(before);
    });
  });

  describe('exports: the role is checked first, then the filter', () => {
    it('a clerk is refused even with a valid filter; an analyst with a bad filter gets 400', async () => {
      const clerk = await api.http.get('/api/exports/figures.csv?fiscalYear=2024').set('Authorization', bearer(api.token('clerk')));
      expect({ status: clerk.status, code: clerk.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      const analyst = await api.http.get('/api/exports/figures.csv?fiscalYear=24').set('Authorization', bearer(api.token('analyst')));
      expect({ status: analyst.status, code: analyst.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });

  it("OpenAPI documents the exports with every portfolio filter, the roles' refusals and the local sign-in", async () => {
    const document = (await api.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
    };
    for (const path of ['/api/exports/figures.xlsx', '/api/exports/figures.csv']) {
      const operation = document.paths[path].get;
      const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect(query).toEqual(expect.arrayContaining(['programme', 'region', 'department', 'category', 'fiscalYear', 'minPosition']));
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    }
    expect(Object.keys(document.paths['/api/dashboard/local-token'].post.responses)).toEqual(expect.arrayContaining(['201', '403', '404']));
    expect(document.paths['/dashboard']).toBeUndefined();
  });

  describe('the dashboard page is public; local sign-in does not exist outside embedded mode', () => {
    it('GET /dashboard answers the page without a token, under its own Content-Security-Policy', async () => {
      const response = await api.http.get('/dashboard');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(response.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
      expect(response.text).not.toMatch(/<script>|<script [^>]*>[^<]/);
    });
    it("a file that is not one of the dashboard's is 404", async () => {
      expect((await api.http.get('/dashboard/assets/..%2F..%2Fmain.js')).status).toBe(404);
      expect((await api.http.get('/dashboard/assets/package.json')).status).toBe(404);
    });
    it('with DATABASE_URL set: sign-in options say so, and POST /api/dashboard/local-token is 404 for everyone', async () => {
      expect((await api.http.get('/api/dashboard/sign-in')).body).toEqual({ localToken: false });
      const response = await api.http.post('/api/dashboard/local-token').set('X-FundTrail-Dashboard', 'sign-in');
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    });
  });

  it('a forbidden role cannot slip through under an Idempotency-Key the allowed role used', async () => {
    const uid = uniqueId('rm-idem');
    const body = { disbursementId: uid, amount: '1.00', category: 'other' };
    const path = `/api/projects/${f.projectId}/disbursements`;
    const first = await api.http
      .post(path)
      .set('Authorization', bearer(api.token('clerk', 'clerk-idem')))
      .set('Idempotency-Key', `k-${uid}`)
      .send(body);
    expect(first.status).toBe(201);
    const before = await api.eventCount();
    const replayAsAnalyst = await api.http
      .post(path)
      .set('Authorization', bearer(api.token('analyst', 'clerk-idem')))
      .set('Idempotency-Key', `k-${uid}`)
      .send(body);
    expect(replayAsAnalyst.status).toBe(403);
    expect(replayAsAnalyst.body.code).toBe('FORBIDDEN');
    expect(await api.eventCount()).toBe(before);
  });
});
