import {
  type Answer,
  type ApiProcess,
  call,
  freshDatabase,
  type FreshDatabase,
  holdStreamHead,
  mustPost,
  PROBLEM_JSON,
  readLog,
  recordFigures,
  sleep,
  spawnApi,
  token,
  waitForBlockedAppend,
} from './support/reliability';

/**
 * Promise 4 (idempotency under failure): a client that times out and retries the same
 * Idempotency-Key while its first attempt is still in flight gets one event, not two, and the
 * answers agree. The first attempt is slowed down by holding the project stream's next revision
 * from a test session (its append waits on the unique index until the test lets go).
 */
describe('idempotency under failure: retries while the first attempt is in flight (issue 7.4)', () => {
  let db: FreshDatabase;
  let api: ApiProcess;
  const clerk = token('clerk', 'clerk-idem');
  const officer = token('budget-officer', 'officer-idem');
  const figures: Record<string, unknown> = {};
  const projectId = 'idem-p';
  const path = `/api/projects/${projectId}/disbursements`;

  beforeAll(async () => {
    db = await freshDatabase();
    api = await spawnApi(db.url, { LOG_LEVEL: 'warn' });
    await api.waitReady();
    await mustPost(api.base, '/api/projects', officer, { projectId, name: '幂等测试', department: '区财政局', category: 'testing' });
    await mustPost(api.base, `/api/projects/${projectId}/receipts`, clerk, { receiptId: 'r1', source: 'district-budget', amount: '1000000.00' });
  }, 60_000);
  afterAll(async () => {
    recordFigures('idempotency-under-failure', figures);
    await api?.stop('SIGKILL');
    await db?.drop();
  });

  const recorded = async (disbursementId: string) =>
    (await readLog(db.url)).filter((e) => e.type === 'DisbursementRecorded' && e.data.disbursementId === disbursementId);

  it('a client that gave up after 1 s and retried gets the one event the first attempt made, twice the same answer', async () => {
    const body = { disbursementId: 'd-timeout', amount: '10.00', category: 'construction', receiptId: 'r1' };
    const held = await holdStreamHead(db.url, `project-${projectId}`);
    let first: Answer;
    let retry: Promise<Answer>;
    try {
      const firstCall = call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-timeout', timeoutMs: 1000 });
      await waitForBlockedAppend(db.url);
      first = await firstCall;
      expect(first.timedOut).toBe(true); // the client gave up; the server is still working on it
      retry = call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-timeout', timeoutMs: 30_000 });
      await sleep(2500); // the retry waits for the first attempt, it does not run the command again
    } finally {
      await held.release();
    }
    const second = await retry;
    const third = await call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-timeout' });
    expect(second.status).toBe(201);
    expect(second.headers?.get('idempotency-replayed')).toBe('true');
    expect(third.body).toEqual(second.body);
    expect(third.text).toBe(second.text); // byte for byte, key order included
    const events = await recorded('d-timeout');
    expect(events).toHaveLength(1);
    expect(second.body.eventIds).toEqual([events[0].event_id]);
    figures.timeoutThenRetry = { firstAttempt: 'client timeout after 1 s', retry: second.status, replayed: true, sameBytes: true, events: events.length };
  }, 60_000);

  it('the first attempt and a concurrent retry both answer 201 with the same body; one event', async () => {
    const body = { disbursementId: 'd-concurrent', amount: '11.00', category: 'construction' };
    const held = await holdStreamHead(db.url, `project-${projectId}`);
    let first: Promise<Answer>;
    let second: Promise<Answer>;
    try {
      first = call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-concurrent', timeoutMs: 30_000 });
      await waitForBlockedAppend(db.url);
      second = call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-concurrent', timeoutMs: 30_000 });
      await sleep(1500);
    } finally {
      await held.release();
    }
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect(b.text).toBe(a.text);
    expect(await recorded('d-concurrent')).toHaveLength(1);
    figures.concurrentRetry = { answers: [a.status, b.status], sameBody: true, sameBytes: true };
  }, 60_000);

  it('20 simultaneous attempts under one key: one event, twenty identical 201 answers', async () => {
    const body = { disbursementId: 'd-storm', amount: '12.00', category: 'other' };
    const held = await holdStreamHead(db.url, `project-${projectId}`);
    let answers: Promise<Answer[]>;
    try {
      answers = Promise.all(
        Array.from({ length: 20 }, () => call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-storm', timeoutMs: 30_000 })),
      );
      await waitForBlockedAppend(db.url);
      await sleep(1000);
    } finally {
      await held.release();
    }
    const all = await answers;
    expect(all.map((a) => a.status)).toEqual(Array(20).fill(201));
    for (const answer of all) expect(answer.body).toEqual(all[0].body);
    expect(all.filter((answer) => answer.text !== all[0].text)).toEqual([]);
    expect(await recorded('d-storm')).toHaveLength(1);
    figures.storm = { attempts: all.length, events: 1, replayed: all.filter((a) => a.headers?.get('idempotency-replayed') === 'true').length, sameBytes: true };
  }, 60_000);

  it('a retry waits a bounded time (409 IDEMPOTENCY_IN_FLIGHT with Retry-After), the live first attempt keeps its key, and a later retry gets its answer', async () => {
    const body = { disbursementId: 'd-long', amount: '13.00', category: 'other' };
    const held = await holdStreamHead(db.url, `project-${projectId}`);
    let first: Promise<Answer>;
    let waited: Answer;
    let otherBody: Answer;
    try {
      first = call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-long', timeoutMs: 60_000 });
      await waitForBlockedAppend(db.url);
      // Held longer than the lease (10 s): the first attempt renews it, so the retry never takes over.
      waited = await call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-long', timeoutMs: 30_000 });
      otherBody = await call(api.base, 'POST', path, { token: clerk, body: { ...body, amount: '14.00' }, idempotencyKey: 'k-long', timeoutMs: 30_000 });
    } finally {
      await held.release();
    }
    expect(waited.status).toBe(409);
    expect(waited.contentType).toMatch(PROBLEM_JSON);
    expect(waited.body.code).toBe('IDEMPOTENCY_IN_FLIGHT');
    expect(waited.headers?.get('retry-after')).toMatch(/^\d+$/);
    expect(waited.ms).toBeLessThan(15_000);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const original = await first;
    expect(original.status).toBe(201);
    const later = await call(api.base, 'POST', path, { token: clerk, body, idempotencyKey: 'k-long' });
    expect(later.status).toBe(201);
    expect(later.body).toEqual(original.body);
    expect(later.text).toBe(original.text);
    expect(await recorded('d-long')).toHaveLength(1);
    figures.longFirstAttempt = {
      retryWaitedMs: Math.round(waited.ms),
      retryAnswer: `409 ${waited.body.code}`,
      otherBodyAnswer: `${otherBody.status} ${otherBody.body.code}`,
      laterRetry: later.status,
      sameBytes: true,
      events: 1,
    };
  }, 90_000);
});
