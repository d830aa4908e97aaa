import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { signToken } from '@fundtrail/auth';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The compiled API (or CLI) with no database configured: embedded mode. `dataDir` undefined = the default ./data. */
function startApi(dataDir: string | undefined, port: number, where: { main?: string; cwd?: string; args?: string[] } = {}): Started {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), FUNDTRAIL_SEED_ON_EMPTY: 'false', LOG_LEVEL: 'warn' };
  if (dataDir === undefined) delete env.FUNDTRAIL_DATA_DIR;
  else env.FUNDTRAIL_DATA_DIR = dataDir;
  delete env.DATABASE_URL;
  delete env.FUNDTRAIL_JWT_SECRET;
  const child = spawn(process.execPath, [where.main ?? MAIN, ...(where.args ?? [])], { env, cwd: where.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, output: () => text, exited };
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * A port whose next two are free as well. Chosen below Linux's ephemeral range (32768–60999):
 * a guess inside it can meet the local end of one of the suite's own client connections.
 */
async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await canListen(base)) && (await canListen(base + 1)) && (await canListen(base + 2))) return base;
  }
  throw new Error('no three consecutive free ports between 20000 and 32000');
}

async function waitForHealth(port: number, withinMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * The dashboard's local sign-in, which exists only here (embedded mode): a read-only analyst token
 * for a page at localhost on this machine, and nothing for a request that names another host,
 * comes from another origin or lacks the dashboard's header.
 */
async function checkLocalSignIn(port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}`;
  expect(await (await fetch(`${url}/api/dashboard/sign-in`)).json()).toEqual({ localToken: true });
  const mint = (headers: Record<string, string>) => fetch(`${url}/api/dashboard/local-token`, { method: 'POST', headers });
  const granted = await mint({ 'X-FundTrail-Dashboard': 'sign-in' });
  expect(granted.status).toBe(201);
  expect(granted.headers.get('cache-control')).toBe('no-store');
  const { token, role, expiresIn } = (await granted.json()) as { token: string; role: string; expiresIn: string };
  expect({ role, expiresIn }).toEqual({ role: 'analyst', expiresIn: '30m' });
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; iat: number; role: string };
  expect(claims.exp - claims.iat).toBe(30 * 60);
  const auth = { Authorization: `Bearer ${token}` };
  expect((await fetch(`${url}/api/portfolio/figures`, { headers: auth })).status).toBe(200);
  const write = await fetch(`${url}/api/projects`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
  expect(write.status).toBe(403);
  const refusals: Record<string, string>[] = [{}, { 'X-FundTrail-Dashboard': 'yes' }, { 'X-FundTrail-Dashboard': 'sign-in', Origin: 'http://evil.example' }];
  for (const headers of refusals) {
    const refused = await mint(headers);
    expect({ status: refused.status, code: ((await refused.json()) as { code: string }).code }).toEqual({ status: 403, code: 'LOCAL_ONLY' });
  }
  // DNS rebinding: a page of another site whose name resolves to 127.0.0.1 sends its own Host.
  const rebound = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/api/dashboard/local-token',
        method: 'POST',
        headers: { Host: `evil.example:${port}`, 'X-FundTrail-Dashboard': 'sign-in' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
  expect(rebound).toBe(403);
}

/** `npm start` with no database configured: the compiled API on an embedded PostgreSQL. */
describe('the API on its embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fundtrail-start-'));
  let port = 0;
  beforeAll(async () => {
    port = await freeBasePort();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers /health 200 within 15 s, refuses a second process on the same data dir, and stops cleanly on SIGTERM', async () => {
    const first = startApi(dataDir, port);
    try {
      const health = await waitForHealth(port, 15_000);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', store: 'embedded', checks: { database: 'up', migrations: 'applied' } });

      const second = startApi(dataDir, port + 1);
      const code = await second.exited;
      expect(code).not.toBe(0);
      expect(second.output()).toMatch(new RegExp(`data directory .* is in use by FundTrail process ${first.child.pid}`));

      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/fundtrail_events_appended_total 0/);
      expect(metrics).toMatch(/process_cpu_seconds_total/);
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);
      await checkLocalSignIn(port);
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }
    // Restart on the same data: the cluster, its password and the JWT secret are reused.
    const again = startApi(dataDir, port + 2);
    try {
      expect((await waitForHealth(port + 2, 15_000)).status).toBe(200);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  }, 60_000);
});

/** Hard links where the file system allows them (fast), a copy otherwise. */
function copyTree(from: string, to: string): void {
  if (spawnSync('cp', ['-al', from, to]).status === 0) return;
  rmSync(to, { recursive: true, force: true });
  const copied = spawnSync('cp', ['-a', from, to]);
  if (copied.status !== 0) throw new Error(`cp -a ${from} ${to}: ${copied.stderr.toString()}`);
}

/**
 * A checkout whose parent directory only its owner may enter (a clone under `mktemp -d`, or in
 * root's 0700 home): the server user PostgreSQL runs as cannot reach node_modules, nor ./data.
 */
describe('the API from a checkout inside a 0700 directory', () => {
  const sealed = mkdtempSync(join(tmpdir(), 'fundtrail-sealed-')); // mkdtemp: mode 0700
  const app = join(sealed, 'app');
  const reachableDataDir = mkdtempSync(join(tmpdir(), 'fundtrail-reachable-'));
  let port = 0;
  beforeAll(async () => {
    port = await freeBasePort();
  });
  let relocated: string | undefined;
  beforeAll(() => {
    mkdirSync(app);
    copyTree(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    copyTree(join(ROOT, 'dist'), join(app, 'dist'));
    writeFileSync(join(app, 'package.json'), '{ "name": "fundtrail-copy", "private": true }\n');
  }, 120_000);
  afterAll(() => {
    if (relocated) rmSync(relocated, { recursive: true, force: true });
    rmSync(sealed, { recursive: true, force: true });
    rmSync(reachableDataDir, { recursive: true, force: true });
  });

  it('npm start (./data under the sealed directory) answers /health 200, keeps its data over a restart, and stops cleanly', async () => {
    expect(statSync(sealed).mode & 0o777).toBe(0o700);
    const main = join(app, 'dist', 'apps', 'api', 'src', 'main.js');
    const first = startApi(undefined, port, { main, cwd: app });
    let position = '';
    try {
      const health = await waitForHealth(port, 30_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${first.output()}`);
      });
      expect(health).toMatchObject({ status: 200, body: { status: 'ok', store: 'embedded' } });
      const secret = readFileSync(join(app, 'data', 'jwt-secret'), 'utf8').trim();
      const officer = signToken({ sub: 'sealed-officer', role: 'budget-officer' }, secret);
      const posted = await fetch(`http://127.0.0.1:${port}/api/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ projectId: 'sealed', name: '封闭目录项目', department: '区财政局', category: 'testing' }),
      });
      expect(posted.status).toBe(201);
      position = String(((await posted.json()) as { globalPosition: string | number }).globalPosition);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);
    if (process.getuid?.() === 0) {
      // The server user cannot enter the sealed directory: its cluster lives where it can, linked from ./data/pg.
      expect(lstatSync(join(app, 'data', 'pg')).isSymbolicLink()).toBe(true);
      relocated = dirname(readlinkSync(join(app, 'data', 'pg')));
      expect(relocated.startsWith(sealed)).toBe(false);
      expect(existsSync(join(relocated, 'pg', 'PG_VERSION'))).toBe(true);
      expect(first.output()).toMatch(/is not searchable by the postgres user the server runs as: the cluster lives in /);
    }

    const again = startApi(undefined, port + 1, { main, cwd: app });
    try {
      expect((await waitForHealth(port + 1, 30_000)).status).toBe(200);
      const secret = readFileSync(join(app, 'data', 'jwt-secret'), 'utf8').trim();
      const auditor = signToken({ sub: 'sealed-auditor', role: 'auditor' }, secret);
      const read = await fetch(`http://127.0.0.1:${port + 1}/api/projects/sealed?minPosition=${position}`, { headers: { authorization: `Bearer ${auditor}` } });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { project: { name: string } }).project.name).toBe('封闭目录项目');
    } finally {
      again.child.kill('SIGTERM');
    }
    expect(await again.exited).toBe(0);
  }, 120_000);

  it('with FUNDTRAIL_DATA_DIR somewhere reachable, the server runs a copy of the binaries kept in the data directory', async () => {
    const main = join(app, 'dist', 'apps', 'api', 'src', 'main.js');
    const api = startApi(reachableDataDir, port + 2, { main, cwd: app });
    try {
      const health = await waitForHealth(port + 2, 30_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${api.output()}`);
      });
      expect(health.status).toBe(200);
    } finally {
      api.child.kill('SIGTERM');
    }
    expect(await api.exited).toBe(0);
    const copies = readdirSync(reachableDataDir).filter((name) => name.startsWith('bin-'));
    expect(copies).toHaveLength(1);
    expect(existsSync(join(reachableDataDir, copies[0], 'bin', 'postgres'))).toBe(true);
    expect(lstatSync(join(reachableDataDir, 'pg')).isDirectory()).toBe(true);
  }, 60_000);
});

/** A start that cannot succeed says why in one line and exits non-zero, at once: no stack trace, no hang. */
describe('a broken embedded start', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'fundtrail-broken-'));
  // Its own temporary directory: a data directory inside `scratch` (mode 0700) would be relocated as root.
  const dataDir = mkdtempSync(join(tmpdir(), 'fundtrail-corrupt-'));
  let port = 0;
  beforeAll(async () => {
    port = await freeBasePort();
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Exit code and the lines written; a process still running after 30 s is a hang and fails the test. */
  async function outcome(started: Started): Promise<{ code: number | null; lines: string[] }> {
    const hang = setTimeout(() => started.child.kill('SIGKILL'), 30_000);
    const code = await started.exited;
    clearTimeout(hang);
    return {
      code,
      lines: started
        .output()
        .split('\n')
        .filter((line) => line.trim() !== ''),
    };
  }

  it('a data directory that cannot be created: the API and the CLI each print one line and exit 1', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a directory');
    const api = await outcome(startApi(join(file, 'data'), port));
    expect(api).toEqual({
      code: 1,
      lines: [expect.stringMatching(/^fundtrail: failed to start: embedded PostgreSQL: cannot create the data directory .*a-file\/data: ENOTDIR/)],
    });
    const cli = await outcome(startApi(join(file, 'data'), port, { main: CLI, args: ['verify'] }));
    expect(cli).toEqual({ code: 1, lines: [expect.stringMatching(/^fundtrail: embedded PostgreSQL: cannot create the data directory .*ENOTDIR/)] });
  }, 60_000);

  it("a cluster PostgreSQL refuses: one line naming the server's reason, exit 1, and nothing left running", async () => {
    const good = startApi(dataDir, port + 1);
    await waitForHealth(port + 1, 30_000);
    good.child.kill('SIGTERM');
    expect(await good.exited).toBe(0);
    writeFileSync(join(dataDir, 'pg', 'PG_VERSION'), '99\n');
    const api = await outcome(startApi(dataDir, port + 2));
    expect(api).toEqual({
      code: 1,
      lines: [
        expect.stringMatching(
          /^fundtrail: failed to start: embedded PostgreSQL in .* did not start: PostgreSQL exited .* before it accepted connections: FATAL: database files are incompatible with server$/,
        ),
      ],
    });
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'fundtrail.lock'))).toBe(false);
  }, 60_000);
});
