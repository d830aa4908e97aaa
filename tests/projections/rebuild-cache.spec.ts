import { createPool, inTransaction, type ProjectedEvent, PostgresEventStore, type RecordedEvent } from '@fundtrail/event-store';
import { APPLICATION_MIGRATIONS } from '@fundtrail/platform';
import {
  applyInTransaction,
  BondsProjector,
  ProgrammesProjector,
  ProjectFiguresProjector,
  ReadModelCache,
  REBUILD_TABLES,
  rebuildReadModels,
  ReportsProjector,
} from '@fundtrail/projections';
import { createServerDatabase, type TestDatabase } from '../support/test-database';
import { appendLog, generateLog } from './support/generate-log';
import { foldLog, loadLog, readModels } from './support/read-models';

/**
 * A rebuild keeps each projector's rows in memory between batches (ReadModelCache) instead of
 * reading them back. The read models must be exactly those of a rebuild that reads every row
 * back, and the cache must be dropped whenever the table may hold something else: another writer
 * moved the checkpoint, or a transaction that took rows in was rolled back.
 */
jest.setTimeout(120_000);

const projectors = () => [new ProjectFiguresProjector(), new BondsProjector(), new ProgrammesProjector(), new ReportsProjector()];

describe('rebuild with the row cache', () => {
  let db: TestDatabase;
  let events: RecordedEvent[];

  beforeAll(async () => {
    db = await createServerDatabase({ migrations: APPLICATION_MIGRATIONS });
    const pool = createPool({ url: db.url, poolSize: 4 });
    try {
      await appendLog(new PostgresEventStore(pool), generateLog({ seed: 15, projects: 30, eventsPerProject: 60, bonds: 3 }), { seed: 15, maxChunk: 40 });
    } finally {
      await pool.end();
    }
    events = await loadLog(db.url);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('readAllForProjection hands out what readAll does, field for field and in order, page after page', async () => {
    const pool = createPool({ url: db.url, poolSize: 3 });
    const store = new PostgresEventStore(pool);
    try {
      const projected = [];
      for await (const event of store.readAllForProjection({ batchSize: 101 })) projected.push(event);
      expect(projected).toEqual(events.map(({ globalPosition, streamId, type, data, recordedAt }) => ({ globalPosition, streamId, type, data, recordedAt })));
      // Paging with a bound and a start, and a caller that stops early (the page asked for ahead lands first).
      const from = events[10].globalPosition;
      const some = [];
      for await (const event of store.readAll({ fromPosition: from, batchSize: 7, maxCount: 30 })) some.push(event);
      expect(some).toEqual(events.slice(11, 41));
      let seen = 0;
      for await (const event of store.readAllForProjection({ batchSize: 5 })) {
        expect(event.globalPosition).toBe(events[seen].globalPosition);
        seen += 1;
        if (seen === 12) break;
      }
      expect(pool.totalCount - pool.idleCount).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('writes the same read models as reading every row back, with small batches, a tiny cache and none', async () => {
    const snapshots = [];
    for (const options of [{ cacheChars: 0 }, {}, { cacheChars: 4_000 }]) {
      const pool = createPool({ url: db.url, poolSize: 3 });
      try {
        const result = await rebuildReadModels(new PostgresEventStore(pool), pool, projectors(), { batchSize: 97, fresh: true, ...options });
        expect(result.events).toBe(events.length);
      } finally {
        await pool.end();
      }
      const models = await readModels(db.url);
      snapshots.push({ projects: [...models.projects.values()], bonds: [...models.bonds.values()] });
    }
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(snapshots[2]).toEqual(snapshots[0]);
    // …and both are the projection's fold over the log.
    const expected = foldLog(events);
    const byId = <T>(rows: T[], id: (row: T) => string) => [...rows].sort((x, y) => (id(x) < id(y) ? -1 : 1));
    expect(byId(snapshots[0].projects, (p) => p.project_id)).toEqual(byId([...expected.projects.values()], (p) => p.project_id));
    expect(byId(snapshots[0].bonds, (b) => b.bond_id)).toEqual(byId([...expected.bonds.values()], (b) => b.bond_id));
  });

  it('drops the cache when another writer or a rollback leaves the table different from it', async () => {
    const pool = createPool({ url: db.url, poolSize: 3 });
    const projector = new ProjectFiguresProjector();
    const checkpoint = 'project-figures:cache-test';
    const apply = (batch: ProjectedEvent[], cache?: ReadModelCache<unknown>) =>
      inTransaction(pool, (client) => applyInTransaction(client, projector, checkpoint, REBUILD_TABLES, batch, cache));
    try {
      await pool.query(`TRUNCATE ${REBUILD_TABLES.projects}`);
      await pool.query('DELETE FROM projection_checkpoints WHERE projector = $1', [checkpoint]);
      const cache = new ReadModelCache<unknown>();
      const [a, b, c, d] = [0, 1, 2, 3].map((i) => events.slice((i * events.length) / 4, ((i + 1) * events.length) / 4));
      await apply(a, cache);
      // Another process applies b: the cache (as of a) must not be used for c.
      await apply(b);
      await apply(c, cache);
      // A transaction that takes d in and is then rolled back: the cache must not keep d.
      await expect(
        inTransaction(pool, async (client) => {
          await applyInTransaction(client, projector, checkpoint, REBUILD_TABLES, d, cache);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await apply(d, cache);
      const { rows } = await pool.query<{ project_id: string; event_count: string; terms: unknown; details: unknown }>(
        `SELECT project_id, event_count, terms, details FROM ${REBUILD_TABLES.projects} ORDER BY project_id`,
      );
      await pool.query(`TRUNCATE ${REBUILD_TABLES.projects}`);
      await pool.query('DELETE FROM projection_checkpoints WHERE projector = $1', [checkpoint]);
      await apply(events);
      const { rows: once } = await pool.query(`SELECT project_id, event_count, terms, details FROM ${REBUILD_TABLES.projects} ORDER BY project_id`);
      expect(rows).toEqual(once);
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await pool.query(`TRUNCATE ${REBUILD_TABLES.projects}`);
      await pool.query('DELETE FROM projection_checkpoints WHERE projector = $1', [checkpoint]);
      await pool.end();
    }
  });
});
