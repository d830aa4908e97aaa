/**
 * UNIT TEST OF CONTROL FLOW ONLY, against a small hand-written fake of `EventStoreDBClient`.
 *
 * The fake imitates the few server behaviours the adapter's branches depend on (ESDB's id-based
 * idempotency only below the head, WrongExpectedVersion, inclusive `$all` reads, system records
 * in `$all`, StreamNotFound on a missing stream). It is NOT EventStoreDB and passing here proves
 * nothing about the real server: that is tests/contract/eventstoredb.contract.spec.ts, which runs
 * the shared contract when EVENTSTORE_CONNECTION_STRING is set.
 */
import { randomUUID } from 'node:crypto';
import {
  ANY,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  END,
  type EventData,
  NO_STREAM,
  type Position,
  type ReadPosition,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventIdConflictError, EventStoreUnavailableError, type NewEvent, type RecordedEvent, WrongExpectedVersionError } from '../event-store.port';
import { bureauDayOf } from '@fundtrail/calendar';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import { type EsdbClient, EventStoreDbEventStore } from './eventstoredb-event-store';
import { SEAL_KEY, UnsealedEventError } from './eventstoredb-mapping';

// ------------------------------------------------------------------------------------------------
// The fake
// ------------------------------------------------------------------------------------------------

interface FakeRecord {
  streamId: string;
  id: string;
  isJson: boolean;
  revision: bigint;
  type: string;
  created: Date;
  data: unknown;
  metadata: unknown;
  position: Position;
}

const ULONG_MAX = (1n << 64n) - 1n;

class FakeSubscription {
  destroyed = false;
  unsubscribed = false;
  private readonly queue: FakeRecord[] = [];
  private wake?: () => void;
  private error?: unknown;

  constructor(private readonly regex: RegExp | undefined) {}

  offer(record: FakeRecord): void {
    if (this.regex && !this.regex.test(record.type)) return;
    this.queue.push(record);
    this.wake?.();
  }

  fail(error: unknown): void {
    this.error = error;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<{ event: FakeRecord; commitPosition: bigint }> {
    for (;;) {
      if (this.error) throw this.error;
      if (this.destroyed) throw Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      const next = this.queue.shift();
      if (next) yield { event: next, commitPosition: next.position.commit };
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Like the real client: cancels the call, but does not end the readable. */
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }

  destroy(): void {
    this.destroyed = true;
    this.wake?.();
  }
}

class FakeEsdbClient {
  readonly streams = new Map<string, FakeRecord[]>();
  readonly log: FakeRecord[] = [];
  readonly calls: string[] = [];
  readonly appendedWith: AppendExpectedRevision[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  readonly failNext: { append?: unknown; readStream?: unknown; readAll?: unknown } = {};
  /** Servers before 22.6 report no $all position on stream reads. */
  positionsOnStreamReads = true;
  disposed = false;
  private position = 1000n;

  /** A system record in $all, as projections and stats write them. */
  systemRecord(type = '$>', streamId = '$ce-project'): void {
    this.position += 17n;
    this.record({
      streamId,
      id: randomUUID(),
      isJson: false,
      revision: 0n,
      type,
      created: new Date(),
      data: new Uint8Array(),
      metadata: undefined,
      position: { commit: this.position, prepare: this.position },
    });
  }

  /** An event someone else wrote straight into ESDB, without FundTrail's seal. */
  foreignRecord(streamId: string): void {
    this.position += 17n;
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const record: FakeRecord = {
      streamId,
      id: randomUUID(),
      isJson: true,
      revision: BigInt(stream.length),
      type: 'Foreign',
      created: new Date(),
      data: { x: 1 },
      metadata: {},
      position: { commit: this.position, prepare: this.position },
    };
    stream.push(record);
    this.record(record);
  }

  private record(record: FakeRecord): void {
    this.log.push(record);
    for (const s of this.subscriptions) s.offer(record);
  }

  async appendToStream(
    streamId: string,
    events: EventData | EventData[],
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<EsdbAppendResult> {
    this.calls.push('appendToStream');
    const expectedRevision = options.expectedRevision ?? ANY;
    this.appendedWith.push(expectedRevision);
    if (this.failNext.append) {
      const error = this.failNext.append;
      delete this.failNext.append;
      throw error;
    }
    const list = Array.isArray(events) ? events : [events];
    const stream = this.streams.get(streamId) ?? [];
    const current = BigInt(stream.length) - 1n;
    const wrong = () =>
      new EsdbWrongExpectedVersionError(undefined, { streamName: streamId, expected: expectedRevision, current: current < 0n ? 'no_stream' : current });
    if (expectedRevision === ANY) throw new Error('the adapter must never append with ANY: the hash chain needs the exact head');
    const expected = expectedRevision === NO_STREAM ? -1n : (expectedRevision as bigint);
    if (expected > current) throw wrong();
    if (expected < current) {
      // ESDB: ids right after the expected revision -> idempotent success, without comparing content.
      const same = list.every((e, i) => stream[Number(expected) + 1 + i]?.id === e.id);
      if (!same) throw wrong();
      const last = stream[Number(expected) + list.length];
      return { success: true, nextExpectedRevision: last.revision, position: last.position };
    }
    // At the head ESDB writes, whatever the ids (this is why the adapter checks them first).
    this.streams.set(streamId, stream);
    for (const e of list) {
      this.position += 100n;
      const record: FakeRecord = {
        streamId,
        id: e.id,
        isJson: true,
        revision: BigInt(stream.length),
        type: e.type,
        created: new Date(),
        data: JSON.parse(JSON.stringify(e.data)),
        metadata: JSON.parse(JSON.stringify(e.metadata)),
        position: { commit: this.position, prepare: this.position },
      };
      stream.push(record);
      this.record(record);
      this.systemRecord('$>', `$ce-${streamId.split('-')[0]}`);
    }
    const last = stream[stream.length - 1];
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  readStream(streamId: string, options: { fromRevision?: bigint | typeof START | typeof END; direction?: string; maxCount?: number | bigint } = {}) {
    const backwards = options.direction === 'backwards';
    this.calls.push(`readStream:${backwards ? 'backwards' : 'forwards'}`);
    const failure = this.failNext.readStream;
    delete this.failNext.readStream;
    const stream = this.streams.get(streamId);
    const from = options.fromRevision ?? (backwards ? END : START);
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const withPositions = this.positionsOnStreamReads;
    return {
      cancel: async () => undefined,
      async *[Symbol.asyncIterator]() {
        if (failure) throw failure;
        if (!stream) throw new StreamNotFoundError(undefined, streamId);
        let selected = backwards ? [...stream].reverse() : [...stream];
        if (typeof from === 'bigint') selected = selected.filter((r) => (backwards ? r.revision <= from : r.revision >= from));
        for (const r of selected.slice(0, maxCount)) {
          yield { event: { ...r, position: withPositions ? r.position : { commit: ULONG_MAX, prepare: ULONG_MAX } } };
        }
      },
    };
  }

  readAll(options: { fromPosition?: ReadPosition; direction?: string; maxCount?: number | bigint } = {}) {
    const backwards = options.direction === 'backwards';
    this.calls.push(`readAll:${backwards ? 'backwards' : 'forwards'}`);
    const failure = this.failNext.readAll;
    delete this.failNext.readAll;
    const from = options.fromPosition ?? (backwards ? END : START);
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    let selected = backwards ? [...this.log].reverse() : [...this.log];
    if (typeof from === 'object') {
      // Forwards from a position includes the record at it; backwards reads what precedes it.
      selected = selected.filter((r) => (backwards ? r.position.commit < from.commit : r.position.commit >= from.commit));
    }
    return {
      cancel: async () => undefined,
      async *[Symbol.asyncIterator]() {
        if (failure) throw failure;
        for (const r of selected.slice(0, maxCount)) yield { event: r, commitPosition: r.position.commit };
      },
    };
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: { regex?: string } } = {}) {
    this.calls.push('subscribeToAll');
    const subscription = new FakeSubscription(options.filter?.regex ? new RegExp(options.filter.regex) : undefined);
    const from = options.fromPosition ?? START;
    for (const r of this.log) if (from === START || (typeof from === 'object' && r.position.commit > from.commit)) subscription.offer(r);
    this.subscriptions.push(subscription);
    return subscription;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  asClient(): EsdbClient {
    return this as unknown as EsdbClient;
  }
}

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

function newEvent(type = 'Tested', data: Record<string, unknown> = { n: 1 }): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      actor: { id: 'unit', role: 'admin' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      effectiveDate: '2024-08-31',
      schemaVersion: 1,
    },
  };
}

function expectChain(events: RecordedEvent[]): void {
  let prev = GENESIS_HASH;
  for (const event of events) {
    expect(event.prevHash).toBe(prev);
    expect(event.hash).toBe(chainHash(prev, event));
    prev = event.hash;
  }
}

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

// ------------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------------

describe('EventStoreDbEventStore: unit test of control flow against a fake client (not the contract)', () => {
  let fake: FakeEsdbClient;
  let store: EventStoreDbEventStore;
  beforeEach(() => {
    fake = new FakeEsdbClient();
    store = new EventStoreDbEventStore(fake.asClient());
  });

  describe('append', () => {
    it('seals a new stream from the genesis hash and stores the seal and our metadata in ESDB metadata', async () => {
      const events = [newEvent('A', { amount: '10.00' }), newEvent('B')];
      const result = await store.append('project-1', events, { expectedRevision: 'no_stream' });
      expect(fake.appendedWith).toEqual([NO_STREAM]);
      const stored = fake.streams.get('project-1')!;
      expect(result).toEqual({ streamId: 'project-1', streamRevision: 1n, globalPosition: stored[1].position.commit, eventIds: events.map((e) => e.eventId) });
      const meta = stored[0].metadata as Record<string, unknown>;
      expect(meta).toMatchObject({ ...events[0].metadata, $correlationId: events[0].metadata.correlationId });
      expect(meta[SEAL_KEY]).toMatchObject({ prevHash: GENESIS_HASH });
      expectChain(await store.readStream('project-1'));
    });

    it('chains onto the cached head without reading first, then reads back only the last event', async () => {
      await store.append('project-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      fake.calls.length = 0;
      const result = await store.append('project-1', [newEvent('C', { nested: { z: 1, a: [1, 2] } })], { expectedRevision: 1n });
      expect(result.streamRevision).toBe(2n);
      expect(fake.calls).toEqual(['appendToStream', 'readStream:forwards']);
      expect(fake.appendedWith.at(-1)).toBe(1n);
      expectChain(await store.readStream('project-1'));
    });

    it('without a cached head (another process), reads the stream tail and chains onto it', async () => {
      await store.append('project-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      const other = new EventStoreDbEventStore(fake.asClient());
      fake.calls.length = 0;
      await other.append('project-1', [newEvent()], { expectedRevision: 1n });
      expect(fake.calls).toEqual(['readStream:backwards', 'appendToStream', 'readStream:forwards']);
      expectChain(await store.readStream('project-1'));
    });

    it("'any' is written with the exact head revision (the chain must know what it follows), never ANY", async () => {
      expect((await store.append('project-1', [newEvent()], { expectedRevision: 'any' })).streamRevision).toBe(0n);
      expect((await store.append('project-1', [newEvent()], { expectedRevision: 'any' })).streamRevision).toBe(1n);
      expect(fake.appendedWith).toEqual([NO_STREAM, 0n]);
    });

    it("'any' with a stale cached head is refused by ESDB, re-reads the head and chains onto the real one", async () => {
      await store.append('project-1', [newEvent()], { expectedRevision: 'no_stream' });
      await new EventStoreDbEventStore(fake.asClient()).append('project-1', [newEvent()], { expectedRevision: 0n });
      const result = await store.append('project-1', [newEvent()], { expectedRevision: 'any' });
      expect(result.streamRevision).toBe(2n);
      expect(fake.appendedWith.slice(-2)).toEqual([0n, 1n]);
      expectChain(await store.readStream('project-1'));
    });

    it('refuses $-prefixed streams and types, and an empty append, before calling the server', async () => {
      await expect(store.append('$project-1', [newEvent()], { expectedRevision: 'any' })).rejects.toThrow(RangeError);
      await expect(store.append('project-1', [newEvent('$Created')], { expectedRevision: 'any' })).rejects.toThrow(RangeError);
      await expect(store.append('project-1', [], { expectedRevision: 'any' })).rejects.toThrow(RangeError);
      expect(fake.calls).toEqual([]);
    });
  });

  describe('expected revision', () => {
    it("maps ESDB's refusal to WrongExpectedVersionError with the actual revision", async () => {
      await store.append('project-1', [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      const stale = new EventStoreDbEventStore(fake.asClient());
      await expect(stale.append('project-1', [newEvent()], { expectedRevision: 1n })).rejects.toMatchObject({
        name: 'WrongExpectedVersionError',
        streamId: 'project-1',
        expected: 1n,
        actual: 2n,
      });
      await expect(store.append('project-1', [newEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({ actual: 2n, expected: 'no_stream' });
    });

    it("reports 'no_stream' for an absent stream and never writes ahead of the head", async () => {
      await expect(store.append('absent-1', [newEvent()], { expectedRevision: 0n })).rejects.toMatchObject({ actual: 'no_stream' });
      await store.append('project-1', [newEvent()], { expectedRevision: 'no_stream' });
      await expect(store.append('project-1', [newEvent()], { expectedRevision: 5n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(fake.streams.get('project-1')).toHaveLength(1);
    });
  });

  describe('idempotent retry', () => {
    it('a retry with the same expected revision: ESDB acknowledges without writing, the adapter returns the original result', async () => {
      const events = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })];
      const first = await store.append('project-1', events, { expectedRevision: 'no_stream' });
      const retry = await store.append('project-1', events, { expectedRevision: 'no_stream' });
      expect(retry).toEqual(first);
      expect(fake.streams.get('project-1')).toHaveLength(2);
    });

    it('a retry at the head (where ESDB itself would write the ids again) is answered from the cached ids, without writing', async () => {
      const events = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })];
      const first = await store.append('project-1', events, { expectedRevision: 'no_stream' });
      fake.calls.length = 0;
      expect(await store.append('project-1', events, { expectedRevision: 1n })).toEqual(first);
      expect(fake.calls).not.toContain('appendToStream');
      expect(fake.streams.get('project-1')).toHaveLength(2);
    });

    it('a retry at the head on another instance (no cache) reads the tail and returns the original result', async () => {
      const events = [newEvent('A', { n: 1 })];
      const first = await store.append('project-1', events, { expectedRevision: 'no_stream' });
      await store.append('project-1', [newEvent()], { expectedRevision: 0n });
      const other = new EventStoreDbEventStore(fake.asClient());
      expect(await other.append('project-1', events, { expectedRevision: 1n })).toEqual(first);
      expect(await other.append('project-1', events, { expectedRevision: 'any' })).toEqual(first);
      expect(fake.streams.get('project-1')).toHaveLength(2);
    });

    it('a retry landing on a stale cached head (the original went through another instance) replays, and re-learns the stored hash', async () => {
      const a = store;
      const b = new EventStoreDbEventStore(fake.asClient());
      await a.append('project-1', [newEvent()], { expectedRevision: 'no_stream' }); // a caches revision 0
      const events = [newEvent('Retried', { n: 7 })];
      const original = await b.append('project-1', events, { expectedRevision: 0n });
      const retry = await a.append('project-1', events, { expectedRevision: 0n });
      expect(retry).toEqual(original);
      expect(fake.streams.get('project-1')).toHaveLength(2);
      // a's next append must chain onto the stored event's hash, not onto the one it computed for the retry
      await a.append('project-1', [newEvent()], { expectedRevision: 1n });
      expectChain(await a.readStream('project-1'));
    });

    it('an event id stored with other content is a conflict, at the head and below it', async () => {
      const event = newEvent('A', { n: 1 });
      await store.append('project-1', [event], { expectedRevision: 'no_stream' });
      await expect(store.append('project-1', [{ ...event, data: { n: 2 } }], { expectedRevision: 0n })).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.append('project-1', [{ ...event, data: { n: 2 } }], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.append('project-1', [{ ...event, type: 'B' }], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
      expect(fake.streams.get('project-1')).toHaveLength(1);
    });

    it('some ids stored and some new is a conflict, not a partial replay', async () => {
      const stored = newEvent('A');
      await store.append('project-1', [stored], { expectedRevision: 'no_stream' });
      await expect(store.append('project-1', [stored, newEvent('B')], { expectedRevision: 0n })).rejects.toMatchObject({
        name: 'EventIdConflictError',
        eventId: stored.eventId,
      });
    });
  });

  describe('errors', () => {
    it('an unavailable server becomes EventStoreUnavailableError (append and read)', async () => {
      fake.failNext.append = new UnavailableError(undefined, '14 UNAVAILABLE: No connection established');
      await expect(store.append('project-1', [newEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(EventStoreUnavailableError);
      fake.failNext.readStream = new UnavailableError(undefined, 'down');
      await expect(store.readStream('project-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      fake.failNext.readAll = new UnavailableError(undefined, 'down');
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('an event without our seal is refused, not passed off as ours', async () => {
      fake.foreignRecord('project-9');
      await expect(store.readStream('project-9')).rejects.toBeInstanceOf(UnsealedEventError);
    });

    it('a server that reports no positions on stream reads (before 22.6) fails loudly', async () => {
      await store.append('project-1', [newEvent()], { expectedRevision: 'no_stream' });
      fake.positionsOnStreamReads = false;
      await expect(store.readStream('project-1')).rejects.toThrow(/22\.6/);
    });
  });

  describe('reading', () => {
    it('reads a stream forwards, backwards, from a revision, bounded; a missing stream is empty', async () => {
      const events = Array.from({ length: 5 }, (_, n) => newEvent('R', { n }));
      await store.append('project-1', events, { expectedRevision: 'no_stream' });
      expect((await store.readStream('project-1')).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      expect((await store.readStream('project-1', { direction: 'backwards', maxCount: 2 })).map((e) => e.streamRevision)).toEqual([4n, 3n]);
      expect((await store.readStream('project-1', { from: 3n })).map((e) => e.streamRevision)).toEqual([3n, 4n]);
      expect((await store.readStream('project-1', { from: 1n, direction: 'backwards' })).map((e) => e.streamRevision)).toEqual([1n, 0n]);
      expect(await store.readStream('project-1', { maxCount: 0 })).toEqual([]);
      expect(await store.readStream('absent-1')).toEqual([]);
    });

    it('reads $all in pages, skipping system records, exclusive of fromPosition, bounded by maxCount', async () => {
      fake.systemRecord('$statsCollected', '$stats-node');
      await store.append('a-1', [newEvent()], { expectedRevision: 'no_stream' });
      await store.append('b-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      await store.append('a-1', [newEvent()], { expectedRevision: 0n });
      fake.systemRecord('$metadata', '$$a-1');
      const all = await collect(store.readAll({ batchSize: 2 }));
      expect(all.map((e) => `${e.streamId}@${e.streamRevision}`)).toEqual(['a-1@0', 'b-1@0', 'b-1@1', 'a-1@1']);
      for (let i = 1; i < all.length; i += 1) expect(all[i].globalPosition > all[i - 1].globalPosition).toBe(true);
      const tail = await collect(store.readAll({ fromPosition: all[2].globalPosition, batchSize: 1 }));
      expect(tail.map((e) => e.eventId)).toEqual([all[3].eventId]);
      expect(await collect(store.readAll({ fromPosition: all[0].globalPosition, maxCount: 2 }))).toEqual(all.slice(1, 3));
      expect(await collect(store.readAll({ fromPosition: all[3].globalPosition }))).toEqual([]);
    });

    it('readBackdated reads $all past system records and pages the events isBackdated keeps', async () => {
      const recent = newEvent('Recent');
      recent.metadata.effectiveDate = bureauDayOf(new Date());
      await store.append('a-1', [newEvent('Old1'), recent], { expectedRevision: 'no_stream' });
      fake.systemRecord();
      await store.append('b-1', [newEvent('Old2'), newEvent('Old3')], { expectedRevision: 'no_stream' });
      const all = await store.readBackdated({ graceDays: 30 });
      expect({ total: all.total, types: all.events.map((e) => e.type) }).toEqual({ total: 3, types: ['Old1', 'Old2', 'Old3'] });
      const page = await store.readBackdated({ graceDays: 30, offset: 1, limit: 1 });
      expect({ total: page.total, types: page.events.map((e) => e.type) }).toEqual({ total: 3, types: ['Old2'] });
      expect(await store.readBackdated({ graceDays: 30, recordedTo: '2024-09-01' })).toEqual({ events: [], total: 0 });
    });

    it('headPosition is the last non-system event, past more than a page of trailing system records; 0 when empty', async () => {
      expect(await store.headPosition()).toBe(0n);
      fake.systemRecord();
      expect(await store.headPosition()).toBe(0n);
      const result = await store.append('a-1', [newEvent()], { expectedRevision: 'no_stream' });
      for (let i = 0; i < 250; i += 1) fake.systemRecord();
      expect(await store.headPosition()).toBe(result.globalPosition);
    });
  });

  describe('subscribeAll', () => {
    it('catches up after fromPosition, goes live, skips system events, and stop() ends a pending next()', async () => {
      const first = await store.append('a-1', [newEvent()], { expectedRevision: 'no_stream' });
      await store.append('a-1', [newEvent()], { expectedRevision: 0n });
      const subscription = store.subscribeAll(first.globalPosition);
      const iterator = subscription[Symbol.asyncIterator]();
      expect((await iterator.next()).value.streamRevision).toBe(1n);
      const live = iterator.next();
      await store.append('b-1', [newEvent()], { expectedRevision: 'no_stream' });
      expect((await live).value.streamId).toBe('b-1');
      const pending = iterator.next();
      await subscription.stop();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
      expect(fake.subscriptions[0].unsubscribed).toBe(true);
      expect(fake.subscriptions[0].destroyed).toBe(true);
    });

    it('resubscribes after the server becomes unavailable, from the last delivered event, without duplicates', async () => {
      await store.append('a-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      const subscription = store.subscribeAll(0n, { idleMs: 1 });
      const seen: RecordedEvent[] = [];
      const consumer = (async () => {
        for await (const e of subscription) {
          seen.push(e);
          if (seen.length === 4) break;
        }
      })();
      while (seen.length < 2) await settle();
      fake.subscriptions[0].fail(new UnavailableError(undefined, 'connection lost'));
      await store.append('a-1', [newEvent(), newEvent()], { expectedRevision: 1n });
      await consumer;
      expect(seen.map((e) => e.streamRevision)).toEqual([0n, 1n, 2n, 3n]);
      expect(fake.subscriptions.length).toBeGreaterThanOrEqual(2);
    });

    it('ends with the error when it is not transient', async () => {
      fake.foreignRecord('x-1');
      const subscription = store.subscribeAll(0n);
      await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(UnsealedEventError);
      await subscription.stop();
    });

    it('close() stops open subscriptions and disposes the client', async () => {
      const subscription = store.subscribeAll(0n);
      const pending = subscription[Symbol.asyncIterator]().next();
      await store.close();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(fake.disposed).toBe(true);
    });
  });
});

describe('EventStoreDbEventStore with the real @eventstore/db-client and no server (connection refused)', () => {
  let store: EventStoreDbEventStore;
  beforeAll(() => {
    store = EventStoreDbEventStore.fromConnectionString('esdb://127.0.0.1:1?tls=false&defaultDeadline=5000');
  });
  afterAll(async () => store.close());

  it('append, readStream, readAll and headPosition fail with EventStoreUnavailableError, not a hang', async () => {
    await expect(store.append('project-1', [newEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.append('project-1', [newEvent()], { expectedRevision: 0n })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream('project-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(collect(store.readAll())).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('a subscription keeps retrying while the server is away, and stop() ends it', async () => {
    const subscription = store.subscribeAll(0n, { idleMs: 5 });
    const pending = subscription[Symbol.asyncIterator]().next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription.stop();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
