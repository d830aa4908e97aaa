import type { Pool } from 'pg';

/** One stream's events, hashed and numbered, waiting to be written. */
export interface PendingRows {
  streamId: string;
  /** The stream's last revision the rows chain onto (-1 for a new stream). */
  expectedRevision: bigint;
  recordedAt: Date;
  rows: { eventId: string; revision: bigint; type: string; data: unknown; metadata: unknown; hash: string; prevHash: string }[];
}

export interface InsertedRow {
  global_position: string;
  stream_id: string;
  stream_revision: string;
}

/** Global positions are transaction id × 2^20 + ordinal: one statement may write fewer than 2^20 events. */
export const MAX_EVENTS_PER_STATEMENT = (1 << 20) - 1;

/** Events a grouped statement carries at most (a single larger append still goes alone). */
const GROUP_EVENT_LIMIT = 5_000;

interface Waiting extends PendingRows {
  resolve(rows: InsertedRow[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit. Appends to different streams that arrive while earlier statements are in flight
 * are written together: one INSERT, one transaction, one round trip, one WAL flush, instead of one
 * each. Nothing waits on a timer: an append arriving at a quiet moment is sent at once, alone.
 *
 * Each stream keeps its own optimistic guard: a row is inserted only when its stream's last
 * revision is still the one its hashes chain onto, so an append that lost a race is left out of
 * the statement (its caller gets no rows and reads why) while the others in the group land. A
 * statement that fails as a whole (a duplicate event id, a constraint) fails nobody's append
 * for someone else: each append of that group is sent again alone, and its own error is its own.
 * At most one append per stream goes in a group, so a stream's appends keep their order.
 */
export class AppendBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly pool: Pool,
    /** Statements in flight before appends start to wait for a group. */
    private readonly maxInFlight: number,
  ) {}

  /** The rows written for `pending`, or none when its stream had moved past its expected revision. */
  insert(pending: PendingRows): Promise<InsertedRow[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...pending, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Sends at the end of this turn of the event loop, not at once: the callers a finished statement
   * released all run in that turn, and their next appends then go together rather than first one alone.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      // Spread what waits over the free statements: the callers of one group then work on their
      // next commands while another group is in the database, so neither side waits for the other.
      const group = this.takeGroup(Math.ceil(this.waiting.length / (this.maxInFlight - this.inFlight)));
      this.inFlight += 1;
      void this.send(group).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
  }

  /** The oldest waiting appends, one per stream, up to the group's event limit; the rest keep their place. */
  private takeGroup(appends: number): Waiting[] {
    const group: Waiting[] = [];
    const streams = new Set<string>();
    let events = 0;
    for (let i = 0; i < this.waiting.length && group.length < appends;) {
      const next = this.waiting[i];
      const fits = group.length === 0 || events + next.rows.length <= GROUP_EVENT_LIMIT;
      if (!fits) break;
      if (streams.has(next.streamId)) {
        i += 1;
        continue;
      }
      streams.add(next.streamId);
      events += next.rows.length;
      group.push(next);
      this.waiting.splice(i, 1);
    }
    return group;
  }

  private async send(group: Waiting[]): Promise<void> {
    try {
      const inserted = await this.statement(group);
      const byStream = new Map<string, InsertedRow[]>();
      for (const row of inserted) {
        const rows = byStream.get(row.stream_id);
        if (rows) rows.push(row);
        else byStream.set(row.stream_id, [row]);
      }
      for (const append of group) append.resolve(byStream.get(append.streamId) ?? []);
    } catch (error) {
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      // Whose error it is cannot be told from one statement: each append is tried alone. One that
      // was in fact stored (the answer lost after the commit) finds its stream moved and gets no rows.
      await Promise.all(
        group.map((append) =>
          this.statement([append]).then(
            (rows) => append.resolve(rows),
            (alone: unknown) => append.reject(alone),
          ),
        ),
      );
    }
  }

  private async statement(group: PendingRows[]): Promise<InsertedRow[]> {
    // The rows travel as one JSON document: one native JSON.stringify here, one parse in the
    // server, instead of ten array literals escaped element by element. data and metadata stay
    // nested JSON, so they are stored exactly as they would be from their own jsonb parameters.
    const rows: Record<string, unknown>[] = [];
    for (const append of group) {
      const expected = append.expectedRevision.toString();
      const recordedAt = append.recordedAt.toISOString();
      for (const row of append.rows) {
        rows.push({
          s: append.streamId,
          x: expected,
          i: row.eventId,
          v: row.revision.toString(),
          t: row.type,
          d: row.data,
          m: row.metadata,
          at: recordedAt,
          h: row.hash,
          p: row.prevHash,
        });
      }
    }
    const { rows: inserted } = await this.pool.query<InsertedRow>({
      // Named: parsed and planned once per connection, not on every append.
      name: 'fundtrail-append-group',
      text: `INSERT INTO events (global_position, event_id, stream_id, stream_revision, type, data, metadata, recorded_at, hash, prev_hash)
       SELECT pg_current_xact_id()::text::bigint * 1048576 + e.ord, (e.r->>'i')::uuid, e.r->>'s', (e.r->>'v')::bigint, e.r->>'t',
              e.r->'d', e.r->'m', (e.r->>'at')::timestamptz, e.r->>'h', e.r->>'p'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, ord)
        WHERE (SELECT coalesce(max(stream_revision), -1) FROM events WHERE stream_id = e.r->>'s') = (e.r->>'x')::bigint
       RETURNING global_position, stream_id, stream_revision`,
      values: [JSON.stringify(rows)],
    });
    return inserted;
  }
}
