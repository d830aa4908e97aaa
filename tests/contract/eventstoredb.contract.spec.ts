import { EventStoreDbEventStore } from '@fundtrail/event-store';
import { eventStoreContract } from './event-store.contract';

/**
 * The shared EventStore contract against a real EventStoreDB / KurrentDB (22.6 or later), e.g.
 *   docker run -d -p 2113:2113 eventstore/eventstore:24.10 --insecure --run-projections=All
 *   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npx jest tests/contract/eventstoredb
 * Without a server the suite is reported as skipped (and says so), never as passed.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
const SKIP_MESSAGE = 'EventStoreDB contract skipped: set EVENTSTORE_CONNECTION_STRING to run it';

// Straight to stderr: Jest drops console output of a suite whose tests are all skipped.
if (!connectionString) process.stderr.write(`\n${SKIP_MESSAGE}\n`);
const describeIfServer = connectionString ? describe : describe.skip;

describeIfServer(connectionString ? 'EventStoreDB server (EVENTSTORE_CONNECTION_STRING)' : SKIP_MESSAGE, () => {
  if (!connectionString) {
    it('runs eventStoreContract("eventstoredb") against a real EventStoreDB server', () => undefined);
    return;
  }
  let store: EventStoreDbEventStore | undefined;
  eventStoreContract(
    'eventstoredb',
    async () => {
      store = EventStoreDbEventStore.fromConnectionString(connectionString);
      // No `sql`: ESDB's log is append-only by construction; there is no table to UPDATE.
      return { store };
    },
    async () => {
      await store?.close();
    },
  );
});
