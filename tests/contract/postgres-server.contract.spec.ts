import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { createServerDatabase, runSql, type TestDatabase } from '../support/test-database';
import { eventStoreContract } from './event-store.contract';

let db: TestDatabase;
let store: PostgresEventStore;

eventStoreContract(
  'postgres (the machine server)',
  async () => {
    db = await createServerDatabase();
    store = new PostgresEventStore(createPool({ url: db.url, poolSize: 12 }));
    return { store, sql: (text) => runSql(db.url, text) };
  },
  async () => {
    await store?.close();
    await db?.drop();
  },
);

