import { randomUUID } from 'node:crypto';
import {
  chainHash,
  EventIdConflictError,
  type EventStore,
  GENESIS_HASH,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '@fundtrail/event-store';

/** What an adapter under test provides to the shared contract. */
export interface ContractSubject {
  store: EventStore;
  /** Runs raw SQL as a superuser session, for adapters backed by PostgreSQL. */
  sql?: (text: string) => Promise<unknown>;
  /** This adapter's database, and another one on the same server (adapters backed by PostgreSQL). */
  url?: string;
  otherDatabaseUrl?: string;
}

export function newEvent(type = 'Tested', data: Record<string, unknown> = { n: 1 }): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      actor: { id: 'contract-test', role: 'admin' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      effectiveDate: '2024-08-31',
      schemaVersion: 1,
    },
  };
}

const stream = (label: string) => `contract-${label}-${randomUUID().slice(0, 8)}`;

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

/** The contract every EventStore adapter must pass (DESIGN §2). */
export function eventStoreContract(name: string, setup: () => Promise<ContractSubject>, teardown: () => Promise<void>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    }, 120_000);
    afterAll(async () => teardown(), 60_000);

    describe('expected revision', () => {
      it('no_stream creates a stream at revision 0 and refuses once it exists', async () => {
        const id = stream('new');
        const first = await store.append(id, [newEvent()], { expectedRevision: 'no_stream' });
        expect(first.streamRevision).toBe(0n);
        await expect(store.append(id, [newEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
      });

      it('an exact revision appends after it and refuses a stale one, reporting the actual revision', async () => {
        const id = stream('exact');
        await store.append(id, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const next = await store.append(id, [newEvent()], { expectedRevision: 1n });
        expect(next.streamRevision).toBe(2n);
        const stale = store.append(id, [newEvent()], { expectedRevision: 1n });
        await expect(stale).rejects.toMatchObject({ name: 'WrongExpectedVersionError', actual: 2n, expected: 1n });
      });

      it('a revision ahead of the stream is refused, never leaving a gap', async () => {
        const id = stream('ahead');
        await store.append(id, [newEvent()], { expectedRevision: 'no_stream' });
        await expect(store.append(id, [newEvent()], { expectedRevision: 5n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await expect(store.append(stream('absent'), [newEvent()], { expectedRevision: 0n })).rejects.toMatchObject({
          actual: 'no_stream',
        });
        expect((await store.readStream(id)).map((e) => e.streamRevision)).toEqual([0n]);
      });

      it('any appends whatever the stream holds', async () => {
        const id = stream('any');
        expect((await store.append(id, [newEvent()], { expectedRevision: 'any' })).streamRevision).toBe(0n);
        expect((await store.append(id, [newEvent()], { expectedRevision: 'any' })).streamRevision).toBe(1n);
      });
    });

    describe('idempotent re-append', () => {
      it('re-appending stored event ids returns the original result and stores nothing new', async () => {
        const id = stream('idem');
        const events = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })];
        const first = await store.append(id, events, { expectedRevision: 'no_stream' });
        const retry = await store.append(id, events, { expectedRevision: 'no_stream' });
        expect(retry).toEqual(first);
        const later = await store.append(id, events, { expectedRevision: 1n });
        expect(later).toEqual(first);
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('an event id stored with other content is a conflict, not a retry', async () => {
        const id = stream('conflict');
        const event = newEvent('A', { n: 1 });
        await store.append(id, [event], { expectedRevision: 'no_stream' });
        await expect(store.append(id, [{ ...event, data: { n: 2 } }], { expectedRevision: 0n })).rejects.toBeInstanceOf(EventIdConflictError);
      });
    });

    describe('reading', () => {
      it('finds stored events of a stream by id, in revision order, ignoring unknown ids and other streams', async () => {
        const id = stream('find');
        const other = stream('find-other');
        const [a, b, c] = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 }), newEvent('C', { n: 3 })];
        await store.append(id, [a, b, c], { expectedRevision: 'no_stream' });
        const elsewhere = newEvent('D', { n: 4 });
        await store.append(other, [elsewhere], { expectedRevision: 'no_stream' });
        const found = await store.findEvents(id, [c.eventId, a.eventId, randomUUID(), elsewhere.eventId]);
        expect(found.map((e) => [e.eventId, e.streamId, e.streamRevision])).toEqual([
          [a.eventId, id, 0n],
          [c.eventId, id, 2n],
        ]);
        expect(await store.findEvents(id, [])).toEqual([]);
      });

      it('reads a stream forwards, backwards, from a revision, and bounded', async () => {
        const id = stream('read');
        const events = Array.from({ length: 5 }, (_, n) => newEvent('R', { n }));
        await store.append(id, events, { expectedRevision: 'no_stream' });
        const forwards = await store.readStream(id);
        expect(forwards.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        expect(forwards.map((e) => e.data)).toEqual(events.map((e) => e.data));
        expect(forwards[0].metadata).toEqual(events[0].metadata);
        expect(forwards[0].recordedAt).toBeInstanceOf(Date);
        const backwards = await store.readStream(id, { direction: 'backwards', maxCount: 2 });
        expect(backwards.map((e) => e.streamRevision)).toEqual([4n, 3n]);
        const from = await store.readStream(id, { from: 3n });
        expect(from.map((e) => e.streamRevision)).toEqual([3n, 4n]);
        expect(await store.readStream(stream('empty'))).toEqual([]);
      });

      it('reads a stream longer than one query page (PostgreSQL reads 1,000 rows a query) whole, in order, from any revision, bounded either way', async () => {
        const id = stream('long');
        const length = 2_345;
        for (let start = 0; start < length; start += 500) {
          const events = Array.from({ length: Math.min(500, length - start) }, (_, n) => newEvent('L', { n: start + n }));
          await store.append(id, events, { expectedRevision: start === 0 ? 'no_stream' : BigInt(start - 1) });
        }
        const revisions = (events: RecordedEvent[]) => events.map((e) => Number(e.streamRevision));
        const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
        const forwards = await store.readStream(id);
        expect(revisions(forwards)).toEqual(range(0, length - 1));
        expect(forwards.map((e) => e.data.n)).toEqual(range(0, length - 1));
        expect(revisions(await store.readStream(id, { from: 999n }))).toEqual(range(999, length - 1));
        expect(revisions(await store.readStream(id, { from: 10n, maxCount: 1_500 }))).toEqual(range(10, 1_509));
        expect(revisions(await store.readStream(id, { maxCount: 2_000 }))).toEqual(range(0, 1_999));
        expect(revisions(await store.readStream(id, { direction: 'backwards' }))).toEqual(range(0, length - 1).reverse());
        expect(revisions(await store.readStream(id, { direction: 'backwards', from: 2_000n, maxCount: 1_200 }))).toEqual(range(801, 2_000).reverse());
        expect(revisions(await store.readStream(id, { direction: 'backwards', from: 1_000n }))).toEqual(range(0, 1_000).reverse());
      });

      it('reads all events in strictly increasing global order, each stream in revision order', async () => {
        const a = stream('all-a');
        const b = stream('all-b');
        await store.append(a, [newEvent()], { expectedRevision: 'no_stream' });
        await store.append(b, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        await store.append(a, [newEvent()], { expectedRevision: 0n });
        const all = await collect(store.readAll({ batchSize: 3 }));
        for (let i = 1; i < all.length; i += 1) expect(all[i].globalPosition > all[i - 1].globalPosition).toBe(true);
        const ours = all.filter((e) => e.streamId === a || e.streamId === b);
        expect(ours.map((e) => `${e.streamId === a ? 'a' : 'b'}${e.streamRevision}`)).toEqual(['a0', 'b0', 'b1', 'a1']);
        const head = await store.headPosition();
        expect(head).toBe(all[all.length - 1].globalPosition);
        const tail = await collect(store.readAll({ fromPosition: all[all.length - 2].globalPosition }));
        expect(tail.map((e) => e.eventId)).toEqual([all[all.length - 1].eventId]);
      });
    });

    describe('back-dated events', () => {
      // The bureau's calendar, computed here independently: Asia/Shanghai has been UTC+8 since 1991.
      const dayOf = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      const lagOf = (e: RecordedEvent) => (Date.parse(`${dayOf(e.recordedAt)}T00:00:00Z`) - Date.parse(`${e.metadata.effectiveDate}T00:00:00Z`)) / 86_400_000;

      it('finds across streams, in global order and paged, the events recorded more than graceDays after they took effect', async () => {
        const today = dayOf(new Date());
        const dated = (lag: number) => {
          const event = newEvent('Dated', { lag });
          event.metadata.effectiveDate = shift(today, -lag);
          return event;
        };
        const a = stream('backdated-a');
        const b = stream('backdated-b');
        await store.append(a, [0, 29, 30].map(dated), { expectedRevision: 'no_stream' });
        await store.append(b, [31, 45, 400].map(dated), { expectedRevision: 'no_stream' });
        const ours = [...(await store.readStream(a)), ...(await store.readStream(b))].sort((x, y) => (x.globalPosition < y.globalPosition ? -1 : 1));
        const mine = (events: RecordedEvent[]) => events.filter((e) => e.streamId === a || e.streamId === b);
        const ids = (events: RecordedEvent[]) => events.map((e) => e.eventId);
        // From each event's own recordedAt: the day may turn between "today" above and the append.
        const expected = ours.filter((e) => lagOf(e) > 30);
        expect(expected.map((e) => e.data.lag)).toEqual(expect.arrayContaining([31, 45, 400]));

        const found = await store.readBackdated({ graceDays: 30 });
        expect(ids(mine(found.events))).toEqual(ids(expected));
        expect(found.total).toBe(found.events.length);
        for (const event of found.events) expect(lagOf(event)).toBeGreaterThan(30);
        for (let i = 1; i < found.events.length; i += 1) expect(found.events[i].globalPosition > found.events[i - 1].globalPosition).toBe(true);
        expect(mine(found.events)[0]).toMatchObject({
          type: 'Dated',
          streamRevision: expect.any(BigInt),
          recordedAt: expect.any(Date),
          hash: expect.any(String),
        });

        // Pages of two, walked to the end, are the whole list; each knows the whole total.
        const walked: string[] = [];
        for (let offset = 0; offset < found.total; offset += 2) {
          const page = await store.readBackdated({ graceDays: 30, offset, limit: 2 });
          expect(page.total).toBe(found.total);
          expect(page.events.length).toBeLessThanOrEqual(2);
          walked.push(...ids(page.events));
        }
        expect(walked).toEqual(ids(found.events));
        expect(await store.readBackdated({ graceDays: 30, offset: found.total, limit: 2 })).toEqual({ events: [], total: found.total });

        // The recording-day window is inclusive at both ends.
        const first = ours.map((e) => dayOf(e.recordedAt)).sort()[0];
        const last = ours
          .map((e) => dayOf(e.recordedAt))
          .sort()
          .at(-1)!;
        expect(mine((await store.readBackdated({ graceDays: 30, recordedTo: shift(first, -1) })).events)).toEqual([]);
        expect(mine((await store.readBackdated({ graceDays: 30, recordedFrom: shift(last, 1) })).events)).toEqual([]);
        expect(ids(mine((await store.readBackdated({ graceDays: 30, recordedFrom: first, recordedTo: last })).events))).toEqual(ids(expected));
        // A longer grace keeps only the longer lags; none is longer than the calendar allows.
        expect(mine((await store.readBackdated({ graceDays: 399 })).events).map((e) => e.data.lag)).toEqual([400]);
        expect(await store.readBackdated({ graceDays: 100_000 })).toEqual({ events: [], total: 0 });
      });
    });

    describe('tamper evidence', () => {
      it('chains each stream: hash = sha256(prevHash ‖ canonical event), starting from the genesis hash', async () => {
        const id = stream('chain');
        await store.append(id, [newEvent('A', { amount: '10.00' }), newEvent('B')], { expectedRevision: 'no_stream' });
        await store.append(id, [newEvent('C', { nested: { z: 1, a: [1, 2] } })], { expectedRevision: 1n });
        const events = await store.readStream(id);
        let prev = GENESIS_HASH;
        for (const event of events) {
          expect(event.prevHash).toBe(prev);
          expect(event.hash).toBe(chainHash(prev, event));
          prev = event.hash;
        }
      });

      it('refuses UPDATE, DELETE and TRUNCATE on the log in the database itself', async () => {
        if (!subject.sql) return;
        const id = stream('immutable');
        await store.append(id, [newEvent()], { expectedRevision: 'no_stream' });
        await expect(subject.sql(`UPDATE events SET type = 'X' WHERE stream_id = '${id}'`)).rejects.toThrow(/append-only/);
        await expect(subject.sql(`DELETE FROM events WHERE stream_id = '${id}'`)).rejects.toThrow(/append-only/);
        await expect(subject.sql(`TRUNCATE events`)).rejects.toThrow(/append-only/);
        expect(await store.readStream(id)).toHaveLength(1);
      });
    });

    describe('visibility', () => {
      it('a transaction left open in another database on the server does not stall readers', async () => {
        if (!subject.otherDatabaseUrl) return;
        const { Client } = await import('pg');
        const other = new Client({ connectionString: subject.otherDatabaseUrl });
        await other.connect();
        try {
          await other.query('BEGIN');
          await other.query('SELECT pg_current_xact_id()'); // holds a transaction id, like a long report query that wrote
          const appended = await store.append(stream('visible'), [newEvent()], { expectedRevision: 'no_stream' });
          expect(await store.headPosition()).toBe(appended.globalPosition);
        } finally {
          await other.query('ROLLBACK').catch(() => undefined);
          await other.end();
        }
      });

      it('an open writing transaction in this database holds readers below it until it ends', async () => {
        const { Client } = await import('pg');
        const before = await store.append(stream('before'), [newEvent()], { expectedRevision: 'no_stream' });
        if (!subject.url) return;
        const holder = new Client({ connectionString: subject.url });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT pg_current_xact_id()');
          const after = await store.append(stream('after'), [newEvent()], { expectedRevision: 'no_stream' });
          expect(await store.headPosition()).toBe(before.globalPosition);
          await holder.query('COMMIT');
          expect(await store.headPosition()).toBe(after.globalPosition);
        } finally {
          await holder.query('ROLLBACK').catch(() => undefined);
          await holder.end();
        }
      });
    });

    describe('concurrency', () => {
      it('8 writers × 1,000 appends while a subscriber runs: every event seen exactly once, in global order', async () => {
        const writers = 8;
        const perWriter = 1000;
        const start = await store.headPosition();
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeAll(start, { idleMs: 5, batchSize: 200 });
        const appended = new Set<string>();
        const consumer = (async () => {
          for await (const event of subscription) {
            if (event.streamId.startsWith('load-')) seen.push(event);
            if (seen.length === writers * perWriter) break;
          }
        })();
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const revisions = new Map<string, bigint>();
            for (let i = 0; i < perWriter; i += 1) {
              const id = `load-${w}-${i % 25}-${start}`;
              const event = newEvent('Load', { w, i });
              const previous = revisions.get(id);
              const result = await store.append(id, [event], {
                expectedRevision: previous === undefined ? 'no_stream' : previous,
              });
              revisions.set(id, result.streamRevision);
              appended.add(event.eventId);
            }
          }),
        );
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`subscriber saw ${seen.length}`)), 60_000);
        });
        await Promise.race([consumer, timeout]).finally(() => clearTimeout(timer));
        await subscription.stop();

        expect(appended.size).toBe(writers * perWriter);
        const ids = seen.map((e) => e.eventId);
        expect(new Set(ids).size).toBe(ids.length); // no duplicate
        expect(ids.filter((id) => appended.has(id))).toHaveLength(appended.size); // no gap
        for (let i = 1; i < seen.length; i += 1) {
          expect(seen[i].globalPosition > seen[i - 1].globalPosition).toBe(true);
        }
        const logOrder = (await collect(store.readAll({ fromPosition: start }))).filter((e) => e.streamId.startsWith('load-'));
        expect(logOrder.map((e) => e.eventId)).toEqual(ids); // the subscriber's order is the log's order
      }, 180_000);
    });
  });
}
