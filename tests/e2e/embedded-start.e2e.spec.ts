import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

function startApi(dataDir: string, port: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env: NodeJS.ProcessEnv = { ...process.env, FUNDTRAIL_DATA_DIR: dataDir, PORT: String(port), FUNDTRAIL_SEED_ON_EMPTY: 'false', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.FUNDTRAIL_JWT_SECRET;
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
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
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/dashboard/local-token', method: 'POST', headers: { Host: `evil.example:${port}`, 'X-FundTrail-Dashboard': 'sign-in' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  expect(rebound).toBe(403);
}

/** `npm start` with no database configured: the compiled API on an embedded PostgreSQL. */
describe('the API on its embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fundtrail-start-'));
  const port = 39_000 + Math.floor(Math.random() * 1000);
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
