import type { Response } from 'supertest';
import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql, SERVER_URL } from '../support/test-database';
import { PROBLEM_JSON } from './support-fixtures';

async function sessionsOn(database: string): Promise<number> {
  const result = (await runSql(SERVER_URL, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database])) as { rows: { n: number }[] };
  return result.rows[0].n;
}

/**
 * A database that refuses new connections (ALTER DATABASE … ALLOW_CONNECTIONS false: SQLSTATE
 * 55000 at FATAL severity) is the store being unavailable, like a server that is down: 503
 * STORE_UNAVAILABLE with Retry-After, never a 500; and the API recovers when it accepts them again.
 * Only this suite's own database is altered.
 */
describe('a database that refuses connections', () => {
  let api: ApiHarness;
  let database: string;
  beforeAll(async () => {
    api = await startApi();
    database = new URL(api.db.url).pathname.slice(1);
  });
  afterAll(async () => {
    await runSql(SERVER_URL, `ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await api.close();
  });

  it('answers 503 STORE_UNAVAILABLE to reads and writes, and serves again once it accepts connections', async () => {
    const officer = `Bearer ${api.token('budget-officer')}`;
    const auditor = `Bearer ${api.token('auditor')}`;
    const created = await api.http
      .post('/api/projects')
      .set('Authorization', officer)
      .send({ projectId: 'refused', name: '拒绝连接', department: '区财政局', category: 'testing' });
    expect(created.status).toBe(201);
    expect((await api.http.get(`/api/projects/refused?minPosition=${created.body.globalPosition}`).set('Authorization', auditor)).status).toBe(200);

    await runSql(SERVER_URL, `ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    // The API's open connections would still work: end them, so every request needs a new one.
    await runSql(SERVER_URL, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    for (let attempt = 0; (await sessionsOn(database)) > 0; attempt += 1) {
      if (attempt > 100) throw new Error('sessions on the test database did not end');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const answers: Array<[string, Response]> = [];
    for (let round = 0; round < 3; round += 1) {
      answers.push(['GET project', await api.http.get('/api/projects/refused').set('Authorization', auditor)]);
      answers.push(['GET projects', await api.http.get('/api/projects').set('Authorization', auditor)]);
      answers.push(['GET portfolio', await api.http.get('/api/portfolio/figures').set('Authorization', auditor)]);
      answers.push([
        'POST receipt',
        await api.http
          .post('/api/projects/refused/receipts')
          .set('Authorization', officer)
          .send({ receiptId: `r${round}`, source: 'district-budget', amount: '1.00' }),
      ]);
      answers.push([
        'POST project with an Idempotency-Key',
        await api.http
          .post('/api/projects')
          .set('Authorization', officer)
          .set('Idempotency-Key', `refused-${round}`)
          .send({ projectId: `refused-${round}`, name: '拒绝连接', department: '区财政局', category: 'testing' }),
      ]);
    }
    for (const [request, answer] of answers) {
      expect({ request, status: answer.status, code: answer.body.code }).toEqual({ request, status: 503, code: 'STORE_UNAVAILABLE' });
      expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    }
    const health = await api.http.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.checks.database).toBe('down');

    await runSql(SERVER_URL, `ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    expect((await api.http.get('/api/projects/refused').set('Authorization', auditor)).status).toBe(200);
    expect(
      (
        await api.http
          .post('/api/projects/refused/receipts')
          .set('Authorization', officer)
          .send({ receiptId: 'after', source: 'district-budget', amount: '1.00' })
      ).status,
    ).toBe(201);
    expect(await api.eventCount()).toBe(2); // nothing was written while it refused
  });
});
