import { randomBytes } from 'node:crypto';
import { createPool, PostgresEventStore, type RecordedEvent } from '@fundtrail/event-store';
import { APPLICATION_MIGRATIONS } from '@fundtrail/platform';
import { createServerDatabase, runSql, type TestDatabase } from '../support/test-database';
import { appendLog, generateLog, prng } from './support/generate-log';
import { CLI, type Finished, RUN_PROJECTORS, runCli, sleep, start } from './support/processes';
import {
  cloneDatabase,
  type ExpectedReadModels,
  figuresOf,
  foldLog,
  loadLog,
  type ReadModelsSnapshot,
  readModels,
  waitForQuietLog,
} from './support/read-models';

/**
 * DESIGN §4 / issue 4, crash test: projectors store their checkpoint in the same transaction as
 * their read-model changes, so a SIGKILL at any instant neither loses nor double-counts an event.
 *  1. `rebuild --batch-size 500` over ≥ 50,000 events, SIGKILLed at random points and restarted
 *     until it completes, equals a clean `rebuild --fresh` of an identical copy of the log, and
 *     both equal the projection's fold over the log.
 *  2. The live ProjectionRunner (a child process), SIGKILLed mid-catch-up and restarted, ends with
 *     the same read models.
 */
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const PROJECTS = 200;
const EVENTS_PER_PROJECT = 252;

jest.setTimeout(170_000);

describe(`rebuild and live projectors survive SIGKILL (seed ${SEED})`, () => {
  let source: TestDatabase;
  const clones: { url: string; drop(): Promise<void> }[] = [];
  let events: RecordedEvent[];
  let expected: ExpectedReadModels;
  let clean: ReadModelsSnapshot;
  const random = prng(SEED);

  beforeAll(async () => {
    source = await createServerDatabase({ migrations: APPLICATION_MIGRATIONS });
    const t0 = Date.now();
    const log = generateLog({ seed: SEED, projects: PROJECTS, eventsPerProject: EVENTS_PER_PROJECT, bonds: 8 });
    const t1 = Date.now();
    const pool = createPool({ url: source.url, poolSize: 6 });
    try {
      await appendLog(new PostgresEventStore(pool), log, { seed: SEED, maxChunk: 150, concurrency: 4 });
    } finally {
      await pool.end();
    }
    const t2 = Date.now();
    await waitForQuietLog(source.url);
    events = await loadLog(source.url);
    expected = foldLog(events);
    const suffix = randomBytes(4).toString('hex');
    clones.push(await cloneDatabase(source.url, `fundtrail_t_clean_${suffix}`));
    clones.push(await cloneDatabase(source.url, `fundtrail_t_live_${suffix}`));
    console.log(
      `log: ${log.events} events (${expected.events} stored) in ${log.streams.size} streams; generated in ${t1 - t0} ms, appended in ${t2 - t1} ms, folded + cloned in ${Date.now() - t2} ms`,
    );
    expect(expected.events).toBe(log.events);
    expect(expected.events).toBeGreaterThanOrEqual(50_000);
  });

  afterAll(async () => {
    for (const clone of clones) await clone.drop().catch(() => undefined);
    await source?.drop();
  });

  it('a clean `rebuild --fresh` equals the fold over the log (and gives the throughput)', async () => {
    await waitForQuietLog(clones[0].url);
    const started = Date.now();
    const run = await runCli(['rebuild', '--fresh', '--batch-size', '500'], clones[0].url);
    expect({
      code: run.code,
      stderr: run.stderr
        .split('\n')
        .filter((l) => !/^rebuild: /.test(l))
        .join('\n'),
    }).toEqual({ code: 0, stderr: '' });
    const line = run.stdout.match(/rebuilt read models from (\d+) events up to position (\d+) in ([\d.]+) s \((\d+) events\/s\)/);
    expect(line).not.toBeNull();
    expect(Number(line![1])).toBe(expected.events);
    console.log(
      `clean rebuild: ${line![0]}; wall clock incl. process start ${Date.now() - started} ms (node dist/apps/cli/src/main.js rebuild --fresh --batch-size 500)`,
    );
    clean = await readModels(clones[0].url);
    expectEqualsFold(clean, expected);
  });

  it('`rebuild --batch-size 500` SIGKILLed at random points and restarted ends equal to the clean rebuild', async () => {
    const kills: string[] = [];
    let killedMidReplay = 0;
    let fresh = false;
    for (let attempt = 0; attempt < 30; attempt += 1) {
      await waitForQuietLog(source.url);
      const run = start([CLI, 'rebuild', '--batch-size', '500', ...(fresh ? ['--fresh'] : [])], source.url);
      fresh = false;
      const attemptKills = kills.length < 4;
      if (attemptKills) {
        // Random instant: 150–1000 ms after the first progress line, so most kills land mid-replay.
        await waitForStderr(run, /^rebuild: /, 30_000);
        const delay = 150 + Math.floor(random() * 850);
        const done = await Promise.race([run.finished.then(() => 'done' as const), sleep(delay).then(() => 'timer' as const)]);
        if (done === 'done' && kills.length < 3) {
          // Finished before the timer (a fast machine): replay from scratch for another chance to kill it.
          fresh = true;
          continue;
        }
        if (done === 'timer') {
          const before = await shadowCheckpoint(source.url);
          await run.kill();
          const after = await shadowCheckpoint(source.url);
          kills.push(`killed after ${delay} ms at shadow checkpoint ${after}`);
          if (after > 0n && before > 0n) killedMidReplay += 1;
          continue;
        }
      }
      const finished: Finished = await run.finished;
      expect({
        code: finished.code,
        stderr: finished.stderr
          .split('\n')
          .filter((l) => !/^rebuild: /.test(l))
          .join('\n'),
      }).toEqual({ code: 0, stderr: '' });
      console.log(`crash rebuild: ${kills.length} SIGKILLs (${killedMidReplay} mid-replay): ${kills.join('; ')}; then ${finished.stdout.trim()}`);
      break;
    }
    expect(kills.length).toBeGreaterThanOrEqual(3);
    expect(killedMidReplay).toBeGreaterThanOrEqual(2);
    const crashed = await readModels(source.url);
    expectEqualsFold(crashed, expected);
    expect([...crashed.projects.values()]).toEqual([...clean.projects.values()]);
    expect([...crashed.bonds.values()]).toEqual([...clean.bonds.values()]);
    // The shadow checkpoints are gone and the live ones point at the head.
    expect(Object.fromEntries(crashed.checkpoints)).toEqual({
      'project-figures': expected.head.toString(),
      bonds: expected.head.toString(),
      programmes: expected.head.toString(),
      reports: expected.head.toString(),
    });
  });

  it('the live ProjectionRunner SIGKILLed mid-catch-up neither loses nor double-counts', async () => {
    const url = clones[1].url;
    const kills: string[] = [];
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const run = start([RUN_PROJECTORS, '500'], url);
      if (kills.length < 3) {
        await run.waitForLine(/^batch /, 30_000);
        // Short: with the projectors sharing one read of the log, a whole catch-up can take about a second.
        const delay = 50 + Math.floor(random() * 250);
        const done = await Promise.race([run.finished.then(() => 'done' as const), sleep(delay).then(() => 'timer' as const)]);
        if (done === 'timer') {
          await run.kill();
          const { checkpoints } = await readModels(url);
          kills.push(`after ${delay} ms: checkpoints ${JSON.stringify(Object.fromEntries(checkpoints))}`);
          // What is stored is exactly the fold of the log up to the stored checkpoint: nothing lost, nothing twice.
          await expectReadModelsAtCheckpoint(url, events);
          continue;
        }
      }
      const finished = await run.finished;
      expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 0, stderr: '' });
      expect(finished.stdout).toMatch(/caught-up/);
      console.log(`live runner: ${kills.length} SIGKILLs: ${kills.join('; ')}`);
      break;
    }
    expect(kills.length).toBeGreaterThanOrEqual(3);
    const live = await readModels(url);
    expectEqualsFold(live, expected);
    expect([...live.projects.values()]).toEqual([...clean.projects.values()]);
    expect([...live.bonds.values()]).toEqual([...clean.bonds.values()]);
  });
});

function waitForStderr(run: ReturnType<typeof start>, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const tick = () => {
      if (
        run
          .stderr()
          .split('\n')
          .some((l) => pattern.test(l)) ||
        run.child.exitCode !== null ||
        Date.now() - started > timeoutMs
      )
        resolve();
      else setTimeout(tick, 10);
    };
    tick();
  });
}

async function shadowCheckpoint(url: string): Promise<bigint> {
  const result = (await runSql(url, "SELECT coalesce(min(position), 0)::text AS p FROM projection_checkpoints WHERE projector LIKE '%:rebuild'")) as {
    rows: { p: string }[];
  };
  return BigInt(result.rows[0].p);
}

function expectEqualsFold(actual: ReadModelsSnapshot, expected: ExpectedReadModels): void {
  expect([...actual.projects.keys()]).toEqual([...expected.projects.keys()].sort());
  const figureDiffs: string[] = [];
  for (const [projectId, row] of expected.projects) {
    const stored = actual.projects.get(projectId)!;
    const want = figuresOf(row.terms);
    const got = figuresOf(stored.terms);
    for (const key of new Set([...Object.keys(want), ...Object.keys(got)])) {
      if (JSON.stringify(want[key]) !== JSON.stringify(got[key]))
        figureDiffs.push(`${projectId} ${key}: read model ${JSON.stringify(got[key])}, fold ${JSON.stringify(want[key])}`);
    }
  }
  expect(figureDiffs.slice(0, 20)).toEqual([]);
  for (const [projectId, row] of expected.projects) expect(actual.projects.get(projectId)).toEqual(row);
  expect(Object.fromEntries(actual.bonds)).toEqual(Object.fromEntries(expected.bonds));
}

/** The stored read models equal the fold of exactly the events up to the stored checkpoint. */
async function expectReadModelsAtCheckpoint(url: string, log: readonly RecordedEvent[]): Promise<void> {
  const snapshot = await readModels(url);
  const upTo = foldLog(log, { projects: BigInt(snapshot.checkpoints.get('project-figures') ?? '0'), bonds: BigInt(snapshot.checkpoints.get('bonds') ?? '0') });
  expect([...snapshot.projects.keys()]).toEqual([...upTo.projects.keys()].sort());
  for (const [projectId, row] of upTo.projects) expect(snapshot.projects.get(projectId)).toEqual(row);
  expect(Object.fromEntries(snapshot.bonds)).toEqual(Object.fromEntries(upTo.bonds));
}
