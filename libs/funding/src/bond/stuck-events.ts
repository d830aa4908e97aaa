import type { Pool } from 'pg';

/** An event a process manager could not act on, and when it tries again. */
export interface StuckEvent {
  eventId: string;
  streamId: string;
  streamRevision: string;
  globalPosition: string;
  /** The refusal's code (a rule code, or the error's name). */
  code: string;
  detail: string;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
  nextAttemptAt: string;
}

export interface RetryPolicy {
  /** Wait before the first retry; each further failure doubles it. */
  firstRetryMs: number;
  /** The longest wait between two retries. */
  maxRetryMs: number;
}

/** A first retry after a second, then 2, 4, 8 … seconds, at most every five minutes. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { firstRetryMs: 1_000, maxRetryMs: 300_000 };

interface Row {
  event_id: string;
  stream_id: string;
  stream_revision: string;
  global_position: string;
  code: string;
  detail: string;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  next_attempt_at: Date;
}

const COLUMNS = 'event_id, stream_id, stream_revision, global_position, code, detail, attempts, first_failed_at, last_failed_at, next_attempt_at';

function toStuck(row: Row): StuckEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamRevision: String(row.stream_revision),
    globalPosition: String(row.global_position),
    code: row.code,
    detail: row.detail,
    attempts: row.attempts,
    firstFailedAt: row.first_failed_at.toISOString(),
    lastFailedAt: row.last_failed_at.toISOString(),
    nextAttemptAt: row.next_attempt_at.toISOString(),
  };
}

/**
 * The events one process manager is stuck on, in PostgreSQL: the process records one and moves
 * on (its checkpoint passes it), retries it when due (the wait doubles with every failure), and
 * forgets it once it succeeds. Timestamps are the database's clock, shared by every process.
 */
export class StuckEvents {
  constructor(
    private readonly pool: Pool,
    readonly process: string,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  /** Records a failed attempt (the first, or one more) and schedules the next. */
  async record(
    event: { eventId: string; streamId: string; streamRevision: bigint; globalPosition: bigint },
    failure: { code: string; detail: string },
  ): Promise<StuckEvent> {
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO process_stuck_events AS s (process, event_id, stream_id, stream_revision, global_position, code, detail, attempts, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 1, now() + $8::float8 * interval '1 millisecond')
       ON CONFLICT (process, event_id) DO UPDATE SET
         code = EXCLUDED.code,
         detail = EXCLUDED.detail,
         attempts = s.attempts + 1,
         last_failed_at = now(),
         next_attempt_at = now() + LEAST($9::float8, $8::float8 * power(2, LEAST(s.attempts, 40))) * interval '1 millisecond'
       RETURNING ${COLUMNS}`,
      [
        this.process,
        event.eventId,
        event.streamId,
        event.streamRevision.toString(),
        event.globalPosition.toString(),
        failure.code,
        failure.detail,
        this.policy.firstRetryMs,
        this.policy.maxRetryMs,
      ],
    );
    return toStuck(rows[0]);
  }

  /** Forgets an event that has now been acted on; true when it was stuck. */
  async resolve(eventId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM process_stuck_events WHERE process = $1 AND event_id = $2', [this.process, eventId]);
    return (rowCount ?? 0) > 0;
  }

  /** Stuck events whose next attempt is due, oldest in the log first. */
  async due(limit = 100): Promise<StuckEvent[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM process_stuck_events WHERE process = $1 AND next_attempt_at <= now() ORDER BY global_position LIMIT $2`,
      [this.process, limit],
    );
    return rows.map(toStuck);
  }

  /** How many events are stuck, and the first `limit` of them in log order. */
  async list(limit = 10): Promise<{ count: number; events: StuckEvent[] }> {
    const { rows } = await this.pool.query<Row & { total: string }>(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM process_stuck_events WHERE process = $1 ORDER BY global_position LIMIT $2`,
      [this.process, limit],
    );
    return { count: rows.length > 0 ? Number(rows[0].total) : 0, events: rows.map(toStuck) };
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM process_stuck_events WHERE process = $1', [this.process]);
    return rows[0].n;
  }
}
