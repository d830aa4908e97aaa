import { Pool } from 'pg';
import { createServerDatabase, type TestDatabase } from '../support/test-database';
import { APPLICATION_MIGRATIONS } from '@fundtrail/platform';
import { StuckEvents } from '@fundtrail/funding';

const event = (n: number) => ({
  eventId: `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`,
  streamId: 'bond-b1',
  streamRevision: BigInt(n),
  globalPosition: BigInt(1_000 + n),
});
const waited = (stuck: { lastFailedAt: string; nextAttemptAt: string }) => Date.parse(stuck.nextAttemptAt) - Date.parse(stuck.lastFailedAt);

describe('StuckEvents against PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createServerDatabase({ migrations: APPLICATION_MIGRATIONS });
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('waits twice as long after every failure, up to the cap, and keeps the latest refusal', async () => {
    const stuck = new StuckEvents(pool, 'doubling', { firstRetryMs: 1_000, maxRetryMs: 10_000 });
    const attempts = [];
    for (let i = 1; i <= 6; i += 1) attempts.push(await stuck.record(event(1), { code: 'DUPLICATE_ID', detail: `try ${i}` }));
    expect(attempts.map((a) => [a.attempts, waited(a)])).toEqual([
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [5, 10_000],
      [6, 10_000],
    ]);
    expect(attempts[5]).toMatchObject({
      eventId: event(1).eventId,
      streamId: 'bond-b1',
      streamRevision: '1',
      globalPosition: '1001',
      code: 'DUPLICATE_ID',
      detail: 'try 6',
    });
    expect(attempts[5].firstFailedAt).toBe(attempts[0].firstFailedAt);
  });

  it('lists in log order with the total, hands out only what is due, and forgets what is resolved', async () => {
    const later = new StuckEvents(pool, 'later', { firstRetryMs: 3_600_000, maxRetryMs: 3_600_000 });
    const now = new StuckEvents(pool, 'now', { firstRetryMs: 0, maxRetryMs: 0 });
    for (const n of [5, 3, 4]) await later.record(event(n), { code: 'PROJECT_NOT_FOUND', detail: 'p' });
    for (const n of [7, 6]) await now.record(event(n), { code: 'TypeError', detail: 'x' });
    expect(await later.list(2)).toEqual({
      count: 3,
      events: [expect.objectContaining({ streamRevision: '3' }), expect.objectContaining({ streamRevision: '4' })],
    });
    expect(await later.due()).toEqual([]);
    expect((await now.due()).map((s) => s.streamRevision)).toEqual(['6', '7']);
    expect(await now.resolve(event(6).eventId)).toBe(true);
    expect(await now.resolve(event(6).eventId)).toBe(false);
    expect(await later.resolve(event(7).eventId)).toBe(false); // another process's event
    expect([await now.count(), await later.count()]).toEqual([1, 3]);
    expect(await new StuckEvents(pool, 'nothing').list()).toEqual({ count: 0, events: [] });
  });
});
