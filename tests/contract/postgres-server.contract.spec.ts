import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { createServerDatabase, runSql, SERVER_URL, type TestDatabase } from '../support/test-database';
import { eventStoreContract } from './event-store.contract';

let db: TestDatabase;
let store: PostgresEventStore;

eventStoreContract(
  'postgres (the machine server)',
  async () => {
    db = await createServerDatabase();
    store = new PostgresEventStore(createPool({ url: db.url, poolSize: 12 }));
    return { store, url: db.url, otherDatabaseUrl: SERVER_URL, sql: (text) => runSql(db.url, text) };
  },
  async () => {
    await store?.close();
    await db?.drop();
  },
);
