/**
 * The harness produces well-formed results: names, units, goals, ratios = value / baseline.
 * No timing is asserted anywhere: a slow or noisy machine never fails this test.
 */
import { createPool, type NewEvent, PostgresEventStore } from '@fundtrail/event-store';
import { evolveProject, initialProjectState, type ProjectEvent, type ProjectState } from '@fundtrail/funding';
import { migrateFundtrail, openBenchServer, type BenchServer } from './database';
import {
  type BenchResults,
  formatTable,
  GOALS,
  SCENARIO_NAMES,
  scenario,
  type ScenarioResult,
  UNITS,
  validateResults,
} from './results';
import { rawAppend } from './scenarios/append';
import { fundtrailVerify, rawScan } from './scenarios/scan';
import { percentile } from './stats';
import { type AppendTarget, loadSyntheticLog, TRACE_PROJECT_ID } from './synthetic';

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

function fullSet(): ScenarioResult[] {
  return [
    scenario('append.command-bus', 1200, { name: 'raw', value: 3000 }),
    scenario('append.peer-emmett', 1200, { name: 'emmett', value: 1000 }),
    scenario('append.http', 900, { name: 'append.command-bus', value: 1200 }),
    scenario('rebuild', 30_000, { name: 'scan', value: 100_000 }),
    scenario('rebuild.rss', 210.5),
    scenario('query.figures.p99', 4.2),
    scenario('trace.10k', 180),
    scenario('verify', 20_000, { name: 'scan', value: 100_000 }),
  ];
}

describe('bench results', () => {
  it('computes every ratio as value / baseline.value and judges it against the goal', () => {
    const [bus, peer, http, rebuild, rss, p99, trace, verify] = fullSet();
    expect(bus.ratio).toBeCloseTo(0.4, 4);
    expect(bus.met).toBe(false); // goal >= 0.6
    expect(peer.ratio).toBeCloseTo(1.2, 4);
    expect(peer.met).toBe(true);
    expect(http.ratio).toBeCloseTo(0.75, 4);
    expect(rebuild.ratio).toBeCloseTo(0.3, 4);
    expect(rebuild.met).toBe(true);
    expect(verify.met).toBe(false);
    expect(rss).toMatchObject({ unit: 'MB', met: true });
    expect(rss.ratio).toBeUndefined();
    expect(p99.met).toBe(true);
    expect(trace.met).toBe(false);
    for (const s of fullSet()) {
      expect(s.unit).toBe(UNITS[s.name]);
      expect(s.goal).toEqual(GOALS[s.name]);
    }
  });

  it('accepts a complete document and names what is wrong with a broken one', () => {
    const doc: BenchResults = { machine: { cpus: 2 }, scenarios: fullSet() };
    expect(validateResults(JSON.parse(JSON.stringify(doc)))).toEqual([]);
    expect(SCENARIO_NAMES.every((name) => doc.scenarios.some((s) => s.name === name))).toBe(true);

    const broken = JSON.parse(JSON.stringify(doc)) as BenchResults;
    (broken.scenarios[0] as { ratio: number }).ratio = 0.9;
    (broken.scenarios[1] as { name: string }).name = 'append.emmett';
    delete (broken.scenarios[3] as { baseline?: unknown }).baseline;
    (broken.scenarios[4] as { unit: string }).unit = 'GB';
    const problems = validateResults(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('is not value / baseline.value'),
        expect.stringContaining('unknown name'),
        expect.stringContaining('a ratio needs a baseline'),
        expect.stringContaining('unit GB'),
      ]),
    );
    expect(validateResults({ scenarios: 'none' })).toEqual(expect.arrayContaining(['machine must be an object', 'scenarios must be an array']));
  });

  it('refuses a ratio goal without a baseline and a baseline of zero', () => {
    expect(() => scenario('rebuild', 10)).toThrow(/needs a baseline/);
    expect(() => scenario('verify', 10, { name: 'scan', value: 0 })).toThrow(/positive/);
    expect(() => scenario('trace.10k', Number.NaN)).toThrow(/finite/);
  });

  it('prints one table row per scenario', () => {
    const table = formatTable(fullSet());
    for (const name of SCENARIO_NAMES) expect(table).toContain(`| ${name}`);
    expect(table.split('\n')).toHaveLength(2 + SCENARIO_NAMES.length);
  });

  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile([3], 99)).toBe(3);
  });
});

describe('synthetic log', () => {
  it('is what the product could have written: every command accepted, trace project exact', async () => {
    const streams = new Map<string, NewEvent[]>();
    const recorder: AppendTarget = {
      async append(streamId, events, { expectedRevision }) {
        const stream = streams.get(streamId) ?? [];
        const expected = expectedRevision === 'no_stream' ? -1n : (expectedRevision as bigint);
        if (BigInt(stream.length - 1) !== expected) throw new Error(`${streamId}: expected ${String(expectedRevision)}, at ${stream.length - 1}`);
        stream.push(...events);
        streams.set(streamId, stream);
        return { streamId, streamRevision: BigInt(stream.length - 1), globalPosition: 0n, eventIds: events.map((e) => e.eventId) };
      },
    };
    const load = await loadSyntheticLog(recorder, { targetEvents: 3000, meanDisbursements: 40, window: 6, appenders: 2, chunk: [5, 15], traceDisbursements: 120, seed: 1 });
    expect(load.skippedCommands).toBe(0);
    expect(load.events).toBe([...streams.values()].reduce((n, s) => n + s.length, 0));
    expect(load.events).toBeGreaterThanOrEqual(2500);
    expect(load.bonds).toBeGreaterThan(0);
    const trace = streams.get(`project-${TRACE_PROJECT_ID}`) ?? [];
    expect(trace.filter((e) => e.type === 'DisbursementRecorded')).toHaveLength(120);
    expect(trace.filter((e) => e.type === 'DisbursementReversed')).toHaveLength(0);
    // Every project stream folds without surprises and never spends more than it received.
    for (const [streamId, events] of streams) {
      if (!streamId.startsWith('project-')) continue;
      let state: ProjectState = initialProjectState;
      for (const event of events) state = evolveProject(state, event as unknown as ProjectEvent);
      expect(state.status).toBe('registered');
      if (state.status === 'registered') expect(state.disbursedTotal <= state.receivedTotal).toBe(true);
    }
    expect(new Set(load.projects).size).toBe(load.projects.length);
  });
});

describe('one tiny run against the server PostgreSQL', () => {
  let server: BenchServer;
  let url: string;

  beforeAll(async () => {
    server = await openBenchServer(SERVER_URL);
    url = await server.createDatabase('spec');
    await migrateFundtrail(url);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('measures appends, a scan and verify, and writes a well-formed results document', async () => {
    const raw = await rawAppend({ url, writers: 2, warmupMs: 50, durationMs: 300, round: 'spec' });
    expect(raw.errors).toBe(0);
    expect(raw.statementsPerOp).toBeCloseTo(1, 1);

    const pool = createPool({ url, poolSize: 3 });
    const load = await loadSyntheticLog(new PostgresEventStore(pool), {
      targetEvents: 1500,
      meanDisbursements: 30,
      window: 4,
      appenders: 2,
      chunk: [5, 20],
      traceDisbursements: 50,
      seed: 2,
    });
    await pool.end();

    const scan = await rawScan(url);
    expect(scan.events).toBe(load.events);
    const verify = await fundtrailVerify(url);
    expect(verify.events).toBe(load.events);
    expect(verify.brokenLinks).toBe(0);

    const results: BenchResults = {
      machine: { store: server.mode },
      scenarios: [
        scenario('append.command-bus', raw.perSecond, { name: 'raw pg single-row INSERT', value: raw.perSecond }),
        scenario('verify', verify.perSecond, { name: 'raw ordered scan + sum (pg)', value: scan.perSecond }, { events: verify.events }),
      ],
    };
    const json = JSON.parse(JSON.stringify(results)) as BenchResults;
    expect(validateResults(json)).toEqual([]);
    for (const s of json.scenarios) {
      expect(Number.isFinite(s.value)).toBe(true);
      expect(s.ratio).toBeCloseTo(s.value / (s.baseline as { value: number }).value, 3);
    }
    expect(json.scenarios[0].ratio).toBeCloseTo(1, 3);
  });
});
