import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
