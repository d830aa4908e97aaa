import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { type ApiHarness, startApi } from '../support/api-harness';
import { appendLog, generateLog } from './support/generate-log';
import { CLI, sleep, start } from './support/processes';
import { foldLog, loadLog, readModels, waitForQuietLog } from './support/read-models';

/**
 * DESIGN §4 / issue 4: "`rebuild` … the API keeps serving". While the API (with its live
 * projectors) takes writes and answers reads, `rebuild` runs in another process, is SIGKILLed once,
 * and is run again to completion. Throughout: every write is readable with minPosition, no figure
 * goes backwards, no read fails. After: the read models equal the fold of the log and verify is ok.
 */
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);

jest.setTimeout(90_000);

describe(`rebuild while the API serves reads and writes (seed ${SEED})`, () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('loses no write, serves no regression, and ends equal to the fold', async () => {
    const officer = `Bearer ${api.token('budget-officer')}`;
    const clerk = `Bearer ${api.token('clerk')}`;
    const analyst = `Bearer ${api.token('analyst')}`;
    // A background log, appended straight to the store (the live projectors catch up on it).
    const log = generateLog({ seed: SEED, projects: 40, eventsPerProject: 150, bonds: 3 });
    const pool = createPool({ url: api.db.url, poolSize: 4 });
    try {
      await appendLog(new PostgresEventStore(pool), log, { seed: SEED, maxChunk: 40, concurrency: 3 });
    } finally {
      await pool.end();
    }
    const live = ['live-a', 'live-b', 'live-c'];
    let last = 0;
    for (const projectId of live) {
      const response = await api.http
        .post('/api/projects')
        .set('Authorization', officer)
        .send({ projectId, name: `重建期间项目 ${projectId}`, department: '区财政局', category: 'testing' });
      expect(response.status).toBe(201);
      last = Math.max(last, response.body.globalPosition);
    }
    const warm = await api.http.get(`/api/projects/live-c?minPosition=${last}`).set('Authorization', analyst);
    expect(warm.status).toBe(200);

    let stop = false;
    const failures: string[] = [];
    const posted = new Map(live.map((id) => [id, 0n]));
    let writes = 0;
    let reads = 0;
    const writer = async (projectId: string) => {
      let n = 0;
      while (!stop) {
        n += 1;
        const amount = BigInt(n) * 100n + 7n; // fen
        const response = await api.http
          .post(`/api/projects/${projectId}/receipts`)
          .set('Authorization', clerk)
          .send({ receiptId: `r${n}`, source: 'district-budget', amount: `${amount / 100n}.${String(amount % 100n).padStart(2, '0')}` });
        if (response.status !== 201) {
          failures.push(`POST ${projectId} r${n}: ${response.status} ${JSON.stringify(response.body)}`);
          continue;
        }
        writes += 1;
        posted.set(projectId, posted.get(projectId)! + amount);
        const expected = posted.get(projectId)!;
        const read = await api.http.get(`/api/projects/${projectId}/figures?minPosition=${response.body.globalPosition}`).set('Authorization', analyst);
        const value = read.body.figures?.find((f: { key: string }) => f.key === 'received_total')?.value;
        if (read.status !== 200 || value !== `${expected / 100n}.${String(expected % 100n).padStart(2, '0')}`) {
          failures.push(`read-your-write ${projectId} r${n}: ${read.status} received_total ${value}, posted ${expected}`);
        }
      }
    };
    const reader = async () => {
      const seen = new Map<string, bigint>();
      while (!stop) {
        for (const projectId of [...live, `p${SEED}-0`, `p${SEED}-17`]) {
          const response = await api.http.get(`/api/projects/${projectId}/figures`).set('Authorization', analyst);
          reads += 1;
          if (response.status !== 200) {
            failures.push(`GET ${projectId}: ${response.status} ${JSON.stringify(response.body)}`);
            continue;
          }
          const position = BigInt(response.body.asOfPosition);
          if (position < (seen.get(projectId) ?? 0n)) failures.push(`GET ${projectId}: asOfPosition went back from ${seen.get(projectId)} to ${position}`);
          seen.set(projectId, position);
        }
        const portfolio = await api.http.get('/api/portfolio/figures').set('Authorization', analyst);
        if (portfolio.status !== 200) failures.push(`portfolio: ${portfolio.status}`);
      }
    };
    const traffic = Promise.all([...live.map(writer), reader()]);

    // The rebuild: killed once mid-replay, then run to the end.
    const first = start([CLI, 'rebuild', '--batch-size', '200'], api.db.url);
    await waitFor(() => /rebuild: /.test(first.stderr()) || first.child.exitCode !== null, 30_000);
    await sleep(150);
    const killed = await first.kill();
    const second = await start([CLI, 'rebuild', '--batch-size', '200'], api.db.url).finished;
    await sleep(300);
    stop = true;
    await traffic;
    console.log(
      `rebuild while serving: first run ${killed.signal ?? `exit ${killed.code}`}, second: ${second.stdout.trim()}; ${writes} writes, ${reads} reads during it`,
    );
    expect({ code: second.code, stderr: second.stderr.split('\n').filter((l) => l && !/^rebuild: /.test(l)) }).toEqual({ code: 0, stderr: [] });
    expect(failures.slice(0, 10)).toEqual([]);
    expect(writes).toBeGreaterThan(0);

    // Quiet now: the live projectors catch up; the read models equal the fold; verify agrees.
    const head = await api.http.post(`/api/projects/live-a/receipts`).set('Authorization', clerk).send({ receiptId: 'final', source: 'other', amount: '1.00' });
    expect(head.status).toBe(201);
    const verify = await api.http.get(`/api/audit/verify?minPosition=${head.body.globalPosition}`).set('Authorization', `Bearer ${api.token('auditor')}`);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, hashChains: { ok: true }, readModels: { ok: true, missing: [], unexpected: [] } });
    await waitForQuietLog(api.db.url);
    const events = await loadLog(api.db.url);
    const expected = foldLog(events);
    const stored = await readModels(api.db.url);
    expect([...stored.projects.keys()]).toEqual([...expected.projects.keys()].sort());
    for (const [projectId, row] of expected.projects) expect(stored.projects.get(projectId)).toEqual(row);
    expect(Object.fromEntries(stored.bonds)).toEqual(Object.fromEntries(expected.bonds));
    // (Other subscribers, e.g. the bond-proceeds catch-up, keep their own rows in the same table.)
    expect(Object.fromEntries(stored.checkpoints)).toMatchObject({ 'project-figures': expected.head.toString(), bonds: expected.head.toString() });
    expect([...stored.checkpoints.keys()].filter((name) => name.endsWith(':rebuild'))).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await sleep(10);
  }
}
