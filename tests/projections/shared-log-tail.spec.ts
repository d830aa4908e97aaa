import { createPool, type NewEvent, PostgresEventStore, type RecordedEvent, type Subscription } from '@fundtrail/event-store';
import { randomUUID } from 'node:crypto';
import { SharedLogTail } from '../../libs/projections/src/runner/shared-log-tail';
import { createServerDatabase, runSql, type TestDatabase } from '../support/test-database';

const event = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'Tick',
  data: { n },
  metadata: { actor: { id: 'test', role: 'clerk' }, correlationId: `c-${n}`, causationId: `c-${n}`, effectiveDate: '2024-01-01', schemaVersion: 1 },
});

/** Takes `count` events from a subscription, or fails after `ms`. */
async function take(subscription: Subscription, count: number, ms = 10_000): Promise<RecordedEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const taken: RecordedEvent[] = [];
  const deadline = Date.now() + ms;
  while (taken.length < count) {
    const next = await Promise.race([iterator.next(), new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), deadline - Date.now()))]);
    if (next === 'timeout') throw new Error(`only ${taken.length} of ${count} events within ${ms} ms`);
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

describe('SharedLogTail: one read of the log for several subscribers', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let reads = 0;
  beforeAll(async () => {
    db = await createServerDatabase();
    store = new PostgresEventStore(createPool({ url: db.url, poolSize: 4 }));
    const readBatch = store.readBatch.bind(store);
    store.readBatch = (position, limit) => {
      reads += 1;
      return readBatch(position, limit);
    };
    for (let stream = 0; stream < 5; stream += 1) {
      await store.append(
        `s-${stream}`,
        Array.from({ length: 10 }, (_, i) => event(stream * 10 + i)),
        { expectedRevision: 'no_stream' },
      );
    }
  });
  const eventCount = async () => ((await runSql(db.url, 'SELECT count(*)::int AS n FROM events')) as { rows: { n: number }[] }).rows[0].n;
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('gives every subscriber every event after its own start, in order, once; later appends reach all of them', async () => {
    const direct = store.subscribeAll(0n);
    const all = await take(direct, 50);
    await direct.stop();
    const positions = all.map((e) => e.globalPosition);
    const tail = new SharedLogTail(store, 7, 5);
    const fromMiddle = tail.subscribe(positions[29]);
    const fromEnd = tail.subscribe(positions[49]);
    expect((await take(fromMiddle, 10)).map((e) => e.globalPosition)).toEqual(positions.slice(30, 40));
    // A subscriber from further back: the tail reads again from there, the others skip what they had.
    const fromStart = tail.subscribe(0n);
    const [middle, start] = await Promise.all([take(fromMiddle, 10), take(fromStart, 50)]);
    expect(middle.map((e) => e.globalPosition)).toEqual(positions.slice(40));
    expect(start.map((e) => e.globalPosition)).toEqual(positions);
    await store.append('s-late', [event(100), event(101)], { expectedRevision: 'no_stream' });
    const late = async (subscription: Subscription) => (await take(subscription, 2)).map((e) => e.data.n);
    expect(await Promise.all([late(fromStart), late(fromMiddle), late(fromEnd)])).toEqual([
      [100, 101],
      [100, 101],
      [100, 101],
    ]);
    await Promise.all([fromStart.stop(), fromMiddle.stop(), fromEnd.stop()]);
  });

  it('reads each batch once for all subscribers that are level', async () => {
    const tail = new SharedLogTail(store, 1000);
    const subscriptions = [tail.subscribe(0n), tail.subscribe(0n), tail.subscribe(0n), tail.subscribe(0n)];
    reads = 0;
    const total = await eventCount();
    const taken = await Promise.all(subscriptions.map((s) => take(s, total)));
    expect(taken.map((events) => events.length)).toEqual([total, total, total, total]);
    // One catch-up read for all four (not one each); the poll after it may have run too.
    expect(reads).toBeLessThanOrEqual(2);
    await Promise.all(subscriptions.map((s) => s.stop()));
  });

  it('a pending next() ends when its subscriber stops, and a stopped subscriber does not hold the others back', async () => {
    const tail = new SharedLogTail(store, 1000, 3);
    const idle = tail.subscribe(0n);
    const busy = tail.subscribe(0n);
    // `idle` takes nothing: its queue fills to the limit, and `busy` waits for it...
    const total = await eventCount();
    const waiting = take(busy, total, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // ...until it stops.
    await idle.stop();
    expect((await waiting).length).toBe(total);
    const pending = busy[Symbol.asyncIterator]().next();
    await busy.stop();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
