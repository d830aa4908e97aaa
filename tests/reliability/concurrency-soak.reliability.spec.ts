import {
  type Answer,
  type ApiProcess,
  call,
  fen,
  foldLog,
  freshDatabase,
  type FreshDatabase,
  latencySummary,
  mustPost,
  PROBLEM_JSON,
  readLog,
  recordFigures,
  sleep,
  spawnApi,
  sql,
  tally,
  token,
  waitForCatchUp,
} from './support/reliability';

/**
 * Promise 3 (concurrency soak): ≥ 50 concurrent clients for ≥ 60 s mixing receipts,
 * disbursements, reversals and reads on a few hot projects. Afterwards the whole log is checked
 * with an independent fold (tests/reliability/support: Σ disbursed ≤ Σ received at every prefix of
 * every project, each receipt's drawn ≤ its amount, reversal pairs valid, ids never reused); no
 * answer is a 500; PostgreSQL saw no deadlock; every acknowledged write is in the log and every
 * event in the log belongs to a request; p99 latency is reported per endpoint kind.
 *
 * Clients behave as the contract asks: a write answered "retry it" (409 WRONG_EXPECTED_VERSION,
 * 503 with Retry-After, or no answer within 20 s) is retried under its Idempotency-Key.
 */

const CLIENTS = Math.max(50, Number(process.env.SOAK_CLIENTS ?? 50));
const DURATION_MS = Math.max(60, Number(process.env.SOAK_SECONDS ?? 60)) * 1000;
const HOT_PROJECTS = ['soak-a', 'soak-b', 'soak-c'];
const REQUEST_TIMEOUT_MS = 20_000;
const MAX_ATTEMPTS = 10;

type Kind = 'receipt' | 'disbursement' | 'reversal' | 'read';
interface Sample {
  kind: Kind;
  /** The final answer (after retries, for writes). */
  answer: Answer;
  /** Every attempt's answer, first to last. */
  attempts: Answer[];
  key?: string;
}

/** A small deterministic PRNG, so a failing run can be replayed with SOAK_SEED. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const yuan = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const label = (a: Answer) => (a.status === 0 ? (a.timedOut ? 'no answer in 20 s' : 'no connection') : `${a.status}${a.body?.code ? ` ${a.body.code}` : ''}`);
const retryable = (a: Answer) => a.status === 0 || a.status === 503 || (a.status === 409 && a.body?.code === 'WRONG_EXPECTED_VERSION');

describe(`concurrency soak: ${CLIENTS} clients for ${DURATION_MS / 1000} s on ${HOT_PROJECTS.length} hot projects (issue 7.3)`, () => {
  let db: FreshDatabase;
  let api: ApiProcess | undefined;
  const officer = token('budget-officer', 'officer-soak');
  const auditor = token('auditor', 'auditor-soak');
  const analyst = token('analyst', 'analyst-soak');
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await api?.stop('SIGKILL');
    await db?.drop();
  });

  it(
    'breaks no invariant, never answers 500, sees no deadlock, loses nothing; p99 per endpoint kind is recorded',
    async () => {
      const seed = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
      api = await spawnApi(db.url, { LOG_LEVEL: 'warn' });
      await api.waitReady();
      const base = api.base;
      const receipts = new Map<string, string[]>(HOT_PROJECTS.map((p) => [p, []]));
      const disbursements = new Map<string, string[]>(HOT_PROJECTS.map((p) => [p, []]));
      for (const projectId of HOT_PROJECTS) {
        await mustPost(base, '/api/projects', officer, { projectId, name: `压力测试 ${projectId}`, department: '区财政局', category: 'testing' });
        await mustPost(base, `/api/projects/${projectId}/receipts`, officer, { receiptId: `${projectId}-seed`, source: 'district-budget', amount: '500.00' });
        receipts.get(projectId)?.push(`${projectId}-seed`);
      }
      await waitForCatchUp(db.url);
      const [{ deadlocks: deadlocksBefore }] = await sql<{ deadlocks: string }>(
        db.url,
        'SELECT deadlocks::text FROM pg_stat_database WHERE datname = current_database()',
      );

      const samples: Sample[] = [];
      /** A write, retried under its Idempotency-Key while the answer says "retry it". */
      const write = async (kind: Kind, path: string, options: Parameters<typeof call>[3]): Promise<Answer> => {
        const attempts: Answer[] = [];
        for (let attempt = 1; ; attempt += 1) {
          const answer = await call(base, 'POST', path, { ...options, timeoutMs: REQUEST_TIMEOUT_MS });
          attempts.push(answer);
          if (!retryable(answer) || attempt >= MAX_ATTEMPTS) {
            samples.push({ kind, answer, attempts, key: options?.idempotencyKey });
            return answer;
          }
          await sleep(Math.random() * 50 * attempt + (answer.status === 503 ? 500 : 0));
        }
      };

      const deadline = Date.now() + DURATION_MS;
      let sequence = 0;
      const client = async (index: number) => {
        const random = mulberry32(seed + index);
        const clerk = token('clerk', `clerk-soak-${index}`);
        const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
        while (Date.now() < deadline) {
          sequence += 1;
          const id = `s${index}-${sequence}`;
          const projectId = pick(HOT_PROJECTS);
          const roll = random();
          if (roll < 0.25) {
            const answer = await write('receipt', `/api/projects/${projectId}/receipts`, {
              token: clerk,
              idempotencyKey: `k-${id}`,
              body: {
                receiptId: id,
                source: pick(['district-budget', 'municipal-subsidy', 'special-bond', 'other']),
                amount: yuan(100 + Math.floor(random() * 5000)),
              },
            });
            if (answer.status === 201) receipts.get(projectId)?.push(id);
          } else if (roll < 0.65) {
            // Often larger than what is left, so INSUFFICIENT_FUNDS races are common.
            const fromReceipt = random() < 0.5 ? pick(receipts.get(projectId) ?? []) : undefined;
            const answer = await write('disbursement', `/api/projects/${projectId}/disbursements`, {
              token: clerk,
              idempotencyKey: `k-${id}`,
              body: {
                disbursementId: id,
                amount: yuan(100 + Math.floor(random() * 6000)),
                category: pick(['construction', 'operations', 'other']),
                ...(fromReceipt ? { receiptId: fromReceipt } : {}),
              },
            });
            if (answer.status === 201) disbursements.get(projectId)?.push(id);
          } else if (roll < 0.75) {
            const known = disbursements.get(projectId) ?? [];
            const target = known.length > 0 ? pick(known) : 'none-yet';
            await write('reversal', `/api/projects/${projectId}/disbursements/${target}/reversal`, {
              token: officer,
              idempotencyKey: `k-${id}`,
              body: { reason: '压力测试冲销' },
            });
          } else {
            const path = pick([
              `/api/projects/${projectId}`,
              `/api/projects/${projectId}/figures`,
              '/api/projects?pageSize=10',
              '/api/portfolio/figures',
              `/api/projects/${projectId}/figures/disbursed_total/trace`,
            ]);
            const answer = await call(base, 'GET', path, { token: path.endsWith('/trace') ? analyst : clerk, timeoutMs: REQUEST_TIMEOUT_MS });
            samples.push({ kind: 'read', answer, attempts: [answer] });
          }
        }
      };
      const started = Date.now();
      await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
      const loadSeconds = (Date.now() - started) / 1000;

      // ---- answers ----
      const attempts = samples.flatMap((s) => s.attempts);
      expect(attempts.filter((a) => a.status >= 500 && a.status !== 503).map((a) => `${a.status} ${a.text.slice(0, 300)}`)).toEqual([]);
      for (const a of attempts.filter((x) => x.status === 503)) {
        expect(a.contentType).toMatch(PROBLEM_JSON);
        expect(a.headers?.get('retry-after')).toMatch(/^\d+$/);
      }
      expect(attempts.filter((a) => a.status >= 400 && !PROBLEM_JSON.test(a.contentType))).toEqual([]);
      const allowed: Record<Kind, RegExp> = {
        receipt: /^201$/,
        disbursement: /^(201|409 INSUFFICIENT_FUNDS)$/,
        reversal: /^(201|409 ALREADY_REVERSED|404 DISBURSEMENT_NOT_FOUND)$/,
        read: /^(200|503 [A-Z_]+)$/,
      };
      // A write still unsettled after MAX_ATTEMPTS "retry it" answers would be a liveness failure.
      expect(
        samples
          .filter((s) => !allowed[s.kind].test(label(s.answer)))
          .map((s) => `${s.kind} after ${s.attempts.length} attempts: ${label(s.answer)} ${s.answer.text.slice(0, 200)}`),
      ).toEqual([]);

      // ---- no deadlock ----
      await waitForCatchUp(db.url, 60_000);
      await sleep(1500); // PostgreSQL publishes its statistics at most once a second
      const [{ deadlocks: deadlocksAfter }] = await sql<{ deadlocks: string }>(
        db.url,
        'SELECT deadlocks::text FROM pg_stat_database WHERE datname = current_database()',
      );
      expect(Number(deadlocksAfter) - Number(deadlocksBefore)).toBe(0);

      // ---- the log, folded independently ----
      const log = await readLog(db.url);
      const fold = foldLog(log);
      expect(fold.violations).toEqual([]);
      const writes = samples.filter((s) => s.kind !== 'read');
      const acknowledged = writes.filter((s) => s.answer.status === 201);
      const stored = new Set(log.map((e) => e.event_id));
      const lost = acknowledged.filter((s) => (s.answer.body.eventIds as string[]).some((id) => !stored.has(id)));
      expect(lost.map((s) => s.key)).toEqual([]);
      // Every event in the log was acknowledged, except set-up (2 per project).
      const acknowledgedIds = new Set(acknowledged.flatMap((s) => s.answer.body.eventIds as string[]));
      expect(log.filter((e) => !acknowledgedIds.has(e.event_id) && e.metadata.idempotencyKey !== undefined).map((e) => e.metadata.idempotencyKey)).toEqual([]);
      expect(log.length).toBe(acknowledged.length + 2 * HOT_PROJECTS.length);

      // ---- the read models agree with the fold and with verify ----
      for (const projectId of HOT_PROJECTS) {
        const view = await call(base, 'GET', `/api/projects/${projectId}`, { token: auditor });
        const figure = (key: string) => (view.body.figures as { key: string; value: string }[]).find((f) => f.key === key)?.value;
        const folded = fold.perProject.get(`project-${projectId}`);
        expect(fen(figure('received_total'))).toBe(folded?.received);
        expect(fen(figure('disbursed_total'))).toBe(folded?.disbursed);
      }
      const verify = await call(base, 'GET', '/api/audit/verify', { token: auditor, timeoutMs: 60_000 });
      expect(verify.body).toMatchObject({ ok: true });

      const retried = writes.filter((s) => s.attempts.length > 1);
      const latency = Object.fromEntries(
        (['receipt', 'disbursement', 'reversal', 'read'] as const).map((kind) => [
          kind,
          latencySummary(samples.filter((s) => s.kind === kind).flatMap((s) => s.attempts.map((a) => a.ms))),
        ]),
      );
      recordFigures('concurrency-soak', {
        seed,
        clients: CLIENTS,
        loadSeconds,
        hotProjects: HOT_PROJECTS.length,
        requestsSent: attempts.length,
        requestsPerSecond: Math.round(attempts.length / loadSeconds),
        finalOutcomes: tally(samples, (s) => `${s.kind} ${label(s.answer)}`),
        retriedWrites: retried.length,
        retryReasons: tally(
          retried.flatMap((s) => s.attempts.slice(0, -1)),
          label,
        ),
        deadlocks: Number(deadlocksAfter) - Number(deadlocksBefore),
        eventsInLog: log.length,
        eventsLost: lost.length,
        invariantViolations: fold.violations.length,
        perProject: Object.fromEntries(
          [...fold.perProject].map(([stream, p]) => [stream, { ...p, received: p.received.toString(), disbursed: p.disbursed.toString() }]),
        ),
        latencyMsPerAttempt: latency,
      });
    },
    DURATION_MS + 180_000,
  );
});
