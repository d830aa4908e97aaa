import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../event-store.port';
import { createDataSource, createPool, migrate, type Migrations } from '../postgres/database';
import { runningEmbeddedUrl, startEmbeddedPostgres, type RunningEmbeddedPostgres } from '../postgres/embedded/embedded-postgres';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { EventStoreDbEventStore } from '../eventstoredb';

export type StoreMode = 'postgres' | 'embedded' | 'eventstoredb';

export interface DatabaseSettings {
  /** Server PostgreSQL; when absent an embedded PostgreSQL is started under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** When set, events go to EventStoreDB; PostgreSQL keeps read models and checkpoints. */
  eventStoreConnectionString?: string;
  poolSize: number;
  /** PostgreSQL: append statements in flight at once (group commit; see AppendBatcher). */
  appendStatementsInFlight?: number;
  applicationName: string;
  migrations?: Migrations;
  onAppended?: (count: number) => void;
  log?: (message: string) => void;
  /** Embedded mode: what an operator should know (the cluster was relocated, the server was restarted). */
  notice?: (message: string) => void;
  /** Embedded mode: use the server another live process already runs on the data dir (the CLI beside `npm start`). */
  attachToRunning?: boolean;
}

/** Everything a process holds on the database, opened in order and closed in reverse. */
export interface FundtrailDatabase {
  mode: StoreMode;
  url: string;
  pool: Pool;
  dataSource: DataSource;
  store: EventStore;
  embedded?: RunningEmbeddedPostgres;
  close(): Promise<void>;
}

export async function openDatabase(settings: DatabaseSettings): Promise<FundtrailDatabase> {
  const attached = !settings.databaseUrl && settings.attachToRunning ? runningEmbeddedUrl(settings.dataDir) : undefined;
  const embedded =
    settings.databaseUrl || attached ? undefined : await startEmbeddedPostgres({ dataDir: settings.dataDir, log: settings.log, notice: settings.notice });
  const url = settings.databaseUrl ?? attached ?? (embedded as RunningEmbeddedPostgres).url;
  const closers: Array<() => Promise<unknown>> = [];
  if (embedded) closers.push(() => embedded.stop());
  try {
    const dataSource = createDataSource(
      { url, poolSize: Math.max(2, Math.floor(settings.poolSize / 2)), applicationName: settings.applicationName },
      { migrations: settings.migrations },
    );
    await dataSource.initialize();
    closers.push(() => dataSource.destroy());
    await migrate(dataSource);
    const pool = createPool({ url, poolSize: settings.poolSize, applicationName: settings.applicationName });
    closers.push(() => pool.end());
    let mode: StoreMode = embedded ? 'embedded' : 'postgres';
    let store: EventStore = new PostgresEventStore(pool, { onAppended: settings.onAppended, appendStatementsInFlight: settings.appendStatementsInFlight });
    if (settings.eventStoreConnectionString) {
      store = EventStoreDbEventStore.fromConnectionString(settings.eventStoreConnectionString, {
        onAppended: settings.onAppended,
      });
      const esdb = store;
      closers.push(() => esdb.close());
      mode = 'eventstoredb';
    }
    let closed = false;
    return {
      mode,
      url,
      pool,
      dataSource,
      store,
      embedded,
      async close() {
        if (closed) return;
        closed = true;
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
