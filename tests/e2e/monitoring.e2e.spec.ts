import { createHash, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { EVENT_STORE, type EventStore, FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { BondsProjector, ProjectFiguresProjector, rebuildReadModels } from '@fundtrail/projections';
import { type ApiHarness, startApi } from '../support/api-harness';
import { bearer, describeResponse, PROBLEM_JSON } from './support-fixtures';

/**
 * Monitoring over HTTP: projects with dated receipts and payments, rules posted as data, the
 * warnings at two dates checked against arithmetic done here by hand, dispositions with the actor
 * from the token, and ids that a rebuild of the read models leaves as they were.
 */

/** The id a warning must have, computed here from its definition (rule, project, subject), not with the product's function. */
const expectedId = (ruleId: string, projectId: string, subject: string) =>
  `w-${createHash('sha256')
    .update(JSON.stringify(['fundtrail/monitoring-warning', ruleId, projectId, subject]))
    .digest('hex')
    .slice(0, 32)}`;

interface Listed {
  warningId: string;
  ruleId: string;
  ruleVersion: number;
  projectId: string;
  subject: string;
  raisedAsOf: string;
  figure: string;
  value: string;
  threshold: string;
  status: string;
  trace: { appliedRuleVersion?: number; terms?: unknown[] };
}

describe('monitoring over HTTP', () => {
  let api: ApiHarness;
  let admin: string;
  let officer: string;
  let auditor: string;
  let lastPosition = 0;
  const roads = 'mon-roads';
  const parks = 'mon-parks';

  const post = async (token: string, path: string, body: object): Promise<Response> => {
    const response = await api.http.post(path).set('Authorization', token).send(body);
    if (response.status === 201 && typeof response.body.globalPosition === 'number') lastPosition = Math.max(lastPosition, response.body.globalPosition);
    return response;
  };
  const must = async (token: string, path: string, body: object) => {
    const response = await post(token, path, body);
    if (response.status !== 201) throw new Error(`${path}: ${describeResponse(response)}`);
    return response;
  };
  const warningsAsOf = async (date: string, extra = ''): Promise<Listed[]> => {
    const response = await api.http.get(`/api/monitoring/warnings?asOfEffective=${date}&minPosition=${lastPosition}${extra}`).set('Authorization', auditor);
    expect(response.status).toBe(200);
    expect(response.headers['fundtrail-as-of-effective']).toBe(date);
    return response.body as Listed[];
  };
  const summary = (warnings: Listed[]) =>
    warnings.map(({ warningId, ruleId, ruleVersion, projectId, subject, raisedAsOf, figure, value, threshold }) => ({
      warningId,
      ruleId,
      ruleVersion,
      projectId,
      subject,
      raisedAsOf,
      figure,
      value,
      threshold,
    }));

  beforeAll(async () => {
    api = await startApi();
    admin = bearer(api.token('admin', 'admin-1'));
    officer = bearer(api.token('budget-officer', 'officer-7'));
    auditor = bearer(api.token('auditor', 'auditor-3'));
    // Roads: 1,000,000 received on 1 February; 300,000 paid on 1 May, 300,000 more on 1 August.
    await must(admin, '/api/projects', {
      projectId: roads,
      name: '道路改造',
      department: '区交通局',
      category: 'roads',
      plannedTotal: '1000000.00',
      effectiveDate: '2024-01-10',
    });
    await must(admin, `/api/projects/${roads}/receipts`, { receiptId: 'r1', source: 'district-budget', amount: '1000000.00', effectiveDate: '2024-02-01' });
    await must(admin, `/api/projects/${roads}/disbursements`, {
      disbursementId: 'd1',
      amount: '300000.00',
      category: 'construction',
      receiptId: 'r1',
      effectiveDate: '2024-05-01',
    });
    await must(admin, `/api/projects/${roads}/disbursements`, {
      disbursementId: 'd2',
      amount: '300000.00',
      category: 'construction',
      effectiveDate: '2024-08-01',
    });
    // Parks: 100,000 received on 1 March; 20,000 paid on 1 April, naming no receipt (first in, first out).
    await must(admin, '/api/projects', {
      projectId: parks,
      name: '公园绿化',
      department: '区园林局',
      category: 'parks',
      plannedTotal: '100000.00',
      effectiveDate: '2024-01-10',
    });
    await must(admin, `/api/projects/${parks}/receipts`, { receiptId: 'r2', source: 'municipal-subsidy', amount: '100000.00', effectiveDate: '2024-03-01' });
    await must(admin, `/api/projects/${parks}/disbursements`, { disbursementId: 'd3', amount: '20000.00', category: 'other', effectiveDate: '2024-04-01' });

    await must(officer, '/api/monitoring/rules', {
      ruleId: 'roads-schedule',
      kind: 'execution-lag',
      params: {
        checkpoints: [
          { by: '06-30', minExecutionRate: '50' },
          { by: '09-30', minExecutionRate: 75 },
        ],
      },
      scope: { category: 'roads' },
      effectiveDate: '2024-01-01',
    });
    await must(officer, '/api/monitoring/rules', {
      ruleId: 'parks-idle',
      kind: 'idle-funds',
      params: { minUnspentPercent: '50', afterDays: 90 },
      scope: { category: 'parks' },
      effectiveDate: '2024-01-01',
    });
    // Version 2 from 1 September: stricter on idle money (60%); it does not take over warnings version 1 raised.
    await must(officer, '/api/monitoring/rules', {
      ruleId: 'parks-idle',
      kind: 'idle-funds',
      params: { minUnspentPercent: '60', afterDays: 90 },
      scope: { category: 'parks' },
      effectiveDate: '2024-09-01',
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('lists the rules with their versions', async () => {
    const response = await api.http.get('/api/monitoring/rules').set('Authorization', bearer(api.token('clerk')));
    expect(response.status).toBe(200);
    const rules = response.body.rules as {
      ruleId: string;
      latestVersion: number;
      versions: { version: number; effectiveFrom: string; actor: { id: string } }[];
    }[];
    expect(rules.map((rule) => [rule.ruleId, rule.latestVersion])).toEqual([
      ['parks-idle', 2],
      ['roads-schedule', 1],
    ]);
    expect(rules[0].versions.map((v) => [v.version, v.effectiveFrom, v.actor.id])).toEqual([
      [1, '2024-01-01', 'officer-7'],
      [2, '2024-09-01', 'officer-7'],
    ]);
  });

  it('posting what the latest version says appends nothing; another kind under the same id is 409 RULE_KIND_CHANGED', async () => {
    const before = await api.eventCount();
    const again = await post(officer, '/api/monitoring/rules', {
      ruleId: 'roads-schedule',
      kind: 'execution-lag',
      params: {
        basis: 'received',
        checkpoints: [
          { by: '06-30', minExecutionRate: 50 },
          { by: '09-30', minExecutionRate: '75.00' },
        ],
      },
      scope: { category: 'roads' },
    });
    expect(again.status).toBe(201);
    expect(again.body.eventIds).toEqual([]);
    expect(again.body.rules).toEqual([{ ruleId: 'roads-schedule', version: 1, changed: false }]);
    const otherKind = await post(officer, '/api/monitoring/rules', { ruleId: 'roads-schedule', kind: 'over-arrival', params: {} });
    expect(otherKind.status).toBe(409);
    expect(otherKind.body.code).toBe('RULE_KIND_CHANGED');
    expect(otherKind.body.errors[0].field).toBe('kind');
    expect(await api.eventCount()).toBe(before);
  });

  it('a bad parameter is 400 naming its path, and nothing is appended', async () => {
    const before = await api.eventCount();
    const response = await post(officer, '/api/monitoring/rules', {
      ruleId: 'bad',
      kind: 'execution-lag',
      params: {
        checkpoints: [
          { by: '06-30', minExecutionRate: '50' },
          { by: '02-30', minExecutionRate: '101' },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['params.checkpoints[1].by', 'params.checkpoints[1].minExecutionRate']);
    expect(await api.eventCount()).toBe(before);
  });

  it('before any checkpoint or due day (2024-05-15) nothing is raised', async () => {
    // Roads: no checkpoint passed yet. Parks: r2 is 75 days old (due on 30 May).
    expect(await warningsAsOf('2024-05-15')).toEqual([]);
  });

  it('as of 2024-07-15: the roads lag at the 30 June checkpoint, the parks receipt idle since its due day', async () => {
    expect(summary(await warningsAsOf('2024-07-15'))).toEqual([
      {
        // 80,000 of 100,000 unspent: 80.00% > 50.00%, from 1 March + 90 days = 30 May.
        warningId: expectedId('parks-idle', parks, 'receipt/r2'),
        ruleId: 'parks-idle',
        ruleVersion: 1,
        projectId: parks,
        subject: 'receipt/r2',
        raisedAsOf: '2024-05-30',
        figure: 'receipt_unspent_rate:r2',
        value: '80.00',
        threshold: '50.00',
      },
      {
        // 300,000 / 1,000,000 = 30.00% < 50.00% by 30 June.
        warningId: expectedId('roads-schedule', roads, 'checkpoint/2024-06-30'),
        ruleId: 'roads-schedule',
        ruleVersion: 1,
        projectId: roads,
        subject: 'checkpoint/2024-06-30',
        raisedAsOf: '2024-06-30',
        figure: 'execution_rate',
        value: '30.00',
        threshold: '50.00',
      },
    ]);
  });

  it("as of 2024-10-10: the roads lag at 30 September (60% < 75%); the parks warning keeps version 1 under version 2's limit", async () => {
    const warnings = await warningsAsOf('2024-10-10');
    expect(summary(warnings)).toEqual([
      {
        warningId: expectedId('parks-idle', parks, 'receipt/r2'),
        ruleId: 'parks-idle',
        ruleVersion: 1,
        projectId: parks,
        subject: 'receipt/r2',
        raisedAsOf: '2024-05-30',
        figure: 'receipt_unspent_rate:r2',
        value: '80.00',
        threshold: '60.00',
      },
      {
        // 600,000 / 1,000,000 = 60.00%: above 50 (the June warning cleared on 1 August), below 75.
        warningId: expectedId('roads-schedule', roads, 'checkpoint/2024-09-30'),
        ruleId: 'roads-schedule',
        ruleVersion: 1,
        projectId: roads,
        subject: 'checkpoint/2024-09-30',
        raisedAsOf: '2024-09-30',
        figure: 'execution_rate',
        value: '60.00',
        threshold: '75.00',
      },
    ]);
    expect(warnings[0].trace.appliedRuleVersion).toBe(2);
    expect(warnings.every((warning) => warning.status === 'open')).toBe(true);
  });

  it('filters choose the projects: category=roads only the roads warning', async () => {
    const roadsOnly = await warningsAsOf('2024-10-10', '&category=roads');
    expect(roadsOnly.map((warning) => warning.projectId)).toEqual([roads]);
  });

  it('knownAt looks behind version 2: as known before it was posted, the parks limit is 50', async () => {
    const rules = await api.http.get('/api/monitoring/rules').set('Authorization', auditor);
    const v2Position = rules.body.rules[0].versions[1].globalPosition as string;
    const before = await warningsAsOf('2024-10-10', `&knownAt=${BigInt(v2Position) - 1n}`);
    expect(before.find((warning) => warning.projectId === parks)?.threshold).toBe('50.00');
  });

  describe('disposition (预警 → 复核 → 整改)', () => {
    const june = () => expectedId('roads-schedule', roads, 'checkpoint/2024-06-30');

    it('acknowledge, explain, resolve with the actor from the token; the refused steps are 409 DISPOSITION_NOT_ALLOWED', async () => {
      const path = (action: string) => `/api/monitoring/warnings/${june()}/${action}`;
      expect((await post(officer, path('acknowledge'), { effectiveDate: '2024-07-20' })).status).toBe(201);
      const twice = await post(officer, path('acknowledge'), { effectiveDate: '2024-07-20' });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('DISPOSITION_NOT_ALLOWED');
      expect((await post(auditor, path('explain'), { note: '施工因雨季延后', effectiveDate: '2024-07-21' })).status).toBe(201);
      expect((await post(officer, path('resolve'), { note: '已督促支付', effectiveDate: '2024-08-02' })).status).toBe(201);
      const afterResolve = await post(auditor, path('explain'), { note: '补充说明', effectiveDate: '2024-08-03' });
      expect(afterResolve.status).toBe(409);
      expect(afterResolve.body.code).toBe('DISPOSITION_NOT_ALLOWED');

      const detail = await api.http.get(`/api/monitoring/warnings/${june()}?asOfEffective=2024-08-03`).set('Authorization', auditor);
      expect(detail.status).toBe(200);
      expect(detail.body.raised).toBe(false); // cleared on 1 August, when the second payment reached 60%
      expect(detail.body.status).toBe('resolved');
      expect(
        detail.body.dispositions.map((d: { action: string; note: string | null; actor: { id: string; role: string } }) => [d.action, d.note, d.actor]),
      ).toEqual([
        ['acknowledge', null, { id: 'officer-7', role: 'budget-officer' }],
        ['explain', '施工因雨季延后', { id: 'auditor-3', role: 'auditor' }],
        ['resolve', '已督促支付', { id: 'officer-7', role: 'budget-officer' }],
      ]);
      expect(detail.body.dispositions[0].seen).toMatchObject({
        ruleId: 'roads-schedule',
        ruleVersion: 1,
        value: '30.00',
        threshold: '50.00',
        raisedAsOf: '2024-06-30',
      });
    });

    it("the list shows each warning's status as of the day: open before the acknowledgement, acknowledged after", async () => {
      const status = async (date: string) => (await warningsAsOf(date)).find((warning) => warning.warningId === june())?.status;
      expect(await status('2024-07-19')).toBe('open');
      expect(await status('2024-07-20')).toBe('acknowledged');
      expect(await status('2024-07-31')).toBe('explained');
      const open = await warningsAsOf('2024-07-31', '&status=open');
      expect(open.map((warning) => warning.warningId)).toEqual([expectedId('parks-idle', parks, 'receipt/r2')]);
    });

    it('a warning that is not raised cannot be taken up: 404 WARNING_NOT_FOUND, on POST and on GET', async () => {
      const never = expectedId('roads-schedule', parks, 'checkpoint/2024-06-30');
      const response = await post(officer, `/api/monitoring/warnings/${never}/acknowledge`, { effectiveDate: '2024-07-20' });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('WARNING_NOT_FOUND');
      const get = await api.http.get(`/api/monitoring/warnings/${never}?asOfEffective=2024-07-20`).set('Authorization', auditor);
      expect(get.status).toBe(404);
      expect(get.body.code).toBe('WARNING_NOT_FOUND');
    });
  });

  it('a rebuild of the read models leaves every warning, id and status as it was; verify replays the dispositions', async () => {
    const before = await warningsAsOf('2024-10-10');
    const beforeJuly = await warningsAsOf('2024-07-31');
    const database = api.app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE);
    await rebuildReadModels(database.store, database.pool, [new ProjectFiguresProjector(), new BondsProjector()], { fresh: true });
    expect(await warningsAsOf('2024-10-10')).toEqual(before);
    expect(await warningsAsOf('2024-07-31')).toEqual(beforeJuly);
    const verify = await api.http.get('/api/audit/verify').set('Authorization', auditor);
    expect(verify.status).toBe(200);
    expect(verify.body.monitoring).toEqual({ ok: true, warnings: 1, dispositions: 3, problems: [] });
    expect(verify.body.ok).toBe(true);
  });

  it('verify names a disposition written around the workflow (an acknowledgement after the resolution)', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const id = expectedId('roads-schedule', roads, 'checkpoint/2024-06-30');
    await store.append(
      `warning-${id}`,
      [
        {
          eventId: randomUUID(),
          type: 'WarningAcknowledged',
          data: { warningId: id },
          metadata: { actor: { id: 'intruder', role: 'admin' }, correlationId: 'c', causationId: 'c', effectiveDate: '2024-08-05', schemaVersion: 1 },
        },
      ],
      { expectedRevision: 'any' },
    );
    const verify = await api.http.get('/api/audit/verify').set('Authorization', auditor);
    expect(verify.body.ok).toBe(false);
    expect(verify.body.monitoring.ok).toBe(false);
    expect(verify.body.monitoring.problems).toEqual([expect.objectContaining({ streamId: `warning-${id}`, problem: 'not-allowed' })]);
  });

  it('OpenAPI documents every monitoring endpoint with its parameters, codes and refusals', async () => {
    const document = (await api.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { description?: string }> }>>;
    };
    const operation = (path: string, method: string) => document.paths[path]?.[method];
    const warnings = operation('/api/monitoring/warnings', 'get');
    expect((warnings.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['asOfEffective', 'knownAt', 'status', 'programme', 'region', 'department', 'category', 'fiscalYear', 'minPosition']),
    );
    expect(Object.keys(operation('/api/monitoring/warnings/{warningId}', 'get').responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(Object.keys(operation('/api/monitoring/rules', 'get').responses)).toEqual(expect.arrayContaining(['200']));
    expect(operation('/api/monitoring/rules', 'post').responses['409'].description).toContain('RULE_KIND_CHANGED');
    expect(Object.keys(operation('/api/monitoring/rules/defaults', 'post').responses)).toEqual(expect.arrayContaining(['201', '400', '403']));
    for (const action of ['acknowledge', 'explain', 'resolve']) {
      const responses = operation(`/api/monitoring/warnings/{warningId}/${action}`, 'post').responses;
      expect(responses['409'].description).toContain('DISPOSITION_NOT_ALLOWED');
      expect(responses['404'].description).toContain('WARNING_NOT_FOUND');
    }
  });

  it('a disposition retried under its Idempotency-Key is recorded once', async () => {
    const id = expectedId('parks-idle', parks, 'receipt/r2');
    const send = () =>
      api.http
        .post(`/api/monitoring/warnings/${id}/explain`)
        .set('Authorization', auditor)
        .set('Idempotency-Key', 'explain-parks-1')
        .send({ note: '等待结算', effectiveDate: '2024-10-10' });
    const before = await api.eventCount();
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.eventIds).toEqual(first.body.eventIds);
    expect(await api.eventCount()).toBe(before + 1);
  });

  it('the default rule set is adopted without touching a rule the district already defined, and adopting it again adds nothing', async () => {
    await must(officer, '/api/monitoring/rules', {
      ruleId: 'over-arrival',
      kind: 'over-arrival',
      params: {},
      scope: { category: 'roads' },
      effectiveDate: '2024-01-01',
    });
    const adopted = await must(officer, '/api/monitoring/rules/defaults', { effectiveDate: '2024-01-01' });
    expect(adopted.body.rules).toEqual([
      { ruleId: 'execution-schedule', version: 1, changed: true },
      { ruleId: 'special-bond-idle', version: 1, changed: true },
      { ruleId: 'output-schedule', version: 1, changed: true },
      { ruleId: 'over-arrival', version: 1, changed: false },
    ]);
    expect(adopted.body.eventIds).toHaveLength(3);
    const rules = (await api.http.get('/api/monitoring/rules').set('Authorization', auditor)).body.rules as {
      ruleId: string;
      versions: { scope?: object }[];
    }[];
    expect(rules.find((rule) => rule.ruleId === 'over-arrival')?.versions).toEqual([expect.objectContaining({ scope: { category: 'roads' } })]);
    const again = await post(officer, '/api/monitoring/rules/defaults', {});
    expect(again.status).toBe(201);
    expect(again.body.eventIds).toEqual([]);
    expect(again.body.rules.every((rule: { changed: boolean }) => !rule.changed)).toBe(true);
  });
});
