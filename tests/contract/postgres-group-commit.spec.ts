import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  chainHash,
  createPool,
  EventIdConflictError,
  GENESIS_HASH,
  PostgresEventStore,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '@fundtrail/event-store';
import { createServerDatabase, type TestDatabase } from '../support/test-database';
import { newEvent } from './event-store.contract';

/**
 * Group commit (AppendBatcher): appends to different streams that arrive together share one
 * statement, and each keeps its own guard and its own answer.
 */
describe('PostgreSQL append: concurrent appends share statements, each keeps its own guard', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let appendStatements: number;

  beforeAll(async () => {
    db = await createServerDatabase();
    pool = createPool({ url: db.url, poolSize: 8 });
    // Only INSERTs into the log are counted: the statements the appends cost.
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      if (text?.trimStart().startsWith('INSERT INTO events')) appendStatements += 1;
      return query(...args);
    };
    store = new PostgresEventStore(pool, { appendStatementsInFlight: 1 });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  }, 60_000);
  beforeEach(() => {
    appendStatements = 0;
  });

  const stream = (label: string) => `group-${label}-${randomUUID().slice(0, 8)}`;

  function verifyChain(events: RecordedEvent[]): void {
    let prev = GENESIS_HASH;
    events.forEach((event, i) => {
      expect(event.streamRevision).toBe(BigInt(i));
      expect(event.prevHash).toBe(prev);
      expect(event.hash).toBe(chainHash(prev, event));
      prev = event.hash;
    });
  }

  it('40 appends to 40 streams at once land in fewer statements, each at its own revision, chained', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => stream(`many-${i}`));
    const results = await Promise.all(ids.map((id, i) => store.append(id, [newEvent('A', { i }), newEvent('B', { i })], { expectedRevision: 'no_stream' })));
    // One statement in flight: the first append goes alone, the 39 that waited go in the next one.
    expect(appendStatements).toBeLessThan(40);
    expect(appendStatements).toBeGreaterThanOrEqual(1);
    results.forEach((result, i) => {
      expect(result.streamId).toBe(ids[i]);
      expect(result.streamRevision).toBe(1n);
    });
    const positions = results.map((r) => r.globalPosition);
    expect(new Set(positions).size).toBe(positions.length);
    for (const id of ids) {
      const events = await store.readStream(id);
      expect(events.map((e) => e.type)).toEqual(['A', 'B']);
      verifyChain(events);
      // Positions are unique across the statement and ordered within the stream.
      expect(events[1].globalPosition > events[0].globalPosition).toBe(true);
    }
    const [last] = results.slice(-1);
    expect((await store.readStream(ids[39]))[1].globalPosition).toBe(last.globalPosition);
  });

  it('a stale append in a group is refused alone by its guard: the others land in the same statement', async () => {
    const stale = stream('stale');
    await store.append(stale, [newEvent()], { expectedRevision: 'no_stream' });
    // Another process appends behind this store's back: this store still takes revision 0 for the head.
    const other = new PostgresEventStore(createPool({ url: db.url, poolSize: 1 }));
    try {
      await other.append(stale, [newEvent()], { expectedRevision: 0n });
    } finally {
      await other.close();
    }
    const others = Array.from({ length: 10 }, (_, i) => stream(`ok-${i}`));
    appendStatements = 0;
    const outcomes = await Promise.allSettled([
      ...others.slice(0, 5).map((id) => store.append(id, [newEvent()], { expectedRevision: 'no_stream' })),
      store.append(stale, [newEvent()], { expectedRevision: 0n }),
      ...others.slice(5).map((id) => store.append(id, [newEvent()], { expectedRevision: 'no_stream' })),
    ]);
    // One statement for all eleven: the guard left the stale rows out instead of failing the statement.
    expect(appendStatements).toBe(1);
    expect(outcomes[5]).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedVersionError) as unknown });
    expect((outcomes[5] as PromiseRejectedResult).reason).toMatchObject({ expected: 0n, actual: 1n });
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    for (const id of others) expect(await store.readStream(id)).toHaveLength(1);
    expect(await store.readStream(stale)).toHaveLength(2);
  });

  it('a duplicate event id fails its own append only; a retry of a stored append in a group replays', async () => {
    const taken = newEvent('Taken');
    const owner = stream('owner');
    const stored = await store.append(owner, [taken], { expectedRevision: 'no_stream' });
    const thief = stream('thief');
    const others = Array.from({ length: 6 }, (_, i) => stream(`fine-${i}`));
    const outcomes = await Promise.allSettled([
      ...others.slice(0, 3).map((id) => store.append(id, [newEvent()], { expectedRevision: 'no_stream' })),
      store.append(thief, [taken], { expectedRevision: 'no_stream' }),
      store.append(owner, [taken], { expectedRevision: 'no_stream' }),
      ...others.slice(3).map((id) => store.append(id, [newEvent()], { expectedRevision: 'no_stream' })),
    ]);
    expect(outcomes[3]).toMatchObject({ status: 'rejected', reason: expect.any(EventIdConflictError) as unknown });
    expect(outcomes[4]).toEqual({ status: 'fulfilled', value: stored });
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(7);
    for (const id of others) expect(await store.readStream(id)).toHaveLength(1);
    expect(await store.readStream(thief)).toHaveLength(0);
    expect(await store.readStream(owner)).toHaveLength(1);
  });

  it("appends to one stream submitted together all land, one per statement, and keep the stream's chain", async () => {
    const id = stream('one');
    const events = Array.from({ length: 12 }, (_, i) => newEvent('N', { i }));
    const results = await Promise.all(events.map((event) => store.append(id, [event], { expectedRevision: 'any' })));
    expect(new Set(results.map((r) => r.streamRevision)).size).toBe(12);
    const stored = await store.readStream(id);
    expect(stored).toHaveLength(12);
    verifyChain(stored);
    expect(new Set(stored.map((e) => (e.data as { i: number }).i)).size).toBe(12);
  });
});
