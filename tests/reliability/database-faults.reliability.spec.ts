import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmbeddedPostgres, startEmbeddedPostgres } from '@fundtrail/event-store';
import {
  type Answer,
  type ApiProcess,
  call,
  foldLog,
  freePort,
  latencySummary,
  leakedSecrets,
  mustPost,
  PROBLEM_JSON,
  readLog,
  recordFigures,
  RELIABILITY_SECRET,
  sleep,
  spawnApi,
  sql,
  tally,
  token,
  waitForCatchUp,
} from './support/reliability';

/**
 * Promise 2 (database faults): the API runs on a PostgreSQL this test starts itself (embedded, in a
 * temporary directory, on a fixed port). Mid-load the database is restarted, and separately every
 * API connection is terminated with pg_terminate_backend. Requests fail with 503 problem+json
 * (never a 500, never a hang past HANG_BOUND_MS), the service recovers by itself, nothing
 * acknowledged is lost, and the projections catch up.
 */

const CLIENTS = 8;
const READERS = 2;
const HANG_BOUND_MS = 15_000;
const PROJECTS = ['dbf-a', 'dbf-b', 'dbf-c'];
/** The API's own answer deadline in this test (FUNDTRAIL_REQUEST_TIMEOUT_MS; the default is 20 s). */
const ANSWER_DEADLINE_MS = 5000;

/** A signal to a process that may have exited meanwhile (a backend ending on its own). */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** The embedded cluster's postmaster and its children (this test started them). */
function clusterPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

interface Request {
  disbursementId: string;
  projectId: string;
  key: string;
  body: Record<string, unknown>;
  answers: Answer[];
}

describe('database faults: restart and terminated connections under load (issue 7.2)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fundtrail-dbfaults-'));
  let port: number;
  let pg: RunningEmbeddedPostgres | undefined;
  let api: ApiProcess | undefined;
  const clerk = token('clerk', 'clerk-dbf');
  const officer = token('budget-officer', 'officer-dbf');
  const auditor = token('auditor', 'auditor-dbf');

  beforeAll(async () => {
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir, port });
  }, 60_000);
  let frozenPids: number[] = [];
  afterAll(async () => {
    for (const pid of frozenPids) signal(pid, 'SIGCONT'); // never leave the cluster stopped
    await api?.stop('SIGKILL');
    await pg?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 problem+json (never 500, never a hang), recovers by itself, and loses nothing', async () => {
    const started = Date.now();
    const url = (pg as RunningEmbeddedPostgres).url;
    const dbPassword = decodeURIComponent(new URL(url).password);
    api = await spawnApi(url, { FUNDTRAIL_DB_POOL_SIZE: '12', FUNDTRAIL_REQUEST_TIMEOUT_MS: String(ANSWER_DEADLINE_MS) });
    await api.waitReady();
    const base = api.base;
    for (const projectId of PROJECTS) {
      await mustPost(base, '/api/projects', officer, { projectId, name: `故障测试 ${projectId}`, department: '区财政局', category: 'testing' });
      await mustPost(base, `/api/projects/${projectId}/receipts`, clerk, { receiptId: `${projectId}-r1`, source: 'district-budget', amount: '10000000.00' });
    }

    await waitForCatchUp(url);
    const requests: Request[] = [];
    const reads: Answer[] = [];
    const faults: { kind: string; at: number; downMs?: number; terminated?: number }[] = [];
    let running = true;
    let sequence = 0;

    /** A clerk posting disbursements, retrying each under its Idempotency-Key until it gets an answer that is not a fault. */
    const writer = async (index: number) => {
      while (running) {
        sequence += 1;
        const projectId = PROJECTS[sequence % PROJECTS.length];
        const disbursementId = `w${index}-${sequence}`;
        const request: Request = {
          disbursementId,
          projectId,
          key: `dbf-${disbursementId}`,
          body: { disbursementId, amount: '1.00', category: 'construction', receiptId: `${projectId}-r1` },
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
          if ((api as ApiProcess).child.exitCode !== null || (api as ApiProcess).child.signalCode !== null) {
            throw new Error(`the API process died:\n${(api as ApiProcess).output().slice(-4000)}`);
          }
          await sleep(200);
        }
      }
    };
    const reader = async () => {
      while (running) {
        const projectId = PROJECTS[Math.floor(Math.random() * PROJECTS.length)];
        reads.push(await call(base, 'GET', `/api/projects/${projectId}`, { token: auditor, timeoutMs: HANG_BOUND_MS }));
        await sleep(20);
      }
    };
    const progress = process.env.RELIABILITY_DEBUG
      ? setInterval(() => {
          const all = [...requests.flatMap((r) => r.answers), ...reads];
          process.stderr.write(
            `[dbf ${Date.now() - started} ms] ${JSON.stringify(tally(all, (a) => (a.status === 0 ? (a.timedOut ? 'hang' : 'noconn') : `${a.status}${a.body?.code ? ` ${a.body.code}` : ''}`)))} faults=${faults.length}\n`,
          );
        }, 2000)
      : undefined;
    const load = [...Array.from({ length: CLIENTS }, (_, i) => writer(i)), ...Array.from({ length: READERS }, () => reader())];

    try {
      // Fault 1: the database is restarted (fast shutdown: every session ends), down for ~2 s.
      await sleep(2500);
      let t0 = Date.now();
      await (pg as RunningEmbeddedPostgres).stop();
      await sleep(2000);
      pg = await startEmbeddedPostgres({ dataDir, port });
      faults.push({ kind: 'database restart', at: t0 - started, downMs: Date.now() - t0 });

      // Fault 2: every connection of the API is terminated (pg_terminate_backend), twice.
      for (let round = 0; round < 2; round += 1) {
        await sleep(3000);
        t0 = Date.now();
        const killed = await sql<{ n: number }>(
          pg.url,
          "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name LIKE 'fundtrail-api%'",
        );
        faults.push({ kind: 'pg_terminate_backend (all API connections)', at: t0 - started, terminated: killed[0].n });
      }

      // Fault 3: the database freezes (SIGSTOP on every process of the cluster) for 8 s: connections
      // stay open but nothing answers. The API answers 503 by its deadline instead of hanging.
      await sleep(2000);
      t0 = Date.now();
      // The postmaster first (it forks no new backend while stopped), then its children.
      const frozen = clusterPids(dataDir);
      frozenPids = frozen;
      for (const pid of frozen) signal(pid, 'SIGSTOP');
      try {
        await sleep(8000);
      } finally {
        for (const pid of frozen) signal(pid, 'SIGCONT');
        frozenPids = [];
      }
      faults.push({ kind: `database frozen (SIGSTOP ${frozen.length} processes)`, at: t0 - started, downMs: Date.now() - t0 });

      // Fault 4: a longer outage (~4 s) to make the API answer 503s for a while.
      await sleep(3000);
      t0 = Date.now();
      await pg.stop();
      await sleep(4000);
      pg = await startEmbeddedPostgres({ dataDir, port });
      faults.push({ kind: 'database restart', at: t0 - started, downMs: Date.now() - t0 });

      await sleep(3000);
    } finally {
      running = false;
      if (progress) clearInterval(progress);
      await Promise.allSettled(load);
    }
    await Promise.all(load);

    // ---- it recovered by itself: ready, and a new write works ----
    const recoveryStarted = Date.now();
    await api.waitReady(30_000);
    const after = await call(base, 'POST', `/api/projects/${PROJECTS[0]}/disbursements`, {
      token: clerk,
      body: { disbursementId: 'after-faults', amount: '1.00', category: 'other' },
      timeoutMs: HANG_BOUND_MS,
    });
    expect(after.status).toBe(201);
    const recoveryMs = Date.now() - recoveryStarted;

    // ---- answers: never 500, every failure 503 problem+json with Retry-After, none hung ----
    const answers = [...requests.flatMap((r) => r.answers), ...reads];
    if (process.env.RELIABILITY_DEBUG) {
      process.stderr.write(
        `${api
          .output()
          .split('\n')
          .filter((line) => /ProblemFilter/.test(line))
          .slice(0, 6)
          .join('\n')}\n`,
      );
    }
    const byStatus = tally(answers, (a) => (a.status === 0 ? (a.timedOut ? 'hang' : 'no connection') : `${a.status}${a.body?.code ? ` ${a.body.code}` : ''}`));
    expect(answers.filter((a) => a.status >= 500 && a.status !== 503).map((a) => a.text)).toEqual([]);
    expect(answers.filter((a) => a.timedOut).length).toBe(0);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(HANG_BOUND_MS);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0); // the faults were felt
    for (const answer of unavailable) {
      expect(answer.contentType).toMatch(PROBLEM_JSON);
      expect(answer.headers?.get('retry-after')).toMatch(/^\d+$/);
      expect(answer.body).toMatchObject({ status: 503, code: expect.stringMatching(/^(STORE_UNAVAILABLE|PROJECTION_BEHIND|REQUEST_TIMEOUT)$/) });
    }
    expect(answers.filter((a) => a.status >= 400 && !PROBLEM_JSON.test(a.contentType))).toEqual([]);
    // Connections refused: the API process itself never went away.
    expect(answers.filter((a) => a.status === 0).length).toBe(0);
    expect(api.child.exitCode).toBeNull();

    // ---- nothing acknowledged is lost, nothing stored twice ----
    const final = (r: Request) => r.answers[r.answers.length - 1];
    expect(requests.filter((r) => final(r).status !== 201).map((r) => `${r.disbursementId}: ${final(r).status} ${final(r).text}`)).toEqual([]);
    const log = await readLog(pg.url);
    const recorded = tally(
      log.filter((e) => e.type === 'DisbursementRecorded'),
      (e) => e.data.disbursementId,
    );
    const eventIds = new Map(log.map((e) => [e.event_id, e]));
    const lost = requests.filter((r) => {
      const ids = final(r).body.eventIds as string[];
      return recorded[r.disbursementId] !== 1 || ids.some((id) => eventIds.get(id)?.data.disbursementId !== r.disbursementId);
    });
    expect(lost.map((r) => r.disbursementId)).toEqual([]);
    expect(Object.entries(recorded).filter(([, n]) => n !== 1)).toEqual([]);
    expect(foldLog(log).violations).toEqual([]);

    // ---- projections catch up, and verify agrees with the log ----
    await waitForCatchUp(pg.url, 30_000);
    const verify = await call(base, 'GET', '/api/audit/verify', { token: auditor, timeoutMs: 30_000 });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });

    // ---- the database password (in DATABASE_URL) and the JWT secret never reached the log ----
    expect(leakedSecrets(api.output(), { 'database password': dbPassword, 'JWT secret': RELIABILITY_SECRET, 'clerk token': clerk })).toEqual([]);

    recordFigures('database-faults', {
      writers: CLIENTS,
      readers: READERS,
      faults,
      requestsSent: answers.length,
      answersByStatus: byStatus,
      disbursementsAcknowledged: requests.length,
      retriedAfterAFault: requests.filter((r) => r.answers.length > 1).length,
      eventsLost: lost.length,
      duplicates: Object.values(recorded).filter((n) => n > 1).length,
      latencyMs: latencySummary(answers.map((a) => a.ms)),
      slowestAnswerMs: Math.round(Math.max(...answers.map((a) => a.ms))),
      answerDeadlineMs: ANSWER_DEADLINE_MS,
      recoveryAfterLastFaultMs: recoveryMs,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 180_000);
});
