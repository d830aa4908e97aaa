import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { type Role, signToken } from '@fundtrail/auth';
import { SERVER_URL, withDatabase } from '../../support/test-database';

/** Shared machinery of the reliability campaign (tests/reliability): processes, HTTP, the log, figures. */

export const ROOT = join(__dirname, '..', '..', '..');
export const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
export const CLI_MAIN = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
/** A secret that is easy to grep for in captured logs. */
export const RELIABILITY_SECRET = `reliability-secret-${randomBytes(12).toString('hex')}-do-not-log`;
export const PROBLEM_JSON = /^application\/problem\+json\b/;

export const token = (role: Role, sub = `${role}-rel`, secret = RELIABILITY_SECRET) => signToken({ sub, role }, secret);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---- databases ---------------------------------------------------------------------------------

export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database on the machine's PostgreSQL (the API migrates it itself). The URL carries a
 * password (ignored under trust authentication) so the log scan has a database secret to look for.
 */
export async function freshDatabase(password?: string): Promise<FreshDatabase> {
  const name = `fundtrail_rel_${randomBytes(5).toString('hex')}`;
  await sql(SERVER_URL, `CREATE DATABASE ${name}`);
  const parsed = new URL(withDatabase(SERVER_URL, name));
  if (password) parsed.password = password;
  return {
    name,
    url: parsed.toString(),
    async drop() {
      await sql(SERVER_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    },
  };
}

/** One statement on its own session. */
export async function sql<R extends Record<string, unknown> = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// ---- the compiled API as a child process ---------------------------------------------------------

export interface ApiProcess {
  port: number;
  base: string;
  child: ChildProcess;
  /** Everything the process wrote on stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  waitReady(withinMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnApi(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    FUNDTRAIL_JWT_SECRET: RELIABILITY_SECRET,
    FUNDTRAIL_SEED_ON_EMPTY: 'false',
    PORT: String(port),
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    ...env,
  };
  const child = spawn(process.execPath, [API_MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const base = `http://127.0.0.1:${port}`;
  let done = false;
  void exited.then(() => (done = true));
  return {
    port,
    base,
    child,
    output: () => text,
    exited,
    async waitReady(withinMs = 30_000) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        if (done) throw new Error(`the API exited before it was ready:\n${text.slice(-3000)}`);
        try {
          const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
          if (response.status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`the API was not ready within ${withinMs} ms:\n${text.slice(-3000)}`);
        await sleep(100);
      }
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}

/** The compiled CLI, synchronously: exit code and output. */
export function runCli(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_MAIN, ...args], {
    env: { ...process.env, FUNDTRAIL_JWT_SECRET: RELIABILITY_SECRET, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// ---- HTTP ----------------------------------------------------------------------------------------

export interface Answer {
  /** 0 when no answer came (connection refused/reset, or the client's own timeout). */
  status: number;
  contentType: string;
  headers: Headers | undefined;
  body: any;
  text: string;
  ms: number;
  error?: string;
  timedOut?: boolean;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  idempotencyKey?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export async function call(base: string, method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      headers: response.headers,
      body,
      text,
      ms: performance.now() - started,
    };
  } catch (error) {
    const name = (error as Error).name;
    return {
      status: 0,
      contentType: '',
      headers: undefined,
      body: undefined,
      text: '',
      ms: performance.now() - started,
      error: `${name}: ${(error as Error).message}${(error as { cause?: Error }).cause ? ` (${(error as { cause?: Error }).cause?.message})` : ''}`,
      timedOut: name === 'TimeoutError' || name === 'AbortError',
    };
  }
}

/** POST that must succeed (set-up steps). */
export async function mustPost(base: string, path: string, tokenValue: string, body: unknown): Promise<any> {
  const answer = await call(base, 'POST', path, { token: tokenValue, body });
  if (answer.status !== 201) throw new Error(`POST ${path}: expected 201, got ${answer.status} ${answer.text || answer.error}`);
  return answer.body;
}

// ---- the log -------------------------------------------------------------------------------------

export interface LogRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: Record<string, any>;
  metadata: Record<string, any>;
}

export async function readLog(url: string): Promise<LogRow[]> {
  return sql<LogRow & Record<string, unknown>>(
    url,
    'SELECT global_position::text, event_id::text, stream_id, stream_revision::text, type, data, metadata FROM events ORDER BY events.global_position',
  );
}

/** The read-model projectors (the bond-proceeds catch-up keeps a checkpoint too, but only moves on assignments). */
const PROJECTORS = ['project-figures', 'bonds'];

/** Waits until every projector's checkpoint has reached the log's head. */
export async function waitForCatchUp(url: string, withinMs = 30_000): Promise<bigint> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const [head] = await sql<{ head: string | null }>(url, 'SELECT max(global_position)::text AS head FROM events');
    const checkpoints = await sql<{ projector: string; position: string }>(url, 'SELECT projector, position::text FROM projection_checkpoints');
    const target = BigInt(head.head ?? 0);
    const live = checkpoints.filter((c) => PROJECTORS.includes(c.projector));
    if (live.length === PROJECTORS.length && live.every((c) => BigInt(c.position) >= target)) return target;
    if (Date.now() > deadline) throw new Error(`projections did not catch up to ${target}: ${JSON.stringify(checkpoints)}`);
    await sleep(100);
  }
}

/** The read models as rows to compare (everything but the update timestamps). */
export async function readModelSnapshot(url: string): Promise<{ projects: unknown[]; bonds: unknown[] }> {
  return {
    projects: await sql(
      url,
      'SELECT project_id, name, department, category, details, terms, event_count::text, last_position::text FROM project_read_models ORDER BY project_id',
    ),
    bonds: await sql(url, 'SELECT bond_id, details, last_position::text FROM bond_read_models ORDER BY bond_id'),
  };
}

// ---- an independent fold of the log (does not reuse libs/funding or libs/projections) ------------

/** Yuan decimal string -> fen, strictly. */
export function fen(yuan: unknown): bigint {
  if (typeof yuan !== 'string' || !/^\d{1,14}(\.\d{1,2})?$/.test(yuan)) throw new Error(`not a yuan amount: ${JSON.stringify(yuan)}`);
  const [whole, fraction = ''] = yuan.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

export interface FoldReport {
  events: number;
  streams: number;
  violations: string[];
  perProject: Map<string, { received: bigint; disbursed: bigint; receipts: number; disbursements: number; reversals: number }>;
}

/**
 * Replays the log in global order and checks, after every event: stream revisions are contiguous
 * and follow the global order; Σ disbursed (net of reversals) ≤ Σ received per project; each
 * receipt's drawn ≤ its amount; ids are never reused; every reversal undoes an existing,
 * not-yet-reversed disbursement and repeats its amount and receipt.
 */
export function foldLog(rows: readonly LogRow[]): FoldReport {
  const violations: string[] = [];
  const revisions = new Map<string, bigint>();
  const eventIds = new Set<string>();
  const perProject: FoldReport['perProject'] = new Map();
  const state = new Map<
    string,
    {
      received: bigint;
      disbursed: bigint;
      receipts: Map<string, { amount: bigint; drawn: bigint }>;
      disbursements: Map<string, { amount: bigint; receiptId?: string; reversed: boolean }>;
      counts: { receipts: number; disbursements: number; reversals: number };
    }
  >();
  for (const row of rows) {
    const where = `${row.stream_id}@${row.stream_revision} (${row.type}, position ${row.global_position})`;
    if (eventIds.has(row.event_id)) violations.push(`${where}: event id ${row.event_id} stored twice`);
    eventIds.add(row.event_id);
    const expected = (revisions.get(row.stream_id) ?? -1n) + 1n;
    if (BigInt(row.stream_revision) !== expected) violations.push(`${where}: revision ${row.stream_revision} where ${expected} was expected`);
    revisions.set(row.stream_id, BigInt(row.stream_revision));
    if (!row.stream_id.startsWith('project-')) continue;
    let project = state.get(row.stream_id);
    if (!project) {
      project = { received: 0n, disbursed: 0n, receipts: new Map(), disbursements: new Map(), counts: { receipts: 0, disbursements: 0, reversals: 0 } };
      state.set(row.stream_id, project);
    }
    const d = row.data;
    try {
      switch (row.type) {
        case 'FundsReceived': {
          if (project.receipts.has(d.receiptId)) violations.push(`${where}: receipt ${d.receiptId} received twice`);
          project.receipts.set(d.receiptId, { amount: fen(d.amount), drawn: 0n });
          project.received += fen(d.amount);
          project.counts.receipts += 1;
          break;
        }
        case 'DisbursementRecorded': {
          if (project.disbursements.has(d.disbursementId)) violations.push(`${where}: disbursement ${d.disbursementId} recorded twice`);
          const amount = fen(d.amount);
          project.disbursements.set(d.disbursementId, { amount, receiptId: d.receiptId, reversed: false });
          project.disbursed += amount;
          project.counts.disbursements += 1;
          if (d.receiptId !== undefined) {
            const receipt = project.receipts.get(d.receiptId);
            if (!receipt) violations.push(`${where}: drawn from unknown receipt ${d.receiptId}`);
            else {
              receipt.drawn += amount;
              if (receipt.drawn > receipt.amount)
                violations.push(`${where}: receipt ${d.receiptId} drawn ${receipt.drawn} fen > its amount ${receipt.amount} fen`);
            }
          }
          if (project.disbursed > project.received) {
            violations.push(`${where}: disbursed ${project.disbursed} fen > received ${project.received} fen`);
          }
          break;
        }
        case 'DisbursementReversed': {
          const original = project.disbursements.get(d.disbursementId);
          project.counts.reversals += 1;
          if (!original) {
            violations.push(`${where}: reverses unknown disbursement ${d.disbursementId}`);
            break;
          }
          if (original.reversed) violations.push(`${where}: disbursement ${d.disbursementId} reversed twice`);
          if (fen(d.amount) !== original.amount) violations.push(`${where}: reversal amount ${d.amount} differs from the disbursement`);
          if (d.receiptId !== original.receiptId) violations.push(`${where}: reversal receipt ${d.receiptId} differs from ${original.receiptId}`);
          original.reversed = true;
          project.disbursed -= original.amount;
          if (original.receiptId !== undefined) {
            const receipt = project.receipts.get(original.receiptId);
            if (receipt) receipt.drawn -= original.amount;
          }
          break;
        }
        default:
          break;
      }
    } catch (error) {
      violations.push(`${where}: ${(error as Error).message}`);
    }
  }
  for (const [stream, p] of state) {
    perProject.set(stream, { received: p.received, disbursed: p.disbursed, ...p.counts });
  }
  return { events: rows.length, streams: revisions.size, violations, perProject };
}

// ---- latency and figures -------------------------------------------------------------------------

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index] * 10) / 10;
}

export function latencySummary(samples: readonly number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: percentile(samples, 100),
  };
}

/** Where each suite writes the figures of its last run: ignored by git, so `npm test` changes no tracked file. */
export const LAST_RUN_DIR = join(ROOT, 'tests', 'reliability', 'last-run');
/** The committed figures docs/RELIABILITY.md quotes; only `npm run reliability -- --record` copies a run there. */
export const RECORDED_DIR = join(ROOT, 'tests', 'reliability', 'recorded');

/** Writes a suite's figures to LAST_RUN_DIR; returns the file. */
export function recordFigures(suite: string, figures: Record<string, unknown>): string {
  mkdirSync(LAST_RUN_DIR, { recursive: true });
  const file = join(LAST_RUN_DIR, `${suite}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ suite, finishedAt: new Date().toISOString(), ...figures }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );
  return file;
}

/** Counts by a key. */
export function tally<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** The secrets a log must never contain. */
export function leakedSecrets(output: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value.length >= 8 && output.includes(value))
    .map(([name]) => name);
}

// ---- slowing an append down ----------------------------------------------------------------------

export interface HeldStream {
  /** Rolls the holding transaction back: the blocked append proceeds. */
  release(): Promise<void>;
}

/**
 * Holds a stream's next revision with an uncommitted insert from a separate session, so any append
 * to that stream waits on the unique index until release() (the first attempt "in flight").
 */
export async function holdStreamHead(url: string, streamId: string): Promise<HeldStream> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ head: string | null }>('SELECT max(stream_revision)::text AS head FROM events WHERE stream_id = $1', [streamId]);
  await client.query(
    `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, data, metadata, recorded_at, hash, prev_hash)
     VALUES (pg_current_xact_id()::text::bigint * 1048576, gen_random_uuid(), $1, $2, 'Blocker', '{}', '{}', now(), 'x', 'x')`,
    [streamId, rows[0].head === null ? 0 : Number(rows[0].head) + 1],
  );
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Waits until some session of the API waits on a lock (the held append is in flight). */
export async function waitForBlockedAppend(url: string, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const [row] = await sql<{ n: number }>(
      url,
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'fundtrail-api' AND wait_event_type = 'Lock'",
    );
    if (row.n > 0) return;
    if (Date.now() > deadline) throw new Error('no append was blocked');
    await sleep(25);
  }
}
