import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmbeddedPostgres, runningEmbeddedUrl, startEmbeddedPostgres } from '@fundtrail/event-store';
import {
  type Answer,
  type ApiProcess,
  call,
  foldLog,
  latencySummary,
  mustPost,
  PROBLEM_JSON,
  readLog,
  readModelSnapshot,
  recordFigures,
  runCli,
  sleep,
  spawnApi,
  tally,
  token,
  waitForCatchUp,
} from './support/reliability';

/**
 * Promise 8 (an unclean PostgreSQL crash): `npm start` runs on its embedded PostgreSQL, and the
 * postmaster itself (not the API) is killed with SIGKILL while 8 clients post disbursements, twice.
 * The API restarts its server, PostgreSQL recovers from its WAL, and the API recovers by itself:
 * meanwhile answers are 503 problem+json (never a 500), every request that got a 201 is in the log
 * exactly once, and the read models after catch-up equal a clean rebuild.
 */

const CLIENTS = 8;
const CRASHES = 2;
const PROJECTS = ['pgc-a', 'pgc-b', 'pgc-c'];
const HANG_BOUND_MS = 15_000;

interface Request {
  disbursementId: string;
  projectId: string;
  key: string;
  body: Record<string, unknown>;
  answers: Answer[];
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('an unclean PostgreSQL crash: kill -9 of the embedded postmaster under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fundtrail-pgcrash-'));
  let api: ApiProcess | undefined;
  let pg: RunningEmbeddedPostgres | undefined;
  const clerk = token('clerk', 'clerk-pgcrash');
  const officer = token('budget-officer', 'officer-pgcrash');
  const auditor = token('auditor', 'auditor-pgcrash');
  afterAll(async () => {
    await api?.stop('SIGKILL');
    await pg?.stop().catch(() => undefined);
    // A postmaster the killed API left behind is the next start's to stop; none must outlive the test.
    try {
      const pid = postmasterPid(dataDir);
      if (alive(pid)) process.kill(pid, 'SIGQUIT');
    } catch {
      // no server left
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the API restarts its server and recovers; no acknowledged write is lost or doubled; read models equal a rebuild', async () => {
    const started = Date.now();
    // DATABASE_URL empty: embedded mode, as `npm start` runs.
    api = await spawnApi('', { FUNDTRAIL_DATA_DIR: dataDir, FUNDTRAIL_REQUEST_TIMEOUT_MS: '5000' });
    await api.waitReady(60_000);
    const base = api.base;
    const url = runningEmbeddedUrl(dataDir);
    if (!url) throw new Error('the API does not serve an embedded PostgreSQL');
    for (const projectId of PROJECTS) {
      await mustPost(base, '/api/projects', officer, { projectId, name: `数据库崩溃 ${projectId}`, department: '区财政局', category: 'testing' });
      await mustPost(base, `/api/projects/${projectId}/receipts`, clerk, { receiptId: `${projectId}-r1`, source: 'district-budget', amount: '10000000.00' });
    }

    const requests: Request[] = [];
    const crashes: { at: number; killedPid: number; acknowledgedBefore: number; restartedPid?: number; firstAcknowledgedAfterMs?: number }[] = [];
    let running = true;
    let sequence = 0;
    const writer = async (index: number) => {
      while (running) {
        sequence += 1;
        const projectId = PROJECTS[sequence % PROJECTS.length];
        const disbursementId = `k${index}-${sequence}`;
        const request: Request = {
          disbursementId,
          projectId,
          key: `pgc-${disbursementId}`,
          body: {
            disbursementId,
            amount: `${1 + (sequence % 5)}.${String(sequence % 100).padStart(2, '0')}`,
            category: 'construction',
            receiptId: `${projectId}-r1`,
          },
          answers: [],
        };
        requests.push(request);
        const giveUpAt = Date.now() + 90_000; // a client does not retry forever: the test fails instead
        for (;;) {
          const answer = await call(base, 'POST', `/api/projects/${projectId}/disbursements`, {
            token: clerk,
            body: request.body,
            idempotencyKey: request.key,
            timeoutMs: HANG_BOUND_MS,
          });
          request.answers.push(answer);
          const fault = answer.status === 0 || answer.status === 503 || (answer.status === 409 && answer.body?.code === 'IDEMPOTENCY_IN_FLIGHT');
          if (!fault || Date.now() > giveUpAt) break;
          await sleep(200);
        }
      }
    };
    const load = Array.from({ length: CLIENTS }, (_, i) => writer(i));
    const acknowledged = () => requests.filter((r) => r.answers[r.answers.length - 1]?.status === 201).length;

    try {
      for (let crash = 0; crash < CRASHES; crash += 1) {
        await sleep(2000 + Math.floor(Math.random() * 1500));
        const killedPid = postmasterPid(dataDir);
        const before = acknowledged();
        const at = Date.now();
        process.kill(killedPid, 'SIGKILL');
        const record: (typeof crashes)[number] = { at: at - started, killedPid, acknowledgedBefore: before };
        crashes.push(record);
        // The API notices and starts a new postmaster; writes succeed again.
        for (let waited = 0; ; waited += 100) {
          if (waited > 60_000) throw new Error(`the server was not restarted:\n${api.output().slice(-3000)}`);
          const current = (() => {
            try {
              return postmasterPid(dataDir);
            } catch {
              return undefined;
            }
          })();
          if (current !== undefined && current !== killedPid && alive(current) && acknowledged() > before) {
            record.restartedPid = current;
            record.firstAcknowledgedAfterMs = Date.now() - at;
            break;
          }
          await sleep(100);
        }
      }
      await sleep(1500);
    } finally {
      running = false;
      await Promise.allSettled(load);
    }
    await Promise.all(load);

    // ---- the API never went away, and answered every fault with 503 problem+json ----
    expect(api.child.exitCode).toBeNull();
    expect(api.output()).toMatch(/embedded PostgreSQL exited unexpectedly \(SIGKILL\); restarting it/);
    expect(api.output()).toMatch(/embedded PostgreSQL restarted/);
    const answers = requests.flatMap((r) => r.answers);
    const byStatus = tally(answers, (a) => (a.status === 0 ? (a.timedOut ? 'hang' : 'no connection') : `${a.status}${a.body?.code ? ` ${a.body.code}` : ''}`));
    expect(answers.filter((a) => a.status === 0).map((a) => a.error)).toEqual([]);
    expect(answers.filter((a) => a.status >= 500 && a.status !== 503).map((a) => a.text)).toEqual([]);
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0); // the crashes were felt
    for (const answer of answers.filter((a) => a.status >= 400)) {
      expect(answer.contentType).toMatch(PROBLEM_JSON);
      if (answer.status === 503) expect(answer.body).toMatchObject({ code: expect.stringMatching(/^(STORE_UNAVAILABLE|REQUEST_TIMEOUT)$/) });
    }

    // ---- every acknowledged write is in the log exactly once; nothing is stored twice ----
    const final = (r: Request) => r.answers[r.answers.length - 1];
    expect(requests.filter((r) => final(r).status !== 201).map((r) => `${r.disbursementId}: ${final(r).status} ${final(r).text}`)).toEqual([]);
    const log = await readLog(url);
    const stored = tally(log, (e) => e.event_id);
    const recorded = tally(
      log.filter((e) => e.type === 'DisbursementRecorded'),
      (e) => e.data.disbursementId,
    );
    const lost: string[] = [];
    for (const request of requests) {
      for (const eventId of final(request).body.eventIds as string[]) {
        if (stored[eventId] !== 1) lost.push(`${request.disbursementId}: event ${eventId} stored ${stored[eventId] ?? 0} times`);
      }
      if (recorded[request.disbursementId] !== 1) lost.push(`${request.disbursementId}: recorded ${recorded[request.disbursementId] ?? 0} times`);
    }
    expect(lost).toEqual([]);
    expect(Object.entries(recorded).filter(([, n]) => n !== 1)).toEqual([]);
    expect(Object.entries(stored).filter(([, n]) => n !== 1)).toEqual([]);
    expect(foldLog(log).violations).toEqual([]);

    // ---- the read models catch up, verify agrees, and they equal a clean rebuild ----
    await waitForCatchUp(url, 30_000);
    const verify = await call(base, 'GET', '/api/audit/verify', { token: auditor, timeoutMs: 30_000 });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, hashChains: { ok: true }, readModels: { ok: true } });
    const live = await readModelSnapshot(url);
    expect(await api.stop('SIGTERM')).toBe(0);
    api = undefined;
    pg = await startEmbeddedPostgres({ dataDir });
    const rebuild = runCli(['rebuild', '--fresh'], { DATABASE_URL: pg.url });
    expect(rebuild.status).toBe(0);
    expect(await readModelSnapshot(pg.url)).toEqual(live);
    const cliVerify = runCli(['verify'], { DATABASE_URL: pg.url });
    expect(cliVerify.status).toBe(0);
    expect(JSON.parse(cliVerify.stdout)).toMatchObject({ ok: true });

    recordFigures('postgres-crash', {
      clients: CLIENTS,
      crashes,
      requestsSent: answers.length,
      answersByStatus: byStatus,
      disbursementsAcknowledged: requests.length,
      retriedAfterAFault: requests.filter((r) => r.answers.length > 1).length,
      eventsInLog: log.length,
      eventsLost: lost.length,
      duplicates: Object.values(recorded).filter((n) => n > 1).length,
      latencyMs: latencySummary(answers.map((a) => a.ms)),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 240_000);
});
