import type { Pool } from 'pg';
import { type EventStore, inTransaction, type ProjectedEvent } from '@fundtrail/event-store';
import { applyInTransaction, readCheckpoint } from './projection-runner';
import { LIVE_TABLES, type Projector, REBUILD_TABLES } from './projector';
import { ReadModelCache } from './read-model-cache';

export interface RebuildProgress {
  position: bigint;
  head: bigint;
  events: number;
}

export interface RebuildResult {
  events: number;
  position: bigint;
  seconds: number;
  resumed: boolean;
}

const shadow = (projector: Projector) => `${projector.name}:rebuild`;

/**
 * Events per read: smaller than a batch, so that the page read ahead and the batch being filled
 * stay within the rebuild's memory budget (peak RSS 289 MB at 400,000 events with pages of 1,000;
 * 330–360 MB with pages of 5,000, a larger row cache and a batch stored while the next was read).
 */
const READ_PAGE = 1000;

/** Each projector's row cache, in characters of stored JSON: the projects in flight, not the whole log. */
const ROW_CACHE_CHARS = 1_500_000;

/**
 * Replays the log from position 0 into shadow tables, in batches, then swaps them in atomically
 * with the live ones, so the API keeps answering from the old read models until the new ones
 * are complete. A rebuild that is killed resumes from its own checkpoint when run again.
 */
export async function rebuildReadModels(
  store: EventStore,
  pool: Pool,
  projectors: readonly Projector[],
  options: {
    batchSize?: number;
    onProgress?: (progress: RebuildProgress) => void;
    fresh?: boolean;
    /** Budget of each projector's row cache, in characters of stored JSON (0: read every row back). */
    cacheChars?: number;
  } = {},
): Promise<RebuildResult> {
  const started = process.hrtime.bigint();
  const batchSize = options.batchSize ?? 5000;
  const positions = await Promise.all(projectors.map((p) => readCheckpoint(pool, shadow(p))));
  let from = positions.reduce((min, p) => (p < min ? p : min), positions[0] ?? 0n);
  const resumed = !options.fresh && from > 0n;
  if (!resumed) {
    await pool.query(`TRUNCATE ${Object.values(REBUILD_TABLES).join(', ')}`);
    await pool.query('DELETE FROM projection_checkpoints WHERE projector = ANY($1)', [projectors.map(shadow)]);
    from = 0n;
  }
  const head = await store.headPosition();
  let events = 0;
  // Between batches each projector keeps the rows it wrote (bounded): the next batch folds onto
  // them instead of reading them back. Dropped when anything else moved a shadow checkpoint.
  const caches = projectors.map(() => new ReadModelCache<unknown>(options.cacheChars ?? ROW_CACHE_CHARS));
  const flush = async (batch: ProjectedEvent[]) => {
    // One transaction for every projector's share of the batch: half the round trips of one each.
    await inTransaction(pool, async (client) => {
      for (const [i, projector] of projectors.entries()) {
        await applyInTransaction(client, projector, shadow(projector), REBUILD_TABLES, batch, caches[i]);
      }
    });
    events += batch.length;
    options.onProgress?.({ position: batch[batch.length - 1].globalPosition, head, events });
  };
  // Stored one after the other: storing a batch while the next is filled was measured no faster
  // (the fold is this thread's work either way) and held one more batch in memory.
  let batch: ProjectedEvent[] = [];
  for await (const event of store.readAllForProjection({ fromPosition: from, batchSize: Math.min(batchSize, READ_PAGE) })) {
    batch.push(event);
    if (batch.length >= batchSize) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await flush(batch);
  const position = await swapIn(store, pool, projectors);
  return { events, position, seconds: Number(process.hrtime.bigint() - started) / 1e9, resumed };
}

/**
 * Locks the live checkpoints (live runners wait), brings the shadow tables up to them, renames
 * shadow <-> live, and clears the shadow checkpoints, all in one transaction.
 */
async function swapIn(store: EventStore, pool: Pool, projectors: readonly Projector[]): Promise<bigint> {
  return inTransaction(pool, async (client) => {
    await client.query('INSERT INTO projection_checkpoints (projector, position) SELECT unnest($1::text[]), 0 ON CONFLICT DO NOTHING', [
      projectors.map((p) => p.name),
    ]);
    const { rows } = await client.query<{ projector: string; position: string }>(
      'SELECT projector, position FROM projection_checkpoints WHERE projector = ANY($1) ORDER BY projector FOR UPDATE',
      [[...projectors.map((p) => p.name), ...projectors.map(shadow)]],
    );
    const stored = new Map(rows.map((row) => [row.projector, BigInt(row.position)]));
    let live = 0n;
    for (const projector of projectors) {
      const position = stored.get(projector.name) ?? 0n;
      if (position > live) live = position;
    }
    // Events the live runners applied while we replayed: apply them to the shadow tables too.
    const shadowFrom = projectors.reduce((min, p) => {
      const position = stored.get(shadow(p)) ?? 0n;
      return position < min ? position : min;
    }, live);
    const tail: ProjectedEvent[] = [];
    for await (const event of store.readAll({ fromPosition: shadowFrom })) {
      if (event.globalPosition > live) break;
      tail.push(event);
    }
    if (tail.length > 0) for (const projector of projectors) await applyInTransaction(client, projector, shadow(projector), REBUILD_TABLES, tail);
    for (const table of Object.keys(LIVE_TABLES) as (keyof typeof LIVE_TABLES)[]) {
      const [liveTable, shadowTable] = [LIVE_TABLES[table], REBUILD_TABLES[table]];
      await client.query(`ALTER TABLE ${liveTable} RENAME TO ${liveTable}_swap`);
      await client.query(`ALTER TABLE ${shadowTable} RENAME TO ${liveTable}`);
      await client.query(`ALTER TABLE ${liveTable}_swap RENAME TO ${shadowTable}`);
      await client.query(`TRUNCATE ${shadowTable}`);
    }
    // The new live tables hold everything up to the later of the two: the live runners resume there.
    let swapped = live;
    for (const projector of projectors) {
      const replayed = stored.get(shadow(projector)) ?? 0n;
      const position = replayed > live ? replayed : live;
      if (position > swapped) swapped = position;
      await client.query('UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE projector = $1', [projector.name, position.toString()]);
    }
    await client.query('DELETE FROM projection_checkpoints WHERE projector = ANY($1)', [projectors.map(shadow)]);
    return swapped;
  });
}
