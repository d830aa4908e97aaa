/**
 * `npm start` (the compiled API, FUNDTRAIL_SEED_ON_EMPTY unset) loads xishan-2024 into an empty
 * store after it listens, without holding up /health; a store that holds events is left alone,
 * and `start:prod` (FUNDTRAIL_SEED_ON_EMPTY=false) never seeds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServerDatabase, runSql, type TestDatabase } from '../support/test-database';
import { API_MAIN, entries, EXPECTED_LOG_EVENTS, JWT_SECRET, ROOT } from './support/xishan';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Api {
  child: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<number | null>;
}

async function startApi(databaseUrl: string, env: Record<string, string | undefined>): Promise<Api> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run npm run build first`);
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, FUNDTRAIL_JWT_SECRET: JWT_SECRET, PORT: String(port), LOG_LEVEL: 'info' };
  delete childEnv.FUNDTRAIL_SEED_ON_EMPTY;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, [API_MAIN], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, port, output: () => text, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, withinMs: number, api: Api): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not within ${withinMs} ms:\n${api.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const health = (api: Api) => async () => ((await fetch(`http://127.0.0.1:${api.port}/health`)).status === 200 ? true : undefined);

describe('npm start on an empty store', () => {
  let db: TestDatabase;
  const eventCount = async (): Promise<number> =>
    ((await runSql(db.url, 'SELECT count(*)::int AS n FROM events')) as { rows: { n: number }[] }).rows[0].n;

  beforeAll(async () => {
    db = await createServerDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('start:prod (FUNDTRAIL_SEED_ON_EMPTY=false) serves an empty store and never seeds', async () => {
    const api = await startApi(db.url, { FUNDTRAIL_SEED_ON_EMPTY: 'false' });
    try {
      await until('/health 200', health(api), 30_000, api);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await eventCount()).toBe(0);
      expect(api.output()).not.toMatch(/loading data set/);
    } finally {
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    }
  });

  it('loads xishan-2024 after listening, and the projects can be read', async () => {
    const api = await startApi(db.url, {});
    try {
      await until('/health 200', health(api), 30_000, api);
      await until('the data set loaded', async () => ((await eventCount()) === EXPECTED_LOG_EVENTS ? true : undefined), 30_000, api);
      await until('the load reported', async () => (new RegExp(`loaded data set xishan-2024: ${entries.length} commands applied, 0 already present`).test(api.output()) ? true : undefined), 10_000, api);
      expect(api.output()).toMatch(/the log is empty: loading data set xishan-2024/);
      expect(api.output()).toContain(`seeding xishan-2024: ${entries.length}/${entries.length}`);
    } finally {
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    }
  });

  it('leaves a store that already holds events alone', async () => {
    const api = await startApi(db.url, {});
    try {
      await until('/health 200', health(api), 30_000, api);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await eventCount()).toBe(EXPECTED_LOG_EVENTS);
      expect(api.output()).not.toMatch(/loading data set/);
    } finally {
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    }
  });
});
