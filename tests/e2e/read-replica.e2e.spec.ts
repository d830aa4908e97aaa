import { type ApiProcess, call, freshDatabase, type FreshDatabase, mustPost, spawnApi, token, waitForCatchUp } from '../reliability/support/reliability';

/** The value of one figure in a GET …/figures answer. */
function figure(body: { figures: { key: string; value: string | null }[] }, key: string): string | null | undefined {
  return body.figures.find((f) => f.key === key)?.value;
}

/**
 * An extra API replica (FUNDTRAIL_PROJECTORS=off, as the README describes) runs no projectors: it
 * serves read-your-writes from the checkpoints the projecting process stores, so a client that
 * posts through one process and reads through the other with minPosition gets its write.
 */
describe('read-your-writes on a replica that runs no projectors', () => {
  let db: FreshDatabase;
  let primary: ApiProcess | undefined;
  let replica: ApiProcess | undefined;
  const officer = token('budget-officer', 'officer-replica');
  const clerk = token('clerk', 'clerk-replica');
  const auditor = token('auditor', 'auditor-replica');

  beforeAll(async () => {
    db = await freshDatabase();
    primary = await spawnApi(db.url);
    await primary.waitReady();
    replica = await spawnApi(db.url, { FUNDTRAIL_PROJECTORS: 'off' });
    await replica.waitReady();
  }, 60_000);
  afterAll(async () => {
    await replica?.stop();
    await primary?.stop();
    await db?.drop();
  });

  it('a write through the primary is read through the replica with minPosition: 200 with the write, not 503 after waiting', async () => {
    const [writer, reader] = [primary as ApiProcess, replica as ApiProcess];
    await mustPost(writer.base, '/api/projects', officer, { projectId: 'replica-p', name: '副本读取', department: '区财政局', category: 'testing' });
    let expectedFen = 0n;
    for (let i = 1; i <= 5; i += 1) {
      const amount = `${i}000.0${i}`;
      expectedFen += BigInt(i) * 100_000n + BigInt(i);
      const posted = await mustPost(writer.base, '/api/projects/replica-p/receipts', clerk, { receiptId: `r${i}`, source: 'district-budget', amount });
      const read = await call(reader.base, 'GET', `/api/projects/replica-p/figures?minPosition=${posted.globalPosition}`, { token: auditor });
      expect({ status: read.status, code: read.body?.code }).toEqual({ status: 200, code: undefined });
      const yuan = `${expectedFen / 100n}.${String(expectedFen % 100n).padStart(2, '0')}`;
      expect(figure(read.body, 'received_total')).toBe(yuan);
    }
  }, 60_000);

  it('still answers 503 PROJECTION_BEHIND for a position no projector has reached', async () => {
    const head = await waitForCatchUp(db.url);
    const read = await call((replica as ApiProcess).base, 'GET', `/api/projects/replica-p?minPosition=${head + 1_000_000_000n}`, { token: auditor });
    expect({ status: read.status, code: read.body?.code, retryAfter: read.headers?.get('retry-after') }).toEqual({
      status: 503,
      code: 'PROJECTION_BEHIND',
      retryAfter: '1',
    });
  }, 30_000);

  it("the replica's projection lag metric is the stored checkpoints', not a position that never moves", async () => {
    await waitForCatchUp(db.url);
    const metrics = await (await fetch(`${(replica as ApiProcess).base}/metrics`)).text();
    const lags = [...metrics.matchAll(/^fundtrail_projection_lag_positions\{projector="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1], m[2]]);
    expect(lags.sort()).toEqual([
      ['bonds', '0'],
      ['programmes', '0'],
      ['project-figures', '0'],
      ['reports', '0'],
    ]);
  }, 30_000);
});
