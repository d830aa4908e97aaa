/**
 * The harness produces well-formed results: names, units, goals, ratios = value / baseline.
 * No timing is asserted anywhere: a slow or noisy machine never fails this test.
 */
import pg from 'pg';
import { createPool, type NewEvent, PostgresEventStore } from '@fundtrail/event-store';
import { evolveProject, initialProjectState, type ProjectEvent, type ProjectState } from '@fundtrail/funding';
import { migrateFundtrail, openBenchServer, type BenchServer } from './database';
import { type BenchResults, formatTable, GOALS, SCENARIO_NAMES, scenario, medianOf, type ScenarioResult, UNITS, validateResults } from './results';
import { emmettAppend, RAW_INSERT_STATEMENT, rawAppend } from './scenarios/append';
import { fundtrailVerify, rawScan, type ScanResult, type VerifyResult } from './scenarios/scan';
import { percentile } from './stats';
import { countStatements, statementKind, type WritersResult } from './writers';
import { type AppendTarget, loadSyntheticLog, TRACE_PROJECT_ID } from './synthetic';

const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const three = (v: number) => [v * 0.9, v, v * 1.1];

function fullSet(): ScenarioResult[] {
  return [
    scenario('append.command-bus', three(1200), { name: 'raw', values: three(3000), prepared: true }),
    scenario('append.peer-emmett', three(1200), { name: 'emmett', values: three(1000), extraReads: 0 }),
    scenario('append.http', three(900), { name: 'append.command-bus', values: three(1200) }),
    scenario('rebuild', three(30_000), { name: 'scan', values: three(100_000) }),
    scenario('rebuild.rss', three(210.5)),
    scenario('query.figures.p99', three(4.2)),
    scenario('trace.10k', three(180)),
    scenario('verify', three(20_000), { name: 'scan', values: three(100_000) }),
  ];
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('bench results', () => {
  it("takes each round's ratio against that round's baseline, reports their median and judges it against the goal", () => {
    const [bus, peer, http, rebuild, rss, p99, trace, verify] = fullSet();
    expect(bus.ratio).toBeCloseTo(0.4, 4);
    expect(bus.met).toBe(false); // goal >= 1.0
    expect(peer.ratio).toBeCloseTo(1.2, 4);
    expect(peer.met).toBe(false); // goal >= 2.0
    expect(http.ratio).toBeCloseTo(0.75, 4);
    expect(http.met).toBe(true);
    expect(rebuild.ratio).toBeCloseTo(0.3, 4);
    expect(rebuild.met).toBe(false); // goal >= 0.4
    expect(verify.met).toBe(false);
    expect(rss).toMatchObject({ unit: 'MB', met: true, rounds: 3 });
    expect(rss.ratio).toBeUndefined();
    expect(p99.met).toBe(true);
    expect(trace.met).toBe(false);
    for (const s of fullSet()) {
      expect(s.unit).toBe(UNITS[s.name]);
      expect(s.goal).toEqual(GOALS[s.name]);
      expect(s.values).toHaveLength(s.rounds);
    }

    // Paired rounds: ratios 1, 0.5 and 2, median 1 (the medians' quotient, 200 / 150, would say 1.33).
    const paired = scenario('verify', [100, 200, 300], { name: 'scan', values: [100, 400, 150] });
    expect(paired.ratios).toEqual([1, 0.5, 2]);
    expect(paired.ratio).toBe(1);
    expect(paired.value).toBe(200);
    expect(paired.baseline).toMatchObject({ value: 150, values: [100, 400, 150] });
    expect(paired.spread).toEqual({ min: 0.5, max: 2, relative: 1.5 });
    const unpaired = scenario('trace.10k', [120, 100, 160]);
    expect(unpaired.value).toBe(120);
    expect(unpaired.spread).toEqual({ min: 100, max: 160, relative: 0.5 });
  });

  it('accepts a complete document and names what is wrong with a broken one', () => {
    const doc: BenchResults = { machine: { cpus: 2 }, scenarios: fullSet() };
    expect(validateResults(copy(doc))).toEqual([]);
    expect(SCENARIO_NAMES.every((name) => doc.scenarios.some((s) => s.name === name))).toBe(true);

    const broken = copy(doc);
    (broken.scenarios[0] as { ratio: number }).ratio = 0.9;
    (broken.scenarios[1] as { name: string }).name = 'append.emmett';
    delete (broken.scenarios[3] as { baseline?: unknown }).baseline;
    (broken.scenarios[4] as { unit: string }).unit = 'GB';
    const problems = validateResults(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('is not the median of ratios'),
        expect.stringContaining('unknown name'),
        expect.stringContaining('a ratio needs a baseline'),
        expect.stringContaining('unit GB'),
      ]),
    );
    expect(validateResults({ scenarios: 'none' })).toEqual(expect.arrayContaining(['machine must be an object', 'scenarios must be an array']));
  });

  it("insists on three rounds, one value per round, medians, and a spread that is the rounds' range", () => {
    const doc: BenchResults = { machine: {}, scenarios: fullSet() };
    const single = copy(doc);
    single.scenarios[5] = scenario('query.figures.p99', [4.2]);
    expect(validateResults(single)).toEqual([expect.stringMatching(/query.figures.p99.*rounds must be an integer of at least 3/)]);

    const wrong = copy(doc);
    wrong.scenarios[6].values = [180, 181];
    wrong.scenarios[7].value = 1;
    wrong.scenarios[3].ratios = [0.3, 0.3, 0.9];
    wrong.scenarios[2].baseline!.values = [1200, 0, 1];
    wrong.scenarios[4].spread = { min: 0, max: 1, relative: 0 };
    expect(validateResults(wrong)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/trace.10k.*values must hold one number per round \(3\)/),
        expect.stringMatching(/verify.*value 1 is not the median of values/),
        expect.stringMatching(/rebuild.*round 3's ratio 0.9 is not its value/),
        expect.stringMatching(/append.http.*baseline.values must hold one positive number per round/),
        expect.stringMatching(/rebuild.rss.*spread is not the range of its rounds/),
      ]),
    );
  });

  it('insists on the fair append baselines: a prepared raw INSERT and a peer with no read forced on it', () => {
    const doc = copy<BenchResults>({ machine: {}, scenarios: fullSet() });
    delete doc.scenarios[0].baseline!.prepared;
    doc.scenarios[1].baseline!.extraReads = 1;
    expect(validateResults(doc)).toEqual([
      expect.stringMatching(/append.command-bus.*baseline.prepared: true/),
      expect.stringMatching(/append.peer-emmett.*extraReads: 0, got 1/),
    ]);
    delete doc.scenarios[1].baseline!.extraReads;
    expect(validateResults(doc)).toEqual(expect.arrayContaining([expect.stringMatching(/extraReads: 0, got undefined/)]));
  });

  it('refuses a ratio goal without a baseline, a baseline of zero and rounds that do not pair', () => {
    expect(() => scenario('rebuild', [10, 10, 10])).toThrow(/needs a baseline/);
    expect(() => scenario('verify', [10, 10, 10], { name: 'scan', values: [1, 0, 1] })).toThrow(/positive/);
    expect(() => scenario('verify', [10, 10, 10], { name: 'scan', values: [1, 1] })).toThrow(/3 rounds but 2 baseline rounds/);
    expect(() => scenario('trace.10k', [1, Number.NaN, 2])).toThrow(/finite/);
  });

  it('prints one table row per scenario', () => {
    const table = formatTable(fullSet());
    for (const name of SCENARIO_NAMES) expect(table).toContain(`| ${name}`);
    expect(table.split('\n')).toHaveLength(2 + SCENARIO_NAMES.length);
  });

  it('takes nearest-rank percentiles and true medians', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile([3], 99)).toBe(3);
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
  });

  it('sorts statements into reads, appends and transaction control', () => {
    expect(statementKind('BEGIN')).toBe('transaction');
    expect(statementKind('  commit')).toBe('transaction');
    expect(statementKind('INSERT INTO events (a) SELECT 1')).toBe('append');
    expect(statementKind('WITH x AS (SELECT 1) INSERT INTO events SELECT * FROM x')).toBe('append');
    expect(statementKind('SELECT * FROM emt_append_to_stream($1)')).toBe('append');
    expect(statementKind('SELECT data FROM events WHERE stream_id = $1')).toBe('read');
    expect(statementKind('CREATE TABLE t (a int)')).toBe('other');
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
    const load = await loadSyntheticLog(recorder, {
      targetEvents: 3000,
      meanDisbursements: 40,
      window: 6,
      appenders: 2,
      chunk: [5, 15],
      traceDisbursements: 120,
      seed: 1,
    });
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

    // A growth step loads more into the same log: its own ids (projects and bonds), no second trace project.
    const before = new Set(streams.keys());
    const more = await loadSyntheticLog(recorder, {
      targetEvents: 1500,
      meanDisbursements: 40,
      window: 6,
      appenders: 2,
      chunk: [5, 15],
      traceDisbursements: 0,
      seed: 2,
      idPrefix: 's1-',
    });
    expect(more.skippedCommands).toBe(0);
    expect(more.projects.length).toBeGreaterThan(0);
    expect(more.projects.every((id) => id.startsWith('s1-p'))).toBe(true);
    const added = [...streams.keys()].filter((id) => !before.has(id));
    expect(added.length).toBeGreaterThan(more.projects.length);
    expect(added.every((id) => id.startsWith('project-s1-p') || id.includes('-s1-'))).toBe(true);
    expect(streams.get(`project-${TRACE_PROJECT_ID}`)).toHaveLength(trace.length);
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

  it('measures appends with a prepared raw INSERT, a scan and verify in rounds, and writes a well-formed results document', async () => {
    countStatements();
    const query = jest.spyOn(pg.Client.prototype, 'query');
    const raws: WritersResult[] = [];
    try {
      for (const round of ['s1', 's2', 's3']) raws.push(await rawAppend({ url, writers: 2, warmupMs: 50, durationMs: 300, round }));
      const inserts = query.mock.calls
        .map(([config]) => config as unknown)
        .filter((config) => statementKind(typeof config === 'string' ? config : String((config as { text?: string }).text)) === 'append');
      expect(inserts.length).toBeGreaterThan(0);
      expect(inserts.every((config) => (config as { name?: string }).name === RAW_INSERT_STATEMENT)).toBe(true);
    } finally {
      query.mockRestore();
    }
    for (const raw of raws) {
      expect(raw.errors).toBe(0);
      // Statements in the window over operations finished in it: in-flight operations at its edges blur the quotient a little.
      expect(raw.perOp?.statements).toBeCloseTo(1, 1);
      expect(raw.perOp?.appends).toBeCloseTo(1, 1);
      expect(raw.perOp).toMatchObject({ reads: 0, transactionControl: 0 });
    }

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

    const scans: ScanResult[] = [];
    const verifies: VerifyResult[] = [];
    for (let round = 0; round < 3; round += 1) {
      scans.push(await rawScan(url));
      verifies.push(await fundtrailVerify(url));
    }
    for (const scan of scans) expect(scan.events).toBe(load.events);
    for (const verify of verifies) {
      expect(verify.events).toBe(load.events);
      expect(verify.brokenLinks).toBe(0);
    }

    const results: BenchResults = {
      machine: { store: server.mode },
      scenarios: [
        scenario(
          'append.command-bus',
          raws.map((r) => r.perSecond),
          { name: 'raw pg single-row INSERT', values: raws.map((r) => r.perSecond), prepared: true },
        ),
        scenario(
          'verify',
          verifies.map((v) => v.perSecond),
          { name: 'raw ordered scan + sum (pg)', values: scans.map((s) => s.perSecond) },
          { events: load.events },
        ),
      ],
    };
    const json = copy(results);
    expect(validateResults(json)).toEqual([]);
    const [bus, verify] = json.scenarios;
    expect(bus.ratios).toEqual([1, 1, 1]);
    verify.ratios!.forEach((ratio, i) => expect(ratio).toBeCloseTo(verifies[i].perSecond / scans[i].perSecond, 3));
    expect(verify.ratio).toBe([...verify.ratios!].sort((x, y) => x - y)[1]);
  });

  it('runs the Emmett peer with no read before its append once a stream is cached', async () => {
    const emmettUrl = await server.createDatabase('specemmett');
    const peer = await emmettAppend({ url: emmettUrl, writers: 2, warmupMs: 300, durationMs: 500, round: 'spec' });
    expect(peer.errors).toBe(0);
    expect(peer.operations).toBeGreaterThan(0);
    // Emmett's appendToStream: BEGIN, SELECT emt_append_to_stream(...), COMMIT; nothing read.
    expect(peer.perOp).toMatchObject({ reads: 0, other: 0 });
    expect(peer.perOp?.appends).toBeCloseTo(1, 1);
    expect(peer.perOp?.transactionControl).toBeCloseTo(2, 1);
    expect(peer.perOp?.statements).toBeCloseTo(3, 1);
  });
});
