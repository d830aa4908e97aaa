import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { createEmbeddedDatabase, runSql, type TestDatabase, withDatabase } from '../support/test-database';
import { eventStoreContract } from './event-store.contract';

let db: TestDatabase;
let store: PostgresEventStore;

eventStoreContract(
  'postgres (embedded)',
  async () => {
    db = await createEmbeddedDatabase();
    store = new PostgresEventStore(createPool({ url: db.url, poolSize: 12 }));
    return { store, url: db.url, otherDatabaseUrl: withDatabase(db.url, 'postgres'), sql: (text) => runSql(db.url, text) };
  },
  async () => {
    await store?.close();
    await db?.drop();
  },
);
