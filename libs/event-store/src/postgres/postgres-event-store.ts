import type { Pool } from 'pg';
import { canonicalJson } from '../canonical-json';
import { BUREAU_TIME_ZONE } from '@fundtrail/calendar';
import {
  type AppendResult,
  type BackdatedEvents,
  type BackdatedQuery,
  EventIdConflictError,
  type EventStore,
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
import { toStoreError } from './pg-errors';
import { pollingSubscription } from './polling-subscription';
import { AppendBatcher, type InsertedRow, MAX_EVENTS_PER_STATEMENT } from './append-batcher';

/** Events one transaction may append: the ordinal occupies the low 20 bits of a position. */
export const MAX_EVENTS_PER_APPEND = MAX_EVENTS_PER_STATEMENT + 1;

/**
 * Positions below this bound belong to transactions that have all finished: no event with a
 * lower position can still appear. Every read of the global order stops below it.
 *
 * The bound is the oldest transaction still running in this database, or the snapshot's xmax
 * when none is. Transactions of other databases on the server cannot write to this table, so they
 * are left out (a long one elsewhere must not stall our readers); a running transaction whose
 * database cannot be seen (no privilege, or it just ended) counts as ours, which only waits longer.
 * Every later transaction gets an id at or above xmax, so nothing can appear below the bound later.
 */
export const SAFE_POSITION_BOUND = `(
  SELECT least(
           pg_snapshot_xmax(current.snap),
           (SELECT min(xip) FROM pg_snapshot_xip(current.snap) AS xip
             WHERE NOT EXISTS (
               SELECT 1 FROM pg_stat_activity AS other
                WHERE other.backend_xid = (xip::text::bigint % 4294967296)::text::xid
                  AND other.datname IS DISTINCT FROM current_database()))
         )::text::bigint * 1048576
    FROM (SELECT pg_current_snapshot() AS snap) AS current)`;

/** Rows per query of readStream: small enough that PostgreSQL reads a long stream by its index. */
export const READ_PAGE = 1000;

const COLUMNS = `global_position, event_id, stream_id, stream_revision, type, data, metadata, recorded_at, hash, prev_hash`;

interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
  hash: string;
  prev_hash: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    globalPosition: BigInt(row.global_position),
    recordedAt: row.recorded_at,
    data: row.data,
    metadata: row.metadata,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

export interface PostgresEventStoreOptions {
  /** Called with the number of events each successful (non-replayed) append stored. */
  onAppended?: (count: number) => void;
  /**
   * Append statements in flight at once; appends arriving beyond that wait and are written
   * together in the next statement (group commit, see AppendBatcher).
   */
  appendStatementsInFlight?: number;
}

/**
 * Two statements in flight: while one group is in the database, the callers released by the other
 * decide their next commands, which then wait and go together. On the quiet 2-core bench machine
 * two beat one, three and four (docs/PERFORMANCE.md); on a CPU-starved one, one is better.
 */
export const DEFAULT_APPEND_STATEMENTS_IN_FLIGHT = 2;

export class PostgresEventStore implements EventStore {
  /** (stream, revision) -> hash never changes once stored, so remembering heads is always safe. */
  private readonly knownHeads = new Map<string, { revision: bigint; hash: string }>();
  private readonly batcher: AppendBatcher;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.batcher = new AppendBatcher(pool, options.appendStatementsInFlight ?? DEFAULT_APPEND_STATEMENTS_IN_FLIGHT);
  }

  async append(streamId: string, events: NewEvent[], { expectedRevision }: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    if (events.length >= MAX_EVENTS_PER_APPEND) throw new RangeError('too many events in one append');
    try {
      return await this.appendOnce(streamId, events, expectedRevision);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  private async appendOnce(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const head = await this.headFor(streamId, expected);
    if (head === 'mismatch') return this.refuseOrReplay(streamId, events, expected);

    const recordedAt = new Date();
    let prevHash = head ? head.hash : GENESIS_HASH;
    let revision = head ? head.revision : -1n;
    const rows = events.map((event) => {
      revision += 1n;
      const hash = chainHash(prevHash, { ...event, streamId, streamRevision: revision, recordedAt });
      const row = { ...event, revision, hash, prevHash };
      prevHash = hash;
      return row;
    });

    let inserted: InsertedRow[];
    try {
      inserted = await this.batcher.insert({ streamId, expectedRevision: head ? head.revision : -1n, recordedAt, rows });
    } catch (error) {
      if (isUniqueViolation(error)) return this.refuseOrReplay(streamId, events, expected);
      throw error;
    }
    if (inserted.length === 0) return this.refuseOrReplay(streamId, events, expected);

    const last = rows[rows.length - 1];
    this.remember(streamId, last.revision, last.hash);
    this.options.onAppended?.(rows.length);
    return {
      streamId,
      streamRevision: last.revision,
      globalPosition: inserted.reduce((max, r) => (BigInt(r.global_position) > max ? BigInt(r.global_position) : max), 0n),
      eventIds: rows.map((r) => r.eventId),
    };
  }

  /** The stream head the append must chain onto, or 'mismatch' when `expected` cannot hold. */
  private async headFor(streamId: string, expected: ExpectedRevision): Promise<{ revision: bigint; hash: string } | null | 'mismatch'> {
    if (expected === 'no_stream') return null;
    const known = this.knownHeads.get(streamId);
    if (typeof expected === 'bigint' && known?.revision === expected) return known;
    const head = await this.readHead(streamId, typeof expected === 'bigint' ? expected : undefined);
    if (expected === 'any') return head;
    return head && head.revision === expected ? head : 'mismatch';
  }

  private async readHead(streamId: string, revision?: bigint): Promise<{ revision: bigint; hash: string } | null> {
    const { rows } = await this.pool.query<{ stream_revision: string; hash: string }>(
      revision === undefined
        ? `SELECT stream_revision, hash FROM events WHERE stream_id = $1 ORDER BY stream_revision DESC LIMIT 1`
        : `SELECT stream_revision, hash FROM events WHERE stream_id = $1 AND stream_revision = $2`,
      revision === undefined ? [streamId] : [streamId, revision.toString()],
    );
    if (rows.length === 0) return null;
    const head = { revision: BigInt(rows[0].stream_revision), hash: rows[0].hash };
    this.remember(streamId, head.revision, head.hash);
    return head;
  }

  private remember(streamId: string, revision: bigint, hash: string): void {
    if (this.knownHeads.size > 50_000) this.knownHeads.clear();
    const known = this.knownHeads.get(streamId);
    if (!known || known.revision < revision) this.knownHeads.set(streamId, { revision, hash });
  }

  /**
   * The append did not happen. If every event id is already stored in this stream with the same
   * content, this is a retry of an append that did: answer with the original result.
   */
  private async refuseOrReplay(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const { rows } = await this.pool.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`, [
      events.map((e) => e.eventId),
    ]);
    if (rows.length > 0) {
      const stored = new Map(rows.map((r) => [r.event_id, toRecordedEvent(r)]));
      const allSame = events.every((e) => {
        const s = stored.get(e.eventId);
        return s && s.streamId === streamId && s.type === e.type && canonicalJson(s.data) === canonicalJson(e.data);
      });
      if (!allSame) {
        const conflicting = events.find((e) => stored.has(e.eventId)) ?? events[0];
        throw new EventIdConflictError(conflicting.eventId);
      }
      const recorded = events.map((e) => stored.get(e.eventId) as RecordedEvent);
      const last = recorded[recorded.length - 1];
      return {
        streamId,
        streamRevision: last.streamRevision,
        globalPosition: recorded.reduce((m, e) => (e.globalPosition > m ? e.globalPosition : m), 0n),
        eventIds: events.map((e) => e.eventId),
      };
    }
    if (expected === 'any') return this.appendOnce(streamId, events, 'any');
    const head = await this.readHead(streamId);
    throw new WrongExpectedVersionError(streamId, expected, head ? head.revision : 'no_stream');
  }

  /**
   * The stream in revision order, read in pages of READ_PAGE rows by the (stream_id, stream_revision)
   * index. One unbounded query would let the planner pick a sequential scan of the whole log for a long
   * stream (its estimate of how the stream's rows are spread is poor), a cost that grows with the log
   * rather than with the stream; a LIMIT keeps it on the index. A stream shorter than a page is one query.
   */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const sql = (from: boolean) =>
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1${from ? (backwards ? ' AND stream_revision <= $3' : ' AND stream_revision >= $3') : ''}` +
      ` ORDER BY stream_revision ${backwards ? 'DESC' : 'ASC'} LIMIT $2`;
    const events: RecordedEvent[] = [];
    let from = options.from;
    let remaining = options.maxCount;
    try {
      for (;;) {
        const limit = remaining === undefined ? READ_PAGE : Math.min(remaining, READ_PAGE);
        if (limit <= 0) break;
        const params: unknown[] = [streamId, limit];
        if (from !== undefined) params.push(from.toString());
        const { rows } = await this.pool.query<EventRow>(sql(from !== undefined), params);
        for (const row of rows) events.push(toRecordedEvent(row));
        if (remaining !== undefined) remaining -= rows.length;
        if (rows.length < limit) break;
        const last = events[events.length - 1].streamRevision;
        if (backwards && last === 0n) break;
        from = backwards ? last - 1n : last + 1n;
      }
    } catch (error) {
      throw toStoreError(error);
    }
    const head = backwards ? events[0] : events[events.length - 1];
    if (head) this.remember(streamId, head.streamRevision, head.hash);
    return events;
  }

  async findEvents(streamId: string, eventIds: string[]): Promise<RecordedEvent[]> {
    if (eventIds.length === 0) return [];
    try {
      const { rows } = await this.pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND event_id = ANY($2::uuid[]) ORDER BY stream_revision`,
        [streamId, eventIds],
      );
      return rows.map(toRecordedEvent);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /**
   * The log in global order, page by page. The next page is asked for as soon as a page arrives,
   * before its events are handed out: the database reads it while the caller works on this one
   * (at most two pages are held at once).
   */
  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return this.pages(options, (position, limit) => this.readBatch(position, limit));
  }

  /** readAll without the columns a projection never reads (event id, revision, metadata, hashes). */
  readAllForProjection(options: ReadAllOptions = {}): AsyncIterable<ProjectedEvent> {
    return this.pages(options, (position, limit) => this.readProjectedBatch(position, limit));
  }

  private async *pages<E extends ProjectedEvent>(options: ReadAllOptions, read: (position: bigint, limit: number) => Promise<E[]>): AsyncIterable<E> {
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const batchSize = options.batchSize ?? 1000;
    let limit = Math.min(batchSize, remaining);
    let next: Promise<E[]> | undefined = remaining > 0 ? read(options.fromPosition ?? 0n, limit) : undefined;
    try {
      while (next) {
        const batch = await next;
        next = undefined;
        remaining -= batch.length;
        const more = batch.length === limit && remaining > 0;
        if (more) {
          limit = Math.min(batchSize, remaining);
          next = read(batch[batch.length - 1].globalPosition, limit);
        }
        for (const event of batch) yield event;
      }
    } finally {
      // A caller that stops early: let the page asked for land (its error included) before returning.
      if (next) await next.catch(() => undefined);
    }
  }

  /** Events after `position` in global order, only from transactions that have all finished. */
  async readBatch(position: bigint, limit: number): Promise<RecordedEvent[]> {
    try {
      const { rows } = await this.pool.query<EventRow>({
        name: 'fundtrail-read-batch',
        text: `SELECT ${COLUMNS} FROM events
          WHERE global_position > $1 AND global_position < ${SAFE_POSITION_BOUND}
          ORDER BY global_position LIMIT $2`,
        values: [position.toString(), limit],
      });
      return rows.map(toRecordedEvent);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** readBatch with the projection's columns only (the same bound, the same order). */
  private async readProjectedBatch(position: bigint, limit: number): Promise<ProjectedEvent[]> {
    try {
      const { rows } = await this.pool.query<Pick<EventRow, 'global_position' | 'stream_id' | 'type' | 'data' | 'recorded_at'>>({
        name: 'fundtrail-read-projected-batch',
        text: `SELECT global_position, stream_id, type, data, recorded_at FROM events
          WHERE global_position > $1 AND global_position < ${SAFE_POSITION_BOUND}
          ORDER BY global_position LIMIT $2`,
        values: [position.toString(), limit],
      });
      return rows.map((row) => ({
        globalPosition: BigInt(row.global_position),
        streamId: row.stream_id,
        type: row.type,
        data: row.data,
        recordedAt: row.recorded_at,
      }));
    } catch (error) {
      throw toStoreError(error);
    }
  }

  subscribeAll(fromPosition: bigint, options: SubscribeOptions = {}): Subscription {
    return pollingSubscription((position, limit) => this.readBatch(position, limit), fromPosition, options);
  }

  async headPosition(): Promise<bigint> {
    try {
      const { rows } = await this.pool.query<{ head: string | null }>(
        `SELECT max(global_position) AS head FROM events WHERE global_position < ${SAFE_POSITION_BOUND}`,
      );
      return BigInt(rows[0].head ?? 0);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** In SQL what isBackdated says, in one statement (one snapshot for the page and its total). */
  async readBackdated(query: BackdatedQuery): Promise<BackdatedEvents> {
    try {
      const { rows } = await this.pool.query<Partial<EventRow> & { total: string }>(
        `WITH matching AS (
           SELECT ${COLUMNS} FROM events
            WHERE global_position < ${SAFE_POSITION_BOUND}
              AND ($2::date IS NULL OR (recorded_at AT TIME ZONE $1)::date >= $2::date)
              AND ($3::date IS NULL OR (recorded_at AT TIME ZONE $1)::date <= $3::date)
              AND CASE WHEN metadata->>'effectiveDate' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                       THEN (recorded_at AT TIME ZONE $1)::date - (metadata->>'effectiveDate')::date > $4
                       ELSE false END)
         SELECT counted.total, page.*
           FROM (SELECT count(*) AS total FROM matching) AS counted
           LEFT JOIN LATERAL (SELECT * FROM matching ORDER BY global_position LIMIT $5 OFFSET $6) AS page ON true
          ORDER BY page.global_position`,
        [BUREAU_TIME_ZONE, query.recordedFrom ?? null, query.recordedTo ?? null, query.graceDays, query.limit ?? null, query.offset ?? 0],
      );
      return {
        total: rows.length ? Number(rows[0].total) : 0,
        events: rows.filter((row) => row.global_position !== null).map((row) => toRecordedEvent(row as EventRow)),
      };
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
