import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { materialiseBinaries } from './embedded-binaries';
import { EmbeddedPostgresError, reason } from './embedded-postgres-error';
import { type ClusterSettings, initialiseCluster, Postmaster } from './postmaster';
import { serverHome, serverUser } from './server-user';

/** Another live process already serves this data directory. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `data directory ${dataDir} is in use by FundTrail process ${pid}; stop it, ` +
        `or point this process elsewhere with FUNDTRAIL_DATA_DIR, or at a server with DATABASE_URL`,
    );
    this.name = 'DataDirInUseError';
  }
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Fixed port; a free one is picked when absent. */
  port?: number;
  database?: string;
  /** The server's own output and routine steps. */
  log?: (message: string) => void;
  /** What an operator should know: the cluster was relocated, the server died and was restarted. */
  notice?: (message: string) => void;
}

export interface RunningEmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

const LOCK_FILE = 'fundtrail.lock';

/**
 * Starts a real PostgreSQL (the binaries of the embedded-postgres package) on a data directory
 * that this process locks, creating the cluster on first use, and keeps it running until stop().
 * As root the server runs as the `postgres` system user; the binaries and the cluster are placed
 * where that user can reach them (server-user.ts, embedded-binaries.ts). Any failure is one
 * EmbeddedPostgresError (or DataDirInUseError), with nothing left running.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'fundtrail';
  const log = options.log ?? (() => undefined);
  const notice = options.notice ?? log;
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new EmbeddedPostgresError(`embedded PostgreSQL: cannot create the data directory ${dataDir}: ${reason(error)}`);
  }
  let releaseLock: () => void;
  try {
    releaseLock = acquireLock(dataDir);
  } catch (error) {
    if (error instanceof DataDirInUseError) throw error;
    throw new EmbeddedPostgresError(`embedded PostgreSQL: cannot lock the data directory ${dataDir}: ${reason(error)}`);
  }
  let server: SupervisedPostmaster | undefined;
  try {
    const user = serverUser();
    const home = serverHome(dataDir, user, notice);
    const clusterDir = join(home, 'pg');
    await stopOrphanedServer(clusterDir, log);
    const binaries = await materialiseBinaries(home);
    const password = readOrCreateSecret(join(dataDir, 'embedded-pg.password'));
    const port = options.port ?? (await freePort());
    const settings: ClusterSettings = { binaries, clusterDir, home, port, user, log };
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) await initialiseCluster(settings, password);
    server = new SupervisedPostmaster(settings, notice);
    await server.start();
    writeLock(dataDir, { pid: process.pid, port });
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    await ensureDatabase(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, database);
    const running = server;
    let stopped = false;
    return {
      url,
      port,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await running.stop();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    releaseLock();
    throw new EmbeddedPostgresError(`embedded PostgreSQL in ${dataDir} did not start: ${reason(error)}`);
  }
}

/**
 * The postmaster, restarted when it dies while this process still wants it (kill -9, the OOM
 * killer): PostgreSQL recovers from its WAL, and the pools reconnect as after any restart.
 */
class SupervisedPostmaster {
  private current?: Postmaster;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private failedRestarts = 0;

  constructor(
    private readonly settings: ClusterSettings,
    private readonly notice: (message: string) => void,
  ) {}

  start(): Promise<void> {
    this.current = new Postmaster(this.settings);
    return this.current.start((code, signal) => this.exited(code, signal));
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    this.notice(`embedded PostgreSQL exited unexpectedly (${signal ?? `exit code ${code}`}); restarting it`);
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    // Backends of a killed postmaster hold its shared memory until they notice and exit: retry.
    const delayMs = Math.min(250 * 2 ** this.failedRestarts, 5_000);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.start().then(
        () => {
          this.failedRestarts = 0;
          this.notice('embedded PostgreSQL restarted');
        },
        (error: unknown) => {
          if (this.stopping) return;
          this.failedRestarts += 1;
          this.notice(`embedded PostgreSQL did not restart (${reason(error)}); retrying`);
          this.scheduleRestart();
        },
      );
    }, delayMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.current?.stop();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An O_EXCL lock file holding our pid; a lock whose owner is dead is stale and taken over. */
function acquireLock(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid }));
      closeSync(fd);
      return () => {
        try {
          const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
          if (owner.pid === process.pid) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: { pid?: number } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
      } catch {
        // half-written lock of a process that died while writing it: stale
      }
      if (owner.pid && owner.pid !== process.pid && isAlive(owner.pid)) throw new DataDirInUseError(dataDir, owner.pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function writeLock(dataDir: string, content: { pid: number; port: number }): void {
  writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify(content), { mode: 0o600 });
}

/**
 * A FundTrail process killed with SIGKILL leaves its PostgreSQL running. We hold the lock now,
 * so that server has no owner: shut it down (fast mode) before starting our own.
 */
async function stopOrphanedServer(clusterDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping orphaned embedded PostgreSQL (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (!isAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, 'SIGQUIT');
  await new Promise((r) => setTimeout(r, 500));
}

function readOrCreateSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(24).toString('hex');
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The URL of the embedded PostgreSQL that another live FundTrail process is serving from this
 * data directory, if any: lets the CLI work beside a running `npm start`.
 */
export function runningEmbeddedUrl(dataDirOption: string, database = 'fundtrail'): string | undefined {
  const dataDir = resolve(dataDirOption);
  try {
    const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid?: number; port?: number };
    if (!lock.pid || !lock.port || lock.pid === process.pid || !isAlive(lock.pid)) return undefined;
    const password = readFileSync(join(dataDir, 'embedded-pg.password'), 'utf8').trim();
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${lock.port}/${database}`;
  } catch {
    return undefined;
  }
}
