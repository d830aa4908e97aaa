import type { Pool, PoolClient } from 'pg';
import { type EventStore, EventStoreUnavailableError, inTransaction, isUnavailable, type ProjectedEvent, type Subscription } from '@fundtrail/event-store';
import { inBatches } from './batches';
import { LIVE_TABLES, type Projector, type ReadModelTables } from './projector';
import type { SharedLogTail } from './shared-log-tail';
import type { ReadModelCache } from './read-model-cache';

export interface RunnerOptions {
  /** Checkpoint row name; defaults to the projector's name. */
  checkpoint?: string;
  tables?: ReadModelTables;
  batchSize?: number;
  onError?: (error: unknown) => void;
  onBatch?: (position: bigint, count: number) => void;
  /** Where the events come from: one read of the log shared with the process's other projectors; else its own subscription. */
  tail?: SharedLogTail;
}

/** Applies a batch and moves the checkpoint in one transaction: a crash loses or repeats nothing. */
export async function applyBatch(
  pool: Pool,
  projector: Projector,
  checkpoint: string,
  tables: ReadModelTables,
  events: readonly ProjectedEvent[],
): Promise<bigint> {
  return inTransaction(pool, (client) => applyInTransaction(client, projector, checkpoint, tables, events));
}

/** The batch's work inside a transaction the caller owns: lock the checkpoint, skip what it covers, apply, move it. */
export async function applyInTransaction(
  client: PoolClient,
  projector: Projector,
  checkpoint: string,
  tables: ReadModelTables,
  events: readonly ProjectedEvent[],
  cache?: ReadModelCache<unknown>,
): Promise<bigint> {
  await client.query('INSERT INTO projection_checkpoints (projector, position) VALUES ($1, 0) ON CONFLICT DO NOTHING', [checkpoint]);
  const { rows } = await client.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projector = $1 FOR UPDATE', [checkpoint]);
  const stored = BigInt(rows[0].position);
  // Rows cached as of another position are not what the table holds (another writer, a rollback).
  cache?.validate(stored);
  // Another runner (another process) may have applied part of this batch already.
  const fresh = events.filter((event) => event.globalPosition > stored);
  if (fresh.length === 0) return stored;
  const position = fresh[fresh.length - 1].globalPosition;
  try {
    await projector.apply(client, fresh, tables, cache);
    await client.query('UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE projector = $1', [checkpoint, position.toString()]);
  } catch (error) {
    cache?.clear(); // it may hold part of a batch that is not stored
    throw error;
  }
  cache?.advance(position);
  return position;
}

/**
 * A batch with nothing for the projector: one statement moves its checkpoint past it, instead of a
 * transaction. Never backwards, so a runner in another process that is further on is not undone.
 */
export async function skipBatch(pool: Pool, checkpoint: string, position: bigint): Promise<bigint> {
  const { rows } = await pool.query<{ position: string }>({
    name: 'fundtrail-skip-batch',
    text: `INSERT INTO projection_checkpoints (projector, position) VALUES ($1, $2)
           ON CONFLICT (projector) DO UPDATE SET position = GREATEST(projection_checkpoints.position, EXCLUDED.position), updated_at = now()
           RETURNING position`,
    values: [checkpoint, position.toString()],
  });
  return BigInt(rows[0].position);
}

export async function readCheckpoint(pool: Pool, checkpoint: string): Promise<bigint> {
  const { rows } = await pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projector = $1', [checkpoint]);
  return rows.length ? BigInt(rows[0].position) : 0n;
}

/** Keeps one projector's read models up with the log: subscribe from its checkpoint, apply in batches. */
export class ProjectionRunner {
  private subscription?: Subscription;
  private running?: Promise<void>;
  private stopped = false;
  private waiters: Array<{ position: bigint; resolve: () => void }> = [];
  position = 0n;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    readonly projector: Projector,
    private readonly options: RunnerOptions = {},
  ) {}

  get checkpointName(): string {
    return this.options.checkpoint ?? this.projector.name;
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        this.advanceTo(await readCheckpoint(this.pool, this.checkpointName));
        this.subscription = this.options.tail
          ? this.options.tail.subscribe(this.position)
          : this.store.subscribeAll(this.position, { batchSize: this.options.batchSize ?? 1000 });
        for await (const batch of inBatches(this.subscription, this.options.batchSize ?? 1000)) {
          const projector = this.projector;
          const position =
            projector.relevant && !batch.some((event) => projector.relevant!(event))
              ? await skipBatch(this.pool, this.checkpointName, batch[batch.length - 1].globalPosition)
              : await applyBatch(this.pool, this.projector, this.checkpointName, this.options.tables ?? LIVE_TABLES, batch);
          this.advanceTo(position > batch[batch.length - 1].globalPosition ? position : batch[batch.length - 1].globalPosition);
          this.options.onBatch?.(this.position, batch.length);
          failures = 0;
          if (this.stopped) break;
        }
      } catch (error) {
        if (this.stopped) break;
        this.options.onError?.(error);
        failures += 1;
        // The database went away or a row is unreadable: back off and resume from the stored checkpoint.
        const delay = error instanceof EventStoreUnavailableError || isUnavailable(error) ? 100 * 2 ** Math.min(failures, 5) : 5_000;
        await new Promise((resolve) => setTimeout(resolve, delay));
      } finally {
        await this.subscription?.stop();
      }
    }
  }

  private advanceTo(position: bigint): void {
    if (position <= this.position) return;
    this.position = position;
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.position > position) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves true once the read models include `position`, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve: () => resolve(true) };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.running?.catch(() => undefined);
    this.running = undefined;
  }
}
