import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';

/** Migration classes, applied in the order of their timestamps. */
export type Migrations = (new () => MigrationInterface)[];
import { CreateEvents1732000000000 } from '../migrations/1732000000000-create-events';

/** Migrations of the event store itself; read models add theirs (never `synchronize`). */
export const EVENT_STORE_MIGRATIONS = [CreateEvents1732000000000];

export interface DatabaseOptions {
  url: string;
  /** Connections in the pool the event store and read models share. */
  poolSize?: number;
  /** Server-side limit on one statement, so a stuck query surfaces as a 503, not a hang. */
  statementTimeoutMs?: number;
  applicationName?: string;
}

export function createPool(options: DatabaseOptions): Pool {
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    query_timeout: (options.statementTimeoutMs ?? 30_000) + 5_000,
    application_name: options.applicationName ?? 'fundtrail',
  };
  const pool = new Pool(config);
  // A client losing its connection (database restart, pg_terminate_backend) must not crash the
  // process: idle ones report on the pool, checked-out ones on themselves; the next query fails.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** A TypeORM data source used for migrations and read-model repositories. */
export function createDataSource(options: DatabaseOptions, extra: { migrations?: Migrations } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    migrations: [...EVENT_STORE_MIGRATIONS, ...(extra.migrations ?? [])],
    entities: [],
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000, application_name: `${options.applicationName ?? 'fundtrail'}-orm` },
    logging: false,
  });
}

/** Applies pending migrations under an advisory lock, so two processes starting together don't race. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(727165)');
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(727165)').catch(() => undefined);
    await runner.release();
  }
}

/** Runs `work` on one connection inside a transaction (`begin` opens it): committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
