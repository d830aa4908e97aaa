import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource, migrate, type RunningEmbeddedPostgres, startEmbeddedPostgres } from '@fundtrail/event-store';
import { APPLICATION_MIGRATIONS } from '@fundtrail/platform';

/**
 * The PostgreSQL a run measures on: the server named by DATABASE_URL (fresh databases created
 * for the run and dropped at its end), or, without it, an embedded PostgreSQL in a temporary
 * directory. Every scenario and every baseline of a run uses this one server.
 */
export interface BenchServer {
  mode: 'server' | 'embedded';
  /** A fresh, empty database on this server; dropped by `close`. */
  createDatabase(suffix: string): Promise<string>;
  version(): Promise<string>;
  close(): Promise<void>;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function openBenchServer(databaseUrl: string | undefined, log: (m: string) => void = () => undefined): Promise<BenchServer> {
  let embedded: RunningEmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let adminUrl: string;
  if (databaseUrl) {
    adminUrl = databaseUrl;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'fundtrail-bench-'));
    log(`no DATABASE_URL: starting an embedded PostgreSQL in ${dataDir}`);
    embedded = await startEmbeddedPostgres({ dataDir });
    adminUrl = withDatabase(embedded.url, 'postgres');
  }
  const tag = randomBytes(4).toString('hex');
  const created: string[] = [];
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  let closed = false;
  return {
    mode: embedded ? 'embedded' : 'server',
    async createDatabase(suffix) {
      const name = `fundtrail_bench_${tag}${suffix ? `_${suffix}` : ''}`;
      if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      created.push(name);
      return withDatabase(adminUrl, name);
    },
    version: () => admin(async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v),
    async close() {
      if (closed) return;
      closed = true;
      for (const name of created.reverse()) {
        await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch((error: unknown) => log(`could not drop ${name}: ${String(error)}`));
      }
      if (embedded) await embedded.stop().catch(() => undefined);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The product's schema (event store, idempotency keys, read models), exactly as the API migrates it. */
export async function migrateFundtrail(url: string): Promise<void> {
  const dataSource = createDataSource({ url, poolSize: 2, applicationName: 'fundtrail-bench' }, { migrations: APPLICATION_MIGRATIONS });
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
