import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { bondReceiptId } from '@fundtrail/funding';
import { type ApiHarness, startApi } from '../support/api-harness';
import { runCli } from '../projections/support/processes';
import { runSql, SERVER_URL } from '../support/test-database';
import { bearer, PROBLEM_JSON, problemFields } from './support-fixtures';

/**
 * The bond ↔ project link: an assignment's proceeds reach its project as a receipt whose id is
 * derived from (bondId, assignmentId). Clients cannot take that id, an assignment whose receipt
 * cannot be written is refused before anything is appended, verify checks every link, and the
 * process that writes the receipts reports an assignment it cannot receive and carries on.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value, or fails with what it last saw. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** What a log written before these rules holds: appended as it was, straight to the store. */
async function appendAsStored(api: ApiHarness, streamId: string, type: string, data: Record<string, unknown>, actor = { id: 'clerk-legacy', role: 'clerk' }) {
  const database = api.app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE);
  const result = await database.store.append(
    streamId,
    [{ eventId: randomUUID(), type, data, metadata: { actor, correlationId: 'legacy', causationId: 'legacy', effectiveDate: '2024-01-01', schemaVersion: 1 } }],
    { expectedRevision: 'any' },
  );
  return { eventId: result.eventIds[0], globalPosition: result.globalPosition.toString() };
}

async function streamEvents(api: ApiHarness, streamId: string) {
  return api.app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE).store.readStream(streamId);
}

describe('bond ↔ project links through the API', () => {
  let api: ApiHarness;
  let officer: string;
  let clerk: string;
  beforeAll(async () => {
    api = await startApi();
    officer = bearer(api.token('budget-officer'));
    clerk = bearer(api.token('clerk'));
    for (const projectId of ['bl-p1', 'bl-p2']) {
      await api.http.post('/api/projects').set('Authorization', officer).send({ projectId, name: '债券关联项目', department: 'd', category: 'c' }).expect(201);
    }
    await api.http
      .post('/api/bonds')
      .set('Authorization', officer)
      .send({ bondId: 'bl-bond', name: '专项债券', kind: 'special', amount: '1000.00', issueDate: '2024-01-02' })
      .expect(201);
  });
  afterAll(async () => api?.close());

  it('a clerk cannot post a receipt under an assignment receipt id: 400 naming receiptId, nothing appended; the assignment then lands', async () => {
    const derived = bondReceiptId('bl-bond', 'a-squat');
    const before = await api.eventCount();
    const squat = await api.http
      .post('/api/projects/bl-p1/receipts')
      .set('Authorization', clerk)
      .send({ receiptId: derived, source: 'self-raised', amount: '1.00' });
    expect({ status: squat.status, code: squat.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(squat.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(squat.body.errors).toEqual([expect.objectContaining({ field: 'receiptId', code: 'RESERVED_ID' })]);
    expect(await api.eventCount()).toBe(before);

    const assigned = await api.http
      .post('/api/bonds/bl-bond/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a-squat', projectId: 'bl-p1', amount: '10.00' });
    expect(assigned.status).toBe(201);
    const receipts = (await streamEvents(api, 'project-bl-p1')).filter((e) => e.type === 'FundsReceived');
    expect(receipts.map((e) => e.data)).toEqual([
      { projectId: 'bl-p1', receiptId: derived, source: 'special-bond', amount: '10.00', bondId: 'bl-bond', assignmentId: 'a-squat' },
    ]);
  });

  it('an assignment whose receipt id a stored receipt already holds is refused 409 before the bond stream changes', async () => {
    // A receipt posted under the derived id before such ids were reserved.
    await appendAsStored(api, 'project-bl-p2', 'FundsReceived', {
      projectId: 'bl-p2',
      receiptId: bondReceiptId('bl-bond', 'a-taken'),
      source: 'self-raised',
      amount: '1.00',
    });
    const bondBefore = await streamEvents(api, 'bond-bl-bond');
    const before = await api.eventCount();
    const response = await api.http
      .post('/api/bonds/bl-bond/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a-taken', projectId: 'bl-p2', amount: '10.00' });
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 409, code: 'ASSIGNMENT_RECEIPT_TAKEN' });
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(problemFields(response)).toEqual(['assignmentId']);
    expect(response.body.detail).toContain(bondReceiptId('bl-bond', 'a-taken'));
    expect(await streamEvents(api, 'bond-bl-bond')).toEqual(bondBefore);
    expect(await api.eventCount()).toBe(before);
    // Another assignment id gives another receipt id, and lands.
    await api.http
      .post('/api/bonds/bl-bond/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a-taken-2', projectId: 'bl-p2', amount: '10.00' })
      .expect(201);
  });

  it('an assignment to a project that does not exist is refused before the bond stream changes', async () => {
    const bondBefore = await streamEvents(api, 'bond-bl-bond');
    const response = await api.http
      .post('/api/bonds/bl-bond/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a-nowhere', projectId: 'bl-nowhere', amount: '1.00' });
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 422, code: 'UNKNOWN_PROJECT' });
    expect(problemFields(response)).toEqual(['projectId']);
    expect(await streamEvents(api, 'bond-bl-bond')).toEqual(bondBefore);
  });

  it('a retried assignment is still a duplicate assignment, not a taken receipt', async () => {
    const response = await api.http
      .post('/api/bonds/bl-bond/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a-squat', projectId: 'bl-p1', amount: '10.00' });
    expect({ status: response.status, code: response.body.code, fields: problemFields(response) }).toEqual({
      status: 409,
      code: 'DUPLICATE_ID',
      fields: ['assignmentId'],
    });
  });

  it('a receipt cannot name a bond: unknown bond, bond not assigned here, or assigned here (its proceeds arrive with the assignment)', async () => {
    await api.http
      .post('/api/bonds')
      .set('Authorization', officer)
      .send({ bondId: 'bl-other-bond', name: '另一期债券', kind: 'general', amount: '50.00', issueDate: '2024-01-02' })
      .expect(201);
    const before = await api.eventCount();
    const post = (bondId: string) =>
      api.http
        .post('/api/projects/bl-p1/receipts')
        .set('Authorization', clerk)
        .send({ receiptId: `r-${bondId}`, source: 'special-bond', amount: '5.00', bondId });
    const unknown = await post('no-such-bond');
    const unassigned = await post('bl-other-bond');
    const assigned = await post('bl-bond');
    expect([unknown, unassigned, assigned].map((r) => ({ status: r.status, code: r.body.code, fields: problemFields(r) }))).toEqual([
      { status: 422, code: 'UNKNOWN_BOND', fields: ['bondId'] },
      { status: 422, code: 'BOND_NOT_ASSIGNED', fields: ['bondId'] },
      { status: 422, code: 'BOND_RECEIPT_BY_ASSIGNMENT', fields: ['bondId'] },
    ]);
    expect(assigned.body.detail).toContain(bondReceiptId('bl-bond', 'a-squat'));
    expect(await api.eventCount()).toBe(before);
    // A bond-sourced receipt that names no bond (a bond kept outside FundTrail) is still accepted.
    await api.http
      .post('/api/projects/bl-p1/receipts')
      .set('Authorization', clerk)
      .send({ receiptId: 'bond-2024-province', source: 'special-bond', amount: '5.00' })
      .expect(201);
  });

  it('verify finds every link of this log intact', async () => {
    const response = await api.http.get('/api/audit/verify').set('Authorization', bearer(api.token('auditor')));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, crossLinks: { ok: true, assignments: 2, broken: [] } });
  });
});

describe('a log with broken links: verify names them, the bond process reports what it cannot receive and carries on', () => {
  let api: ApiHarness;
  let officer: string;
  let auditor: string;
  const errors: string[] = [];
  const taken = bondReceiptId('legacy-bond', 'a-stuck');
  const stored: Record<string, { eventId: string; globalPosition: string }> = {};
  beforeAll(async () => {
    for (const method of ['error', 'warn'] as const) {
      jest.spyOn(Logger.prototype, method).mockImplementation((...args: unknown[]) => {
        errors.push(args.map(String).join(' '));
      });
    }
    api = await startApi();
    officer = bearer(api.token('budget-officer'));
    auditor = bearer(api.token('auditor'));
    for (const projectId of ['lg-p1', 'lg-p2']) {
      await api.http.post('/api/projects').set('Authorization', officer).send({ projectId, name: '历史数据项目', department: 'd', category: 'c' }).expect(201);
    }
    await api.http
      .post('/api/bonds')
      .set('Authorization', officer)
      .send({ bondId: 'legacy-bond', name: '历史债券', kind: 'special', amount: '1000.00', issueDate: '2023-01-02' })
      .expect(201);
    await api.http
      .post('/api/bonds/legacy-bond/assignments')
      .set('Authorization', officer)
      .send({ assignmentId: 'a-ok', projectId: 'lg-p1', amount: '100.00' })
      .expect(201);
    // What the old code let into the log: a clerk's receipt under a derived id, then the assignment
    // it blocked (appended, never received); an assignment to a project not (yet) registered; an
    // assignment whose receipt the process died before writing; receipts naming bonds they are not from.
    stored.squat = await appendAsStored(api, 'project-lg-p1', 'FundsReceived', { projectId: 'lg-p1', receiptId: taken, source: 'self-raised', amount: '1.00' });
    const officerActor = { id: 'officer-legacy', role: 'budget-officer' };
    stored.stuck = await appendAsStored(
      api,
      'bond-legacy-bond',
      'BondProceedsAssigned',
      { bondId: 'legacy-bond', assignmentId: 'a-stuck', projectId: 'lg-p1', amount: '20.00' },
      officerActor,
    );
    stored.orphan = await appendAsStored(
      api,
      'bond-legacy-bond',
      'BondProceedsAssigned',
      { bondId: 'legacy-bond', assignmentId: 'a-orphan', projectId: 'lg-late', amount: '30.00' },
      officerActor,
    );
    stored.later = await appendAsStored(
      api,
      'bond-legacy-bond',
      'BondProceedsAssigned',
      { bondId: 'legacy-bond', assignmentId: 'a-later', projectId: 'lg-p2', amount: '40.00' },
      officerActor,
    );
    stored.ghost = await appendAsStored(api, 'project-lg-p2', 'FundsReceived', {
      projectId: 'lg-p2',
      receiptId: 'r-ghost',
      source: 'special-bond',
      amount: '2.00',
      bondId: 'no-such-bond',
    });
    stored.unassigned = await appendAsStored(api, 'project-lg-p2', 'FundsReceived', {
      projectId: 'lg-p2',
      receiptId: 'r-unassigned',
      source: 'special-bond',
      amount: '3.00',
      bondId: 'legacy-bond',
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await api?.close();
  });

  const receiptOf = async (projectId: string, assignmentId: string) =>
    (await streamEvents(api, `project-${projectId}`)).find(
      (e) => e.type === 'FundsReceived' && e.data.receiptId === bondReceiptId('legacy-bond', assignmentId),
    );

  it('an assignment behind one that cannot be received is still received', async () => {
    const receipt = await eventually('the receipt of a-later', () => receiptOf('lg-p2', 'a-later'));
    expect(receipt.data).toEqual({
      projectId: 'lg-p2',
      receiptId: bondReceiptId('legacy-bond', 'a-later'),
      source: 'special-bond',
      amount: '40.00',
      bondId: 'legacy-bond',
      assignmentId: 'a-later',
    });
  }, 60_000);

  it('the stuck assignments are named in /health, counted in /metrics and logged', async () => {
    type Stuck = { eventId: string; globalPosition: string; code: string; detail: string; attempts: number; nextAttemptAt: string };
    const health = await eventually('both stuck assignments in /health', async () => {
      const response = await api.http.get('/health');
      const pm = response.body.processManagers?.['bond-proceeds'];
      return pm?.stuck?.length === 2 ? { status: response.status, pm } : undefined;
    });
    expect(health.status).toBe(200);
    expect(health.pm).toMatchObject({ status: 'stuck', stuckEvents: 2 });
    const byEvent = new Map((health.pm.stuck as Stuck[]).map((s) => [s.eventId, s]));
    expect(byEvent.get(stored.stuck.eventId)).toMatchObject({
      globalPosition: stored.stuck.globalPosition,
      code: 'DUPLICATE_ID',
      attempts: expect.any(Number),
    });
    expect(byEvent.get(stored.stuck.eventId)!.detail).toContain(taken);
    expect(byEvent.get(stored.orphan.eventId)).toMatchObject({ globalPosition: stored.orphan.globalPosition, code: 'PROJECT_NOT_FOUND' });
    const metrics = (await api.http.get('/metrics')).text;
    expect(metrics).toMatch(/^fundtrail_process_manager_stuck_events\{process="bond-proceeds"\} 2$/m);
    expect(metrics).toMatch(/^fundtrail_process_manager_failures_total\{process="bond-proceeds",kind="refused"\} [1-9]\d*$/m);
    expect(errors.some((line) => line.includes(stored.stuck.eventId) && line.includes('DUPLICATE_ID'))).toBe(true);
    expect(errors.some((line) => line.includes(stored.orphan.eventId) && line.includes('PROJECT_NOT_FOUND'))).toBe(true);
  }, 60_000);

  it('verify names each broken link (HTTP and CLI, exit code 1)', async () => {
    const response = await api.http.get('/api/audit/verify').set('Authorization', auditor);
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(false);
    expect(response.body.hashChains.ok).toBe(true);
    const broken = response.body.crossLinks.broken as Record<string, unknown>[];
    expect(broken).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          problem: 'receipt-id-taken',
          bondId: 'legacy-bond',
          assignmentId: 'a-stuck',
          projectId: 'lg-p1',
          receiptId: taken,
          eventId: stored.stuck.eventId,
        }),
        expect.objectContaining({
          problem: 'receipt-missing',
          bondId: 'legacy-bond',
          assignmentId: 'a-orphan',
          projectId: 'lg-late',
          eventId: stored.orphan.eventId,
        }),
        expect.objectContaining({ problem: 'unknown-bond', bondId: 'no-such-bond', projectId: 'lg-p2', receiptId: 'r-ghost', eventId: stored.ghost.eventId }),
        expect.objectContaining({
          problem: 'no-assignment',
          bondId: 'legacy-bond',
          projectId: 'lg-p2',
          receiptId: 'r-unassigned',
          eventId: stored.unassigned.eventId,
        }),
      ]),
    );
    expect(broken).toHaveLength(4);
    expect(response.body.crossLinks).toMatchObject({ ok: false, assignments: 4, pending: [] });
    const cli = await runCli(['verify'], api.db.url);
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 1, stderr: '' });
    expect(JSON.parse(cli.stdout).crossLinks.broken).toEqual(broken);
  }, 60_000);

  it('a stuck assignment is retried: once its project exists it is received, and it leaves /health and verify', async () => {
    await api.http
      .post('/api/projects')
      .set('Authorization', officer)
      .send({ projectId: 'lg-late', name: '后登记的项目', department: 'd', category: 'c' })
      .expect(201);
    const receipt = await eventually('the receipt of a-orphan', () => receiptOf('lg-late', 'a-orphan'));
    expect(receipt.data).toMatchObject({ amount: '30.00', bondId: 'legacy-bond', assignmentId: 'a-orphan' });
    const pm = await eventually('a-orphan to leave /health', async () => {
      const state = (await api.http.get('/health')).body.processManagers?.['bond-proceeds'];
      return state?.stuckEvents === 1 ? state : undefined;
    });
    expect(pm.stuck.map((s: { eventId: string }) => s.eventId)).toEqual([stored.stuck.eventId]);
    const verify = await api.http.get('/api/audit/verify').set('Authorization', auditor);
    expect((verify.body.crossLinks.broken as { problem: string }[]).map((b) => b.problem).sort()).toEqual([
      'no-assignment',
      'receipt-id-taken',
      'unknown-bond',
    ]);
  }, 90_000);
});

describe('a database that stops answering is not a refusal: the same assignment is retried until it is received', () => {
  let api: ApiHarness;
  let database: string;
  beforeAll(async () => {
    api = await startApi();
    database = new URL(api.db.url).pathname.slice(1);
    const officer = bearer(api.token('budget-officer'));
    await api.http
      .post('/api/projects')
      .set('Authorization', officer)
      .send({ projectId: 'tr-p1', name: '故障项目', department: 'd', category: 'c' })
      .expect(201);
    await api.http
      .post('/api/bonds')
      .set('Authorization', officer)
      .send({ bondId: 'tr-bond', name: '债券', kind: 'treasury', amount: '100.00', issueDate: '2024-01-02' })
      .expect(201);
  });
  afterAll(async () => {
    await runSql(SERVER_URL, `ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await api?.close();
  });

  it('reports the store unavailable meanwhile, records nothing as stuck, and receives the assignment once the database is back', async () => {
    // An assignment whose receipt the process died before writing: the safety net must write it.
    await appendAsStored(
      api,
      'bond-tr-bond',
      'BondProceedsAssigned',
      { bondId: 'tr-bond', assignmentId: 'a1', projectId: 'tr-p1', amount: '60.00' },
      { id: 'officer', role: 'budget-officer' },
    );
    await runSql(SERVER_URL, `ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await runSql(SERVER_URL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`);
    const during = await eventually('the bond process to report the store unavailable', async () => {
      const response = await api.http.get('/health');
      const pm = response.body.processManagers?.['bond-proceeds'];
      return pm?.status === 'unavailable' ? { status: response.status, pm } : undefined;
    });
    expect(during.status).toBe(503);
    expect(during.pm).toMatchObject({ unavailableSince: expect.any(String), lastError: expect.any(String) });
    await runSql(SERVER_URL, `ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    const receipt = await eventually('the receipt of a1', async () =>
      (await streamEvents(api, 'project-tr-p1')).find((e) => e.type === 'FundsReceived' && e.data.receiptId === bondReceiptId('tr-bond', 'a1')),
    );
    expect(receipt.data).toMatchObject({ source: 'treasury-bond', amount: '60.00', assignmentId: 'a1' });
    const after = await eventually('the bond process to be ok again', async () => {
      const pm = (await api.http.get('/health')).body.processManagers?.['bond-proceeds'];
      return pm?.status === 'ok' ? pm : undefined;
    });
    expect(after).toEqual({ status: 'ok', stuckEvents: 0, stuck: [] });
    const metrics = (await api.http.get('/metrics')).text;
    expect(metrics).toMatch(/^fundtrail_process_manager_failures_total\{process="bond-proceeds",kind="unavailable"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^fundtrail_process_manager_failures_total\{process="bond-proceeds",kind="refused"\} 0$/m);
  }, 90_000);
});
