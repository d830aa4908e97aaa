import {
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  type Position,
  type ReadPosition,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { canonicalJson } from '../canonical-json';
import { isBackdated } from '../backdating';
import {
  type AppendResult,
  type BackdatedEvents,
  type BackdatedQuery,
  EventIdConflictError,
  type EventStore,
  EventStoreUnavailableError,
  type ExpectedRevision,
  type NewEvent,
  type ProjectedEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersionError,
} from '../event-store.port';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import {
  asStoredJson,
  assertUserStreamAndType,
  compareEsdbPositions,
  fromEsdbPosition,
  isSystemEvent,
  positionOf,
  type SealedEvent,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEsdbStoreError,
  toRecordedEvent,
} from './eventstoredb-mapping';

/** The part of `EventStoreDBClient` the adapter uses (a real client satisfies it). */
export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

export interface EventStoreDbEventStoreOptions {
  /**
   * How many of a stream's latest events are checked for already-stored event ids before an append.
   * EventStoreDB only deduplicates ids itself when the expected revision is *below* the stream's
   * head; an append at the head with ids stored earlier would be written twice. Default 100.
   */
  idempotencyWindow?: number;
  /** Called with the number of events each successful (non-replayed) append stored. */
  onAppended?: (count: number) => void;
}

/** A known event of a stream (revision, hash) and the ids of the events up to it, oldest first. */
interface KnownHead {
  revision: bigint;
  hash: string;
  recentIds: string[];
}

interface SealedRow extends SealedEvent {
  revision: bigint;
}

const DEFAULT_IDEMPOTENCY_WINDOW = 100;
const HEAD_SCAN_PAGE = 100;

/**
 * EventStore over EventStoreDB / KurrentDB, for servers 22.6 and later
 * (earlier servers report no `$all` position on stream reads).
 *
 * - `globalPosition` is the event's commit position in `$all`; every gRPC append is an implicit
 *   transaction, so each event has its own (commit = prepare).
 * - The hash chain is computed here, as in the postgres adapter; `recordedAt`, `hash` and `prevHash`
 *   live in the ESDB custom metadata next to our EventMetadata (see eventstoredb-mapping.ts).
 * - An append is always written with an exact expected revision (also for 'any'), because the chain
 *   needs to know which event it follows; then the last event is read back, which tells a fresh write
 *   from one ESDB accepted as an idempotent retry of earlier events (ESDB compares ids only).
 */
export class EventStoreDbEventStore implements EventStore {
  /** (stream, revision) -> event never changes once stored, so remembering heads is always safe. */
  private readonly knownHeads = new Map<string, KnownHead>();
  private readonly window: number;
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly client: EsdbClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.window = Math.max(1, Math.floor(options.idempotencyWindow ?? DEFAULT_IDEMPOTENCY_WINDOW));
  }

  /** e.g. `esdb://localhost:2113?tls=false`. */
  static fromConnectionString(connectionString: string, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(streamId: string, events: NewEvent[], { expectedRevision }: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    toEsdbExpectedRevision(expectedRevision); // validates
    for (const event of events) assertUserStreamAndType(streamId, event.type);
    try {
      return await this.appendOnce(streamId, events, expectedRevision);
    } catch (error) {
      throw toEsdbStoreError(error, { streamId, expected: expectedRevision });
    }
  }

  private async appendOnce(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const head = await this.headFor(streamId, expected);
    if (head === 'mismatch') return this.refuseOrReplay(streamId, events, expected);
    // ESDB would store these again: at its head it does not look for known ids.
    if (head && events.some((e) => head.recentIds.includes(e.eventId))) return this.refuseOrReplay(streamId, events, expected);

    const recordedAt = new Date();
    let prevHash = head ? head.hash : GENESIS_HASH;
    let revision = head ? head.revision : -1n;
    const rows: SealedRow[] = events.map((event) => {
      revision += 1n;
      const data = asStoredJson(event.data);
      const metadata = asStoredJson(event.metadata);
      const hash = chainHash(prevHash, { eventId: event.eventId, type: event.type, streamId, streamRevision: revision, recordedAt, data, metadata });
      const row: SealedRow = { eventId: event.eventId, type: event.type, data, metadata, revision, seal: { recordedAt, hash, prevHash } };
      prevHash = hash;
      return row;
    });

    try {
      const written = await this.client.appendToStream(streamId, rows.map(toEsdbEventData), {
        expectedRevision: toEsdbExpectedRevision(head ? head.revision : 'no_stream'),
      });
      // Only when the client was built with throwOnAppendFailure=false.
      if (!written.success) return this.refuseOrReplay(streamId, events, expected);
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) return this.refuseOrReplay(streamId, events, expected);
      throw error;
    }

    const last = rows[rows.length - 1];
    const [stored] = await this.readStreamEvents(streamId, { direction: FORWARDS, fromRevision: last.revision, maxCount: 1 });
    if (!stored || stored.eventId !== last.eventId || stored.hash !== last.seal.hash) {
      // ESDB found these ids right after the expected revision and acknowledged without writing:
      // the events stored are an earlier append's, sealed with its own recordedAt.
      return this.refuseOrReplay(streamId, events, expected);
    }
    this.remember(streamId, last.revision, last.seal.hash, [...(head?.recentIds ?? []), ...rows.map((r) => r.eventId)]);
    this.options.onAppended?.(rows.length);
    return { streamId, streamRevision: last.revision, globalPosition: stored.globalPosition, eventIds: rows.map((r) => r.eventId) };
  }

  /** The head the append must chain onto, or 'mismatch' when `expected` cannot hold. */
  private async headFor(streamId: string, expected: ExpectedRevision): Promise<KnownHead | null | 'mismatch'> {
    if (expected === 'no_stream') return null;
    const known = this.knownHeads.get(streamId);
    // A stale head for 'any' costs one refused write, then a fresh read (see refuseOrReplay).
    if (known && this.coversWindow(known) && (expected === 'any' || known.revision === expected)) return known;
    const tail = await this.readTail(streamId, this.window);
    const head: KnownHead | null =
      tail.length > 0 ? { revision: tail[0].streamRevision, hash: tail[0].hash, recentIds: tail.map((e) => e.eventId).reverse() } : null;
    if (expected === 'any') return head;
    return head && head.revision === expected ? head : 'mismatch';
  }

  /** Whether `known.recentIds` holds the last `window` ids of the stream up to `known.revision`. */
  private coversWindow(known: KnownHead): boolean {
    return BigInt(known.recentIds.length) >= (known.revision + 1n < BigInt(this.window) ? known.revision + 1n : BigInt(this.window));
  }

  /** The stream's last `count` events, newest first; remembers the head. */
  private async readTail(streamId: string, count: number): Promise<RecordedEvent[]> {
    const tail = await this.readStreamEvents(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: count });
    this.rememberRead(streamId, tail, 'backwards');
    return tail;
  }

  private remember(streamId: string, revision: bigint, hash: string, recentIds: string[]): void {
    if (this.knownHeads.size > 50_000) this.knownHeads.clear();
    const known = this.knownHeads.get(streamId);
    const ids = recentIds.slice(-this.window);
    if (!known || known.revision < revision || (known.revision === revision && known.recentIds.length < ids.length)) {
      this.knownHeads.set(streamId, { revision, hash, recentIds: ids });
    }
  }

  /** Remembers the newest event of a read, with the ids of the gapless run of revisions ending at it. */
  private rememberRead(streamId: string, events: RecordedEvent[], direction: 'forwards' | 'backwards'): void {
    if (events.length === 0) return;
    const ascending = direction === 'forwards' ? events : [...events].reverse();
    let start = ascending.length - 1;
    while (start > 0 && ascending[start - 1].streamRevision === ascending[start].streamRevision - 1n) start -= 1;
    const newest = ascending[ascending.length - 1];
    this.remember(
      streamId,
      newest.streamRevision,
      newest.hash,
      ascending.slice(start).map((e) => e.eventId),
    );
  }

  /**
   * The append did not happen (or ESDB acknowledged it without writing). If every event id is already
   * stored in this stream with the same content, this is a retry of an append that did: answer with
   * the original result. Looks at the stream's last `idempotencyWindow` events, and at the revisions
   * right after the expected one (where ESDB itself finds retried ids).
   */
  private async refuseOrReplay(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const tail = await this.readTail(streamId, Math.max(this.window, events.length));
    const stored = new Map(tail.map((e) => [e.eventId, e]));
    const head = tail[0]?.streamRevision;
    if (head !== undefined && expected !== 'any') {
      const after = expected === 'no_stream' ? 0n : expected + 1n;
      if (after <= head && after < tail[tail.length - 1].streamRevision) {
        const range = await this.readStreamEvents(streamId, { direction: FORWARDS, fromRevision: after, maxCount: events.length });
        for (const e of range) stored.set(e.eventId, e);
      }
    }
    if (events.some((e) => stored.has(e.eventId))) {
      const allSame = events.every((e) => {
        const s = stored.get(e.eventId);
        return s && s.streamId === streamId && s.type === e.type && canonicalJson(s.data) === canonicalJson(asStoredJson(e.data));
      });
      if (!allSame) {
        const conflicting = events.find((e) => stored.has(e.eventId)) ?? events[0];
        throw new EventIdConflictError(conflicting.eventId);
      }
      const recorded = events.map((e) => stored.get(e.eventId) as RecordedEvent);
      return {
        streamId,
        streamRevision: recorded[recorded.length - 1].streamRevision,
        globalPosition: recorded.reduce((m, e) => (e.globalPosition > m ? e.globalPosition : m), 0n),
        eventIds: events.map((e) => e.eventId),
      };
    }
    if (expected === 'any') return this.appendOnce(streamId, events, 'any');
    throw new WrongExpectedVersionError(streamId, expected, head ?? 'no_stream');
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    try {
      const events = await this.readStreamEvents(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.from ?? (backwards ? END : START),
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      this.rememberRead(streamId, events, backwards ? 'backwards' : 'forwards');
      return events;
    } catch (error) {
      throw toEsdbStoreError(error, { streamId });
    }
  }

  async findEvents(streamId: string, eventIds: string[]): Promise<RecordedEvent[]> {
    if (eventIds.length === 0) return [];
    const wanted = new Set(eventIds);
    // ESDB indexes events by stream, not by id: the stream is read and filtered (a command's streams are short).
    return (await this.readStream(streamId)).filter((event) => wanted.has(event.eventId));
  }

  /** One stream read, fully drained (so no gRPC call is left open); a missing stream reads as empty. */
  private async readStreamEvents(
    streamId: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: bigint | typeof START | typeof END; maxCount?: number },
  ): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { ...options, resolveLinkTos: false })) {
        const event = toRecordedEvent(resolved);
        if (event) out.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  /** Reads `$all` forwards in pages of `batchSize` records, skipping ESDB's system events. */
  /** EventStoreDB sends whole events: they are handed out as they are. */
  readAllForProjection(options: ReadAllOptions = {}): AsyncIterable<ProjectedEvent> {
    return this.readAll(options);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const from = options.fromPosition ?? 0n;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const batchSize = Math.max(1, options.batchSize ?? 1000);
    let cursor: Position | undefined = from > 0n ? (toEsdbPosition(from) as Position) : undefined;
    while (remaining > 0) {
      // ESDB's read from a position includes the record at it: ask for one more to make a full page.
      const want = batchSize + (cursor ? 1 : 0);
      const page = await this.readAllPage(cursor ?? START, 'forwards', want);
      const after = cursor;
      const fresh = after ? page.records.filter(({ position }) => compareEsdbPositions(position, after) > 0) : page.records;
      for (const { resolved } of fresh) {
        const event = toRecordedEvent(resolved);
        if (!event || event.globalPosition <= from) continue;
        yield event;
        remaining -= 1;
        if (remaining <= 0) return;
      }
      if (page.count < want || fresh.length === 0) return;
      cursor = fresh[fresh.length - 1].position;
    }
  }

  /** One `$all` page, fully drained (no gRPC call left open), with each record's position. */
  private async readAllPage(
    fromPosition: ReadPosition,
    direction: 'forwards' | 'backwards',
    maxCount: number,
  ): Promise<{ count: number; records: { resolved: AllStreamResolvedEvent; position: Position }[] }> {
    const records: { resolved: AllStreamResolvedEvent; position: Position }[] = [];
    let count = 0;
    try {
      const read = this.client.readAll({
        fromPosition,
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        maxCount,
        resolveLinkTos: false,
      });
      for await (const resolved of read) {
        count += 1;
        const position = positionOf(resolved);
        if (position) records.push({ resolved, position });
      }
    } catch (error) {
      throw toEsdbStoreError(error);
    }
    return { count, records };
  }

  /** Catch-up then live through an ESDB `$all` subscription, filtered to non-system events. */
  subscribeAll(fromPosition: bigint, options: SubscribeOptions = {}): Subscription {
    const client = this.client;
    const idleMs = options.idleMs ?? 25;
    let stopped = false;
    let current: AllStreamSubscription | undefined;
    let signalStop: () => void = () => undefined;
    const stoppedSignal = new Promise<IteratorResult<RecordedEvent>>((resolve) => {
      signalStop = () => resolve({ done: true, value: undefined });
    });

    async function* events(): AsyncGenerator<RecordedEvent> {
      let position = fromPosition;
      let failures = 0;
      while (!stopped) {
        const subscription = client.subscribeToAll({
          fromPosition: toEsdbPosition(position),
          filter: excludeSystemEvents(),
          resolveLinkTos: false,
        });
        current = subscription;
        try {
          for await (const resolved of subscription) {
            if (stopped) return;
            const event = toRecordedEvent(resolved);
            // Whether ESDB starts at or after the position, nothing at or before it is delivered twice.
            if (!event || event.globalPosition <= position) continue;
            failures = 0;
            yield event;
            position = event.globalPosition;
          }
          // The server ended the subscription: subscribe again after the last delivered event.
        } catch (error) {
          if (stopped) return;
          const mapped = toEsdbStoreError(error);
          if (!(mapped instanceof EventStoreUnavailableError)) throw mapped;
          failures += 1;
          const backoff = Math.min(2000, Math.max(idleMs, 5) * 2 ** Math.min(failures, 7));
          await Promise.race([new Promise((resolve) => setTimeout(resolve, backoff).unref?.()), stoppedSignal]);
        } finally {
          current = undefined;
          void closeEsdbSubscription(subscription);
        }
      }
    }

    const generator = events();
    const subscriptions = this.subscriptions;
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => ({
        next: () => (stopped ? Promise.resolve({ done: true, value: undefined }) : Promise.race([generator.next(), stoppedSignal])),
        return: async () => {
          await subscription.stop();
          return { done: true, value: undefined };
        },
      }),
      async stop() {
        if (stopped) return;
        stopped = true;
        subscriptions.delete(subscription);
        signalStop();
        if (current) await closeEsdbSubscription(current);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Commit position of the last non-system event in `$all` (ESDB commits in log order: nothing earlier is in flight). */
  async headPosition(): Promise<bigint> {
    let cursor: Position | undefined;
    for (;;) {
      const want = HEAD_SCAN_PAGE + (cursor ? 1 : 0);
      const page = await this.readAllPage(cursor ?? END, 'backwards', want);
      const before = cursor;
      const older = before ? page.records.filter(({ position }) => compareEsdbPositions(position, before) < 0) : page.records;
      const newest = older.find(({ resolved }) => !isSystemEvent(resolved));
      if (newest) return fromEsdbPosition(newest.position) ?? 0n;
      if (page.count < want || older.length === 0) return 0n;
      cursor = older[older.length - 1].position;
    }
  }

  /** `$all` read once and filtered here: ESDB cannot compare a recording day with an effective date. */
  async readBackdated(query: BackdatedQuery): Promise<BackdatedEvents> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    let total = 0;
    for await (const event of this.readAll({ batchSize: 1000 })) {
      if (!isBackdated(event, query)) continue;
      if (total >= offset && events.length < limit) events.push(event);
      total += 1;
    }
    return { events, total };
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }
}

/** Cancels the gRPC call and ends the readable (cancelling alone leaves a `for await` on it pending). */
async function closeEsdbSubscription(subscription: AllStreamSubscription): Promise<void> {
  try {
    await subscription.unsubscribe();
  } catch {
    // already closed
  }
  if (!subscription.destroyed) subscription.destroy();
}
