import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDataSource, migrate, type Migrations, startEmbeddedPostgres } from '@fundtrail/event-store';

/** The machine's PostgreSQL (CI exports DATABASE_URL; locally the node-svc default). */
export const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the server, so suites never see each other's events. */
export async function createServerDatabase(extra: { migrations?: Migrations } = {}): Promise<TestDatabase> {
  const name = `fundtrail_t_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(SERVER_URL, name);
  await runMigrations(url, extra.migrations);
  return {
    url,
    async drop() {
      const client = new Client({ connectionString: SERVER_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A real embedded PostgreSQL in a temporary data directory, migrated. */
export async function createEmbeddedDatabase(extra: { migrations?: Migrations } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fundtrail-embedded-'));
  const pg = await startEmbeddedPostgres({ dataDir });
  await runMigrations(pg.url, extra.migrations);
  return {
    url: pg.url,
    async drop() {
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function runMigrations(url: string, migrations?: Migrations): Promise<void> {
  const dataSource = createDataSource({ url, poolSize: 2 }, { migrations });
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** One statement on its own superuser session (used to tamper with the log in tests). */
export async function runSql(url: string, text: string, params: unknown[] = []): Promise<unknown> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}
