/**
 * Benchmark harness: FundTrail against the raw-PostgreSQL limit and a peer event
 * store, measured side by side in one run on one PostgreSQL.
 *
 *   npm run bench                 full run (1,000,000-event log)
 *   npm run bench -- --quick      under 5 minutes (100,000-event log)
 *   options: --events N  --rounds N  --duration S  --only phase,phase  --out file.json
 *
 * Uses DATABASE_URL's server when set (fresh databases, dropped at the end), else an embedded
 * PostgreSQL in a temporary directory. Prints a table; writes bench/results/latest.json and
 * bench/results/<profile>.json.
 */
import 'reflect-metadata';
import { loadConfig } from '@fundtrail/platform';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { signToken } from '@fundtrail/auth';
import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { openBenchServer, migrateFundtrail, type BenchServer } from './database';
import { closeHttpAgent } from './http-client';
import { repoRoot, runCli, runWorker, startApi, type ApiProcess } from './processes';
import { type Profile, profileFromArgs } from './profiles';
import { type BenchResults, formatTable, type ScenarioResult, scenario, validateResults } from './results';
import { figuresLatency, figuresUnderLoad, httpAppend, type HttpAppendResult, prefundProjects, traceTiming } from './scenarios/http';
import type { ScanResult, VerifyResult } from './scenarios/scan';
import { median } from './stats';
import { loadSyntheticLog, type LoadResult } from './synthetic';
import type { WritersResult } from './writers';

const PHASES = ['append', 'http', 'load', 'rebuild', 'verify', 'query', 'trace', 'micro'] as const;
type Phase = (typeof PHASES)[number];

const runStarted = Date.now();
/** The machine is shared: its load average says how much of the noise was other people's work. */
const loadAverages: number[][] = [loadavg()];
function log(message: string): void {
  const t = ((Date.now() - runStarted) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${t}s] ${message}\n`);
}

const r0 = (n: number) => Math.round(n);
const r2 = (n: number) => Math.round(n * 100) / 100;

function parsePhases(argv: readonly string[]): Set<Phase> {
  const inline = argv.find((a) => a.startsWith('--only='));
  const raw = inline ? inline.slice('--only='.length) : argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  if (!raw) return new Set(PHASES);
  const phases = raw.split(',').map((p) => p.trim());
  for (const p of phases) if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--only: unknown phase ${p} (phases: ${PHASES.join(', ')})`);
  return new Set(phases as Phase[]);
}

function outPath(argv: readonly string[]): string | undefined {
  const inline = argv.find((a) => a.startsWith('--out='));
  return inline ? inline.slice('--out='.length) : argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined;
}

async function countEvents(url: string): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
  } finally {
    await pool.end();
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const profile: Profile = profileFromArgs(argv);
  const phases = parsePhases(argv);
  log(`profile ${profile.name}: ${profile.load.targetEvents.toLocaleString('en-US')}-event log, ${profile.appendRounds} append round(s) of ${profile.durationMs / 1000} s`);
  const server: BenchServer = await openBenchServer(loadConfig().databaseUrl, log);
  const interrupted = () => {
    log('interrupted: dropping the bench databases');
    void server.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const scenarios: ScenarioResult[] = [];
  const diagnostics: Record<string, unknown> = {};
  const errors: string[] = [];
  const jwtSecret = randomBytes(32).toString('hex');
  const clerk = signToken({ sub: 'bench-clerk', role: 'clerk' }, jwtSecret);
  const analyst = signToken({ sub: 'bench-analyst', role: 'analyst' }, jwtSecret);
  const auditor = signToken({ sub: 'bench-auditor', role: 'auditor' }, jwtSecret);
  let postgres = 'unknown';
  let logEvents = 0;
  let load: LoadResult | undefined;
  let commandBus: number | undefined;

  const phase = async (name: Phase, work: () => Promise<void>) => {
    if (!phases.has(name)) return;
    const started = Date.now();
    try {
      loadAverages.push(loadavg());
      await work();
      log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      errors.push(`${name}: ${message}`);
      log(`${name}: FAILED: ${message}`);
    }
  };

  try {
    postgres = await server.version();
    const url = await server.createDatabase('');
    await migrateFundtrail(url);
    const emmettUrl = await server.createDatabase('emmett');
    log(`PostgreSQL ${postgres} (${server.mode}); FundTrail database ready`);

    // 1. Appends: raw limit, FundTrail's command bus and Emmett, interleaved round by round.
    await phase('append', async () => {
      const raw: WritersResult[] = [];
      const bus: WritersResult[] = [];
      const peer: WritersResult[] = [];
      const common = { writers: profile.writers, warmupMs: profile.warmupMs, durationMs: profile.durationMs };
      for (let round = 1; round <= profile.appendRounds; round += 1) {
        raw.push(await runWorker<WritersResult>({ kind: 'append.raw', url, round: `r${round}`, ...common }));
        log(`append round ${round}: raw ${r0(raw[raw.length - 1].perSecond)} inserts/s`);
        bus.push(await runWorker<WritersResult>({ kind: 'append.command-bus', url, round: `r${round}`, ...common }));
        log(`append round ${round}: command bus ${r0(bus[bus.length - 1].perSecond)} commands/s`);
        peer.push(await runWorker<WritersResult>({ kind: 'append.emmett', url: emmettUrl, round: `r${round}`, ...common }));
        log(`append round ${round}: emmett ${r0(peer[peer.length - 1].perSecond)} commands/s`);
      }
      const summary = (rs: WritersResult[]) => ({
        perRound: rs.map((r) => r0(r.perSecond)),
        statementsPerOp: r2(median(rs.map((r) => r.statementsPerOp ?? Number.NaN))),
        clientCpuMicrosPerOp: r0(median(rs.map((r) => r.cpuMicrosPerOp))),
        errors: rs.reduce((n, r) => n + r.errors, 0),
        ...(rs.find((r) => r.firstError) ? { firstError: rs.find((r) => r.firstError)?.firstError } : {}),
      });
      const rawValue = median(raw.map((r) => r.perSecond));
      commandBus = median(bus.map((r) => r.perSecond));
      const emmettValue = median(peer.map((r) => r.perSecond));
      const shape = { writers: profile.writers, windowSeconds: profile.durationMs / 1000, rounds: profile.appendRounds };
      scenarios.push(
        scenario('append.command-bus', commandBus, { name: 'raw pg single-row INSERT, 8 writers', value: rawValue }, {
          ...shape,
          fundtrail: summary(bus),
          raw: summary(raw),
        }),
      );
      scenarios.push(
        scenario('append.peer-emmett', commandBus, { name: '@event-driven-io/emmett-postgresql 0.42.0, same workload', value: emmettValue }, {
          ...shape,
          note: 'value = FundTrail command bus (same rounds as append.command-bus); ratio = FundTrail / Emmett',
          emmett: summary(peer),
        }),
      );
    });

    // 2. HTTP: the deployed API in its own process, autocannon from this one.
    await phase('http', async () => {
      const projectIds = Array.from({ length: profile.httpProjects }, (_, i) => `http-${String(i).padStart(3, '0')}`);
      await prefundProjects(url, projectIds);
      const api = await startApi(url, jwtSecret);
      try {
        const base = { token: clerk, projectIds, connections: profile.httpConnections };
        await httpAppend(api, url, { ...base, requests: profile.httpWarmupRequests, prefix: 'hw-', idempotencyKey: true });
        const measured: HttpAppendResult = await httpAppend(api, url, { ...base, requests: profile.httpRequests, prefix: 'h-', idempotencyKey: true });
        log(`append.http: ${r0(measured.perSecond)} created/s, statuses ${JSON.stringify(measured.statusCounts)}, accepted ${measured.accepted}`);
        if (!measured.acceptedEqualsCreated) errors.push(`append.http: ${measured.accepted} disbursements accepted but ${measured.created} answered 201`);
        const nonCreated = measured.requests - measured.created;
        if (nonCreated > 0) log(`append.http: ${nonCreated} non-201 answers, e.g. ${measured.nonCreatedSamples[0]}`);
        let withoutKey: HttpAppendResult | undefined;
        if (profile.httpRequestsWithoutKey > 0) {
          withoutKey = await httpAppend(api, url, { ...base, requests: profile.httpRequestsWithoutKey, prefix: 'hn-', idempotencyKey: false });
          diagnostics['append.http without Idempotency-Key'] = {
            perSecond: r0(withoutKey.perSecond),
            apiCpuMsPerRequest: r2(withoutKey.apiCpuMsPerRequest),
            latencyMs: withoutKey.latencyMs,
            statusCounts: withoutKey.statusCounts,
            acceptedEqualsCreated: withoutKey.acceptedEqualsCreated,
          };
        }
        const details = {
          connections: profile.httpConnections,
          requests: measured.requests,
          idempotencyKey: true,
          statusCounts: measured.statusCounts,
          created: measured.created,
          acceptedInLog: measured.accepted,
          acceptedEqualsCreated: measured.acceptedEqualsCreated,
          nonCreated,
          ...(measured.nonCreatedSamples.length ? { nonCreatedSamples: measured.nonCreatedSamples } : {}),
          latencyMs: measured.latencyMs,
          apiCpuMsPerRequest: r2(measured.apiCpuMsPerRequest),
          connectionErrors: measured.connectionErrors,
        };
        if (commandBus === undefined) throw new Error('append.http needs append.command-bus in the same run (phase append)');
        scenarios.push(scenario('append.http', measured.perSecond, { name: 'append.command-bus', value: commandBus }, details));
      } finally {
        await api.stop();
      }
    });

    // 3. The big log: realistic synthetic data appended in many-event transactions through PostgresEventStore.
    await phase('load', async () => {
      const pool = createPool({ url, poolSize: profile.load.appenders + 1, applicationName: 'bench-load' });
      try {
        const store = new PostgresEventStore(pool);
        load = await loadSyntheticLog(store, profile.load, (events) => {
          if (events % 100_000 < 10_000) log(`load: ${events.toLocaleString('en-US')} events`);
        });
        // A settled production table: statistics and visibility map up to date (autovacuum would get there too).
        await pool.query('VACUUM ANALYZE events');
      } finally {
        await pool.end();
      }
      log(`load: ${load.events.toLocaleString('en-US')} events, ${load.projects.length} projects, ${load.bonds} bonds in ${load.seconds.toFixed(1)} s`);
      diagnostics.load = {
        events: load.events,
        projects: load.projects.length,
        bonds: load.bonds,
        appends: load.appends,
        eventsPerAppend: r2(load.events / load.appends),
        seconds: r2(load.seconds),
        eventsPerSecond: r0(load.events / load.seconds),
        skippedCommands: load.skippedCommands,
        plan: profile.load,
      };
    });
    logEvents = await countEvents(url);

    // 4. Rebuild: the product's CLI in its own process; the raw scan right before it is the baseline.
    await phase('rebuild', async () => {
      const scan = await runWorker<ScanResult>({ kind: 'scan.raw', url });
      log(`raw scan: ${r0(scan.perSecond)} events/s`);
      const cli = await runCli(['rebuild', '--fresh'], { DATABASE_URL: url });
      if (cli.code !== 0) throw new Error(`rebuild exited ${cli.code}: ${cli.stderr.slice(-2000)}`);
      const match = /rebuilt read models from (\d+) events.* in ([\d.]+) s/.exec(cli.stdout);
      if (!match) throw new Error(`unexpected rebuild output: ${cli.stdout}`);
      const events = Number(match[1]);
      const secondsInRebuild = Number(match[2]);
      log(`rebuild: ${events} events in ${secondsInRebuild} s; peak RSS ${cli.peakRssMb.toFixed(1)} MB`);
      const details = { events, seconds: secondsInRebuild, processWallSeconds: r2(cli.wallSeconds), command: 'node dist/apps/cli/src/main.js rebuild --fresh', batchSize: 2000 };
      scenarios.push(scenario('rebuild', events / secondsInRebuild, { name: 'raw ordered scan + sum (pg)', value: scan.perSecond }, { ...details, scan: { events: scan.events, seconds: r2(scan.seconds) } }));
      scenarios.push(scenario('rebuild.rss', cli.peakRssMb, undefined, { events, samples: cli.samples, source: '/proc/<pid>/status VmHWM of the rebuild process' }));
    });

    // 5. Verify: hash chains and read models, in a fresh process; a fresh raw scan as its baseline.
    await phase('verify', async () => {
      const scan = await runWorker<ScanResult>({ kind: 'scan.raw', url });
      const verify = await runWorker<VerifyResult>({ kind: 'verify', url });
      log(`verify: ${r0(verify.perSecond)} events/s (raw scan ${r0(scan.perSecond)}), ok=${verify.ok}`);
      if (!verify.ok) errors.push(`verify: the log or the read models did not verify (${verify.brokenLinks} broken links, ${verify.differences} differences, ${verify.missing} missing)`);
      scenarios.push(
        scenario('verify', verify.perSecond, { name: 'raw ordered scan + sum (pg)', value: scan.perSecond }, {
          events: verify.events,
          seconds: r2(verify.seconds),
          ok: verify.ok,
          streams: verify.streams,
          projects: verify.projects,
          cpuSeconds: r2(verify.cpuSeconds),
          scan: { events: scan.events, seconds: r2(scan.seconds), cpuSeconds: r2(scan.cpuSeconds) },
        }),
      );
    });

    // 6 + 7. Queries and trace over HTTP, on the loaded log.
    let api: ApiProcess | undefined;
    try {
      if (phases.has('query') || phases.has('trace')) api = await startApi(url, jwtSecret);
      const projects = load?.projects.filter((id) => id !== load?.traceProjectId) ?? [];
      await phase('query', async () => {
        if (!api) return;
        if (projects.length === 0) throw new Error('query.figures.p99 needs the loaded log (phase load)');
        const latency = await figuresLatency(api, analyst, projects, profile.queryRequests, 42);
        log(`query.figures: p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms over ${latency.requests} requests`);
        if ((latency.statusCounts['200'] ?? 0) !== latency.requests) throw new Error(`query.figures: not every answer was 200: ${JSON.stringify(latency.statusCounts)}`);
        const underLoad = await figuresUnderLoad(api, analyst, projects, 8, profile.queryUnderLoadSeconds, 43);
        diagnostics['query.figures under load (8 connections)'] = underLoad;
        scenarios.push(
          scenario('query.figures.p99', latency.p99, undefined, {
            requests: latency.requests,
            connections: 1,
            p50: r2(latency.p50),
            p999: r2(latency.p999),
            mean: r2(latency.mean),
            max: r2(latency.max),
            logEvents,
            projects: projects.length,
            bytesPerResponse: r0(latency.bytesPerResponse),
            statusCounts: latency.statusCounts,
          }),
        );
      });
      await phase('trace', async () => {
        if (!api || !load) throw new Error('trace.10k needs the loaded log (phase load)');
        const trace = await traceTiming(api, auditor, load.traceProjectId, profile.traceRepeats);
        log(`trace.10k: median ${trace.median.toFixed(1)} ms, ${trace.terms} terms, matches=${trace.matches}`);
        if (trace.terms !== profile.load.traceDisbursements) errors.push(`trace.10k: ${trace.terms} contributing events, expected ${profile.load.traceDisbursements}`);
        if (!trace.matches) errors.push('trace.10k: the recomputed figure does not match the read model');
        scenarios.push(
          scenario('trace.10k', trace.median, undefined, {
            contributingEvents: trace.terms,
            matches: trace.matches,
            timingsMs: trace.ms,
            firstCallMs: trace.firstMs,
            responseBytes: trace.responseBytes,
            logEvents,
          }),
        );
      });
    } finally {
      await api?.stop();
      closeHttpAgent();
    }

    // Diagnostics: per-event CPU costs, and the command bus again on the big log (growth).
    await phase('micro', async () => {
      diagnostics.microCostsMicros = await runWorker({ kind: 'micro' });
      if (profile.appendAfterLoad && load) {
        const common = { writers: profile.writers, warmupMs: profile.warmupMs, durationMs: profile.durationMs };
        const raw = await runWorker<WritersResult>({ kind: 'append.raw', url, round: 'after-load', ...common });
        const bus = await runWorker<WritersResult>({ kind: 'append.command-bus', url, round: 'after-load', ...common });
        diagnostics['append.command-bus on the loaded log'] = {
          logEvents: await countEvents(url),
          commandsPerSecond: r0(bus.perSecond),
          rawInsertsPerSecond: r0(raw.perSecond),
          ratio: r2(bus.perSecond / raw.perSecond),
          statementsPerOp: bus.statementsPerOp,
        };
      }
    });
  } finally {
    await server.close();
  }

  const order = new Map<string, number>(
    ['append.command-bus', 'append.peer-emmett', 'append.http', 'rebuild', 'rebuild.rss', 'query.figures.p99', 'trace.10k', 'verify'].map((n, i) => [n, i]),
  );
  scenarios.sort((a, b) => (order.get(a.name) ?? 99) - (order.get(b.name) ?? 99));
  const cpu = cpus();
  const results: BenchResults & { errors?: string[] } = {
    machine: {
      hostname: hostname(),
      platform: `${process.platform} ${release()}`,
      arch: process.arch,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryGb: r2(totalmem() / 1024 ** 3),
      node: process.version,
      postgres,
      store: server.mode,
      profile: profile.name,
      logEvents,
      loadAverage1m: { atStart: r2(loadAverages[0][0]), atEnd: r2(loadavg()[0]), samples: loadAverages.map((l) => r2(l[0])) },
      startedAt: new Date(runStarted).toISOString(),
      seconds: r0((Date.now() - runStarted) / 1000),
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    },
    scenarios,
    diagnostics,
    ...(errors.length ? { errors } : {}),
  };
  const problems = validateResults(results);
  if (problems.length) errors.push(...problems.map((p) => `results: ${p}`));

  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const out = outPath(argv);
  if (out) writeFileSync(out, json);
  else {
    writeFileSync(join(dir, 'latest.json'), json);
    if (phases.size === PHASES.length) writeFileSync(join(dir, `${profile.name}.json`), json);
  }
  process.stdout.write(`\n${formatTable(scenarios)}\n\n`);
  process.stdout.write(
    `${profile.name} run, ${logEvents.toLocaleString('en-US')} events in the log, PostgreSQL ${postgres} (${server.mode}), ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${r0((Date.now() - runStarted) / 1000)} s\n`,
  );
  process.stdout.write(`results: ${out ?? join('bench', 'results', 'latest.json')}\n`);
  if (errors.length) {
    process.stderr.write(`\n${errors.length} problem(s):\n${errors.map((e) => `- ${e}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
