import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { createServerDatabase, type TestDatabase } from '../support/test-database';
import {
  AggregateRepository,
  type CommandContext,
  decideProject,
  evolveProject,
  initialProjectState,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectState,
} from '@fundtrail/funding';

const context: CommandContext = { actor: { id: 'spec', role: 'admin' }, correlationId: 'spec' };
const decider = { initial: initialProjectState, evolve: evolveProject, decide: decideProject };

/** Two processes' repositories (two caches) on one PostgreSQL log. */
describe('AggregateRepository against PostgreSQL', () => {
  let db: TestDatabase;
  let storeA: PostgresEventStore;
  let storeB: PostgresEventStore;
  let a: AggregateRepository<ProjectCommand, ProjectEvent, ProjectState>;
  let b: AggregateRepository<ProjectCommand, ProjectEvent, ProjectState>;
  beforeAll(async () => {
    db = await createServerDatabase();
    storeA = new PostgresEventStore(createPool({ url: db.url, poolSize: 4 }));
    storeB = new PostgresEventStore(createPool({ url: db.url, poolSize: 4 }));
    a = new AggregateRepository(storeA, decider);
    b = new AggregateRepository(storeB, decider);
  });
  afterAll(async () => {
    await storeA.close();
    await storeB.close();
    await db.drop();
  });

  const receive = (projectId: string, receiptId: string, amount: bigint): ProjectCommand => ({
    type: 'ReceiveFunds',
    data: { projectId, receiptId, source: 'district-budget', amount },
  });
  const disburse = (projectId: string, disbursementId: string, amount: bigint): ProjectCommand => ({
    type: 'RecordDisbursement',
    data: { projectId, disbursementId, amount, category: 'construction' },
  });

  it('a stale cache never refuses what the log allows: the stream is read before a refusal is reported', async () => {
    const stream = 'project-p1';
    await a.handle(stream, { type: 'RegisterProject', data: { projectId: 'p1', name: 'p', department: 'd', category: 'c' } }, context);
    await a.handle(stream, receive('p1', 'r1', 10_000n), context); // A's cache: 100.00 received
    await b.handle(stream, receive('p1', 'r2', 10_000n), context); // the log: 200.00 received
    const result = await a.handle(stream, disburse('p1', 'd1', 15_000n), context);
    expect(result.streamRevision).toBe(3n);
  });

  it('a stale cache never lets two processes jointly overspend', async () => {
    const stream = 'project-p2';
    await a.handle(stream, { type: 'RegisterProject', data: { projectId: 'p2', name: 'p', department: 'd', category: 'c' } }, context);
    await a.handle(stream, receive('p2', 'r1', 10_000n), context);
    await b.load(stream);
    await a.handle(stream, disburse('p2', 'd1', 8_000n), context);
    // B's cache still shows 100.00 available; the append guard makes it read and refuse.
    await expect(b.handle(stream, disburse('p2', 'd2', 8_000n), context)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    const events = await storeA.readStream(stream);
    expect(events.filter((e) => e.type === 'DisbursementRecorded')).toHaveLength(1);
  });

  it('50 concurrent commands on one hot stream in one process all land, none spent on conflicts', async () => {
    const stream = 'project-hot';
    await a.handle(stream, { type: 'RegisterProject', data: { projectId: 'hot', name: 'p', department: 'd', category: 'c' } }, context);
    await a.handle(stream, receive('hot', 'r1', 1_000_000n), context);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => a.handle(stream, disburse('hot', `d${i}`, 100n), context)));
    expect(results.map((r) => r.streamRevision).sort((x, y) => Number(x - y))).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i + 2)));
  });
});
