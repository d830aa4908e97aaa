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
import { dirname, join } from 'node:path';
import { Pool } from 'pg';
import { signToken } from '@fundtrail/auth';
import { createPool, PostgresEventStore } from '@fundtrail/event-store';
import { openBenchServer, migrateFundtrail, type BenchServer } from './database';
import { closeHttpAgent } from './http-client';
import { repoRoot, runCli, runWorker, startApi, type ApiProcess } from './processes';
import { type Profile, profileFromArgs } from './profiles';
import { type BenchResults, formatTable, type ScenarioResult, scenario, validateResults } from './results';
import {
  figuresLatency,
  figuresUnderLoad,
  httpAppend,
  type HttpAppendResult,
  type LatencyResult,
  prefundProjects,
  type TraceResult,
  traceTiming,
} from './scenarios/http';
import type { ScanResult, VerifyResult } from './scenarios/scan';
import { median } from './stats';
import { type LoadPlan, loadSyntheticLog, type LoadResult } from './synthetic';
import type { PerOp, WritersResult } from './writers';

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

/** Log sizes of `--growth` when none are given: 1×, 4× and 16×. */
export const GROWTH_SIZES = [25_000, 100_000, 400_000];
/** The phases a growth run measures at each size (the append phases do not read the log). */
const GROWTH_PHASES: readonly Phase[] = ['load', 'rebuild', 'verify', 'query', 'trace'];

/** `--growth` (the default sizes) or `--growth 25000,100000,400000`: log sizes to load in steps, measuring the read side after each. */
function growthSizes(argv: readonly string[]): number[] | undefined {
  const inline = argv.find((a) => a.startsWith('--growth='));
  if (!inline && !argv.includes('--growth')) return undefined;
  const next = inline ? inline.slice('--growth='.length) : argv[argv.indexOf('--growth') + 1];
  if (next === undefined || next.startsWith('--')) return GROWTH_SIZES;
  const sizes = next.split(',').map((n) => Number(n.trim()));
  if (sizes.length < 2 || sizes.some((n, i) => !Number.isInteger(n) || n <= 0 || (i > 0 && n <= sizes[i - 1])))
    throw new Error(`--growth needs increasing log sizes, e.g. 25000,100000,400000; got ${next}`);
  return sizes;
}

/** One size of a growth run: the read-side scenarios measured on the log as it stood. */
export interface GrowthStep {
  targetEvents: number;
  logEvents: number;
  scenarios: ScenarioResult[];
  diagnostics: Record<string, unknown>;
}

function outPath(argv: readonly string[]): string | undefined {
  const inline = argv.find((a) => a.startsWith('--out='));
  return inline ? inline.slice('--out='.length) : argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined;
}

/** Median statements of each kind per command over rounds: what a side sends PostgreSQL for one command. */
function workPerCommand(rounds: readonly WritersResult[]): { statements: number; reads: number; appends: number; transactionControl: number; other: number } {
  const of = (key: keyof PerOp) => r2(median(rounds.map((r) => r.perOp?.[key] ?? Number.NaN)));
  return { statements: of('statements'), reads: of('reads'), appends: of('appends'), transactionControl: of('transactionControl'), other: of('other') };
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
  const growth = growthSizes(argv);
  const phases = parsePhases(argv);
  if (growth) for (const p of PHASES) if (!GROWTH_PHASES.includes(p)) phases.delete(p);
  const growthSteps: GrowthStep[] = [];
  log(
    `profile ${profile.name}: ${profile.load.targetEvents.toLocaleString('en-US')}-event log, ${profile.rounds} rounds of every scenario, append windows of ${profile.durationMs / 1000} s`,
  );
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
  let commandBusValues: number[] | undefined;

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
      for (let round = 1; round <= profile.rounds; round += 1) {
        raw.push(await runWorker<WritersResult>({ kind: 'append.raw', url, round: `r${round}`, ...common }));
        log(`append round ${round}: raw ${r0(raw[raw.length - 1].perSecond)} inserts/s`);
        bus.push(await runWorker<WritersResult>({ kind: 'append.command-bus', url, round: `r${round}`, ...common }));
        log(`append round ${round}: command bus ${r0(bus[bus.length - 1].perSecond)} commands/s`);
        peer.push(await runWorker<WritersResult>({ kind: 'append.emmett', url: emmettUrl, round: `r${round}`, ...common }));
        log(`append round ${round}: emmett ${r0(peer[peer.length - 1].perSecond)} commands/s`);
      }
      // Diagnostic, one round: Emmett's stock command handler, which reads the whole stream per command.
      const stock = await runWorker<WritersResult>({ kind: 'append.emmett-stock', url: emmettUrl, round: 'stock', ...common });
      log(`append diagnostic: emmett stock DeciderCommandHandler ${r0(stock.perSecond)} commands/s`);
      const work = { raw: workPerCommand(raw), fundtrail: workPerCommand(bus), emmett: workPerCommand(peer) };
      const summary = (rs: WritersResult[]) => ({
        perRound: rs.map((r) => r0(r.perSecond)),
        clientCpuMicrosPerOp: r0(median(rs.map((r) => r.cpuMicrosPerOp))),
        errors: rs.reduce((n, r) => n + r.errors, 0),
        ...(rs.find((r) => r.firstError) ? { firstError: rs.find((r) => r.firstError)?.firstError } : {}),
      });
      commandBusValues = bus.map((r) => r.perSecond);
      const shape = { writers: profile.writers, warmupSeconds: profile.warmupMs / 1000, windowSeconds: profile.durationMs / 1000 };
      scenarios.push(
        scenario(
          'append.command-bus',
          commandBusValues,
          { name: 'raw pg single-row INSERT, named prepared statement, 8 writers', values: raw.map((r) => r.perSecond), prepared: true },
          { ...shape, perCommand: work, fundtrail: summary(bus), raw: summary(raw) },
        ),
      );
      scenarios.push(
        scenario(
          'append.peer-emmett',
          commandBusValues,
          {
            name: '@event-driven-io/emmett-postgresql 0.42.0, same workload, cached state, no read before append',
            values: peer.map((r) => r.perSecond),
            extraReads: r2(work.emmett.reads - work.fundtrail.reads),
          },
          {
            ...shape,
            note: 'value = FundTrail command bus (same rounds as append.command-bus); ratio = FundTrail / Emmett, round by round',
            perCommand: { fundtrail: work.fundtrail, emmett: work.emmett },
            emmett: summary(peer),
          },
        ),
      );
      diagnostics['append.emmett stock DeciderCommandHandler (one round)'] = {
        commandsPerSecond: r0(stock.perSecond),
        perCommand: workPerCommand([stock]),
        clientCpuMicrosPerOp: r0(stock.cpuMicrosPerOp),
        errors: stock.errors,
        note: 'aggregateStream (the whole stream) before every command, then appendToStream: its cost grows with the stream',
      };
    });

    // 2. HTTP: the deployed API in its own process, autocannon from this one; round i against the command bus's round i.
    await phase('http', async () => {
      const projectIds = Array.from({ length: profile.httpProjects }, (_, i) => `http-${String(i).padStart(3, '0')}`);
      await prefundProjects(url, projectIds);
      const api = await startApi(url, jwtSecret);
      try {
        const base = { token: clerk, projectIds, connections: profile.httpConnections };
        await httpAppend(api, url, { ...base, requests: profile.httpWarmupRequests, prefix: 'hw-', idempotencyKey: true });
        const measured: HttpAppendResult[] = [];
        for (let round = 1; round <= profile.rounds; round += 1) {
          const result = await httpAppend(api, url, { ...base, requests: profile.httpRequests, prefix: `h${round}-`, idempotencyKey: true });
          measured.push(result);
          log(`append.http round ${round}: ${r0(result.perSecond)} created/s, statuses ${JSON.stringify(result.statusCounts)}, accepted ${result.accepted}`);
          if (!result.acceptedEqualsCreated)
            errors.push(`append.http round ${round}: ${result.accepted} disbursements accepted but ${result.created} answered 201`);
          const nonCreated = result.requests - result.created;
          if (nonCreated > 0) log(`append.http round ${round}: ${nonCreated} non-201 answers, e.g. ${result.nonCreatedSamples[0]}`);
        }
        if (profile.httpRequestsWithoutKey > 0) {
          const withoutKey = await httpAppend(api, url, { ...base, requests: profile.httpRequestsWithoutKey, prefix: 'hn-', idempotencyKey: false });
          diagnostics['append.http without Idempotency-Key (one round)'] = {
            perSecond: r0(withoutKey.perSecond),
            apiCpuMsPerRequest: r2(withoutKey.apiCpuMsPerRequest),
            latencyMs: withoutKey.latencyMs,
            statusCounts: withoutKey.statusCounts,
            acceptedEqualsCreated: withoutKey.acceptedEqualsCreated,
          };
        }
        const samples = measured.flatMap((m) => m.nonCreatedSamples).slice(0, 5);
        const details = {
          connections: profile.httpConnections,
          requestsPerRound: profile.httpRequests,
          idempotencyKey: true,
          statusCounts: measured.map((m) => m.statusCounts),
          created: measured.map((m) => m.created),
          acceptedInLog: measured.map((m) => m.accepted),
          acceptedEqualsCreated: measured.every((m) => m.acceptedEqualsCreated),
          nonCreated: measured.reduce((n, m) => n + m.requests - m.created, 0),
          ...(samples.length ? { nonCreatedSamples: samples } : {}),
          latencyMs: measured.map((m) => m.latencyMs),
          apiCpuMsPerRequest: measured.map((m) => r2(m.apiCpuMsPerRequest)),
          connectionErrors: measured.reduce((n, m) => n + m.connectionErrors, 0),
          pairing: 'round i of the API against round i of append.command-bus (measured minutes apart, not at once)',
        };
        if (commandBusValues === undefined) throw new Error('append.http needs append.command-bus in the same run (phase append)');
        scenarios.push(
          scenario(
            'append.http',
            measured.map((m) => m.perSecond),
            { name: 'append.command-bus', values: commandBusValues },
            details,
          ),
        );
      } finally {
        await api.stop();
      }
    });

    // 3. The big log: realistic synthetic data appended in many-event transactions through PostgresEventStore.
    // With --growth, each step adds projects of its own (and no second trace project) to reach its size.
    const loadStep = (step: number, size: number) =>
      phase('load', async () => {
        const pool = createPool({ url, poolSize: profile.load.appenders + 1, applicationName: 'bench-load' });
        try {
          const store = new PostgresEventStore(pool);
          const before = step === 0 ? 0 : await countEvents(url);
          const plan: LoadPlan =
            step === 0
              ? { ...profile.load, targetEvents: size }
              : { ...profile.load, targetEvents: Math.max(1, size - before), traceDisbursements: 0, seed: profile.load.seed + step, idPrefix: `s${step}-` };
          const added = await loadSyntheticLog(store, plan, (events) => {
            if ((before + events) % 100_000 < 10_000) log(`load: ${(before + events).toLocaleString('en-US')} events`);
          });
          load = load
            ? {
                ...added,
                events: load.events + added.events,
                appends: load.appends + added.appends,
                seconds: load.seconds + added.seconds,
                projects: [...load.projects, ...added.projects],
                bonds: load.bonds + added.bonds,
                skippedCommands: load.skippedCommands + added.skippedCommands,
              }
            : added;
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

    /** Rebuild, verify, figures and trace on the log as it stands: their scenarios go to `into`, their diagnostics to `notes`. */
    const readSide = async (into: ScenarioResult[], notes: Record<string, unknown>) => {
      // 4. Rebuild: the product's CLI in its own process; a raw scan right before each round is its baseline.
      await phase('rebuild', async () => {
        const rounds: { events: number; seconds: number; wallSeconds: number; peakRssMb: number; samples: number; scan: ScanResult }[] = [];
        for (let round = 1; round <= profile.rounds; round += 1) {
          const scan = await runWorker<ScanResult>({ kind: 'scan.raw', url });
          const cli = await runCli(['rebuild', '--fresh'], { DATABASE_URL: url });
          if (cli.code !== 0) throw new Error(`rebuild exited ${cli.code}: ${cli.stderr.slice(-2000)}`);
          const match = /rebuilt read models from (\d+) events.* in ([\d.]+) s/.exec(cli.stdout);
          if (!match) throw new Error(`unexpected rebuild output: ${cli.stdout}`);
          rounds.push({
            events: Number(match[1]),
            seconds: Number(match[2]),
            wallSeconds: cli.wallSeconds,
            peakRssMb: cli.peakRssMb,
            samples: cli.samples,
            scan,
          });
          log(`rebuild round ${round}: ${match[1]} events in ${match[2]} s (raw scan ${r0(scan.perSecond)} events/s); peak RSS ${cli.peakRssMb.toFixed(1)} MB`);
        }
        const events = rounds[0].events;
        const details = {
          events,
          seconds: rounds.map((r) => r.seconds),
          processWallSeconds: rounds.map((r) => r2(r.wallSeconds)),
          command: 'node dist/apps/cli/src/main.js rebuild --fresh',
          scan: rounds.map((r) => ({ events: r.scan.events, seconds: r2(r.scan.seconds) })),
        };
        into.push(
          scenario(
            'rebuild',
            rounds.map((r) => r.events / r.seconds),
            { name: 'raw ordered scan + sum (pg)', values: rounds.map((r) => r.scan.perSecond) },
            details,
          ),
        );
        into.push(
          scenario(
            'rebuild.rss',
            rounds.map((r) => r.peakRssMb),
            undefined,
            { events, samples: rounds.map((r) => r.samples), source: '/proc/<pid>/status VmHWM of the rebuild process' },
          ),
        );
      });

      // 5. Verify: hash chains and read models, in a fresh process; a fresh raw scan right before each round.
      await phase('verify', async () => {
        const rounds: { scan: ScanResult; verify: VerifyResult }[] = [];
        for (let round = 1; round <= profile.rounds; round += 1) {
          const scan = await runWorker<ScanResult>({ kind: 'scan.raw', url });
          const verify = await runWorker<VerifyResult>({ kind: 'verify', url });
          log(`verify round ${round}: ${r0(verify.perSecond)} events/s (raw scan ${r0(scan.perSecond)}), ok=${verify.ok}`);
          if (!verify.ok)
            errors.push(
              `verify: the log or the read models did not verify (${verify.brokenLinks} broken links, ${verify.differences} differences, ${verify.missing} missing)`,
            );
          rounds.push({ scan, verify });
        }
        const last = rounds[rounds.length - 1].verify;
        into.push(
          scenario(
            'verify',
            rounds.map((r) => r.verify.perSecond),
            { name: 'raw ordered scan + sum (pg)', values: rounds.map((r) => r.scan.perSecond) },
            {
              events: last.events,
              seconds: rounds.map((r) => r2(r.verify.seconds)),
              ok: rounds.every((r) => r.verify.ok),
              streams: last.streams,
              projects: last.projects,
              cpuSeconds: rounds.map((r) => r2(r.verify.cpuSeconds)),
              scan: rounds.map((r) => ({ events: r.scan.events, seconds: r2(r.scan.seconds), cpuSeconds: r2(r.scan.cpuSeconds) })),
            },
          ),
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
          const latencies: LatencyResult[] = [];
          for (let round = 1; round <= profile.rounds; round += 1) {
            const latency = await figuresLatency(api, analyst, projects, profile.queryRequests, 41 + round);
            log(`query.figures round ${round}: p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms over ${latency.requests} requests`);
            if ((latency.statusCounts['200'] ?? 0) !== latency.requests)
              throw new Error(`query.figures: not every answer was 200: ${JSON.stringify(latency.statusCounts)}`);
            latencies.push(latency);
          }
          notes['query.figures under load (8 connections, one round)'] = await figuresUnderLoad(api, analyst, projects, 8, profile.queryUnderLoadSeconds, 43);
          into.push(
            scenario(
              'query.figures.p99',
              latencies.map((l) => l.p99),
              undefined,
              {
                requestsPerRound: profile.queryRequests,
                connections: 1,
                p50: latencies.map((l) => r2(l.p50)),
                p999: latencies.map((l) => r2(l.p999)),
                mean: latencies.map((l) => r2(l.mean)),
                max: latencies.map((l) => r2(l.max)),
                logEvents,
                projects: projects.length,
                bytesPerResponse: r0(median(latencies.map((l) => l.bytesPerResponse))),
              },
            ),
          );
        });
        await phase('trace', async () => {
          if (!api || !load) throw new Error('trace.10k needs the loaded log (phase load)');
          const traces: TraceResult[] = [];
          for (let round = 1; round <= profile.rounds; round += 1) {
            const trace = await traceTiming(api, auditor, load.traceProjectId, profile.traceRepeats);
            log(`trace.10k round ${round}: median ${trace.median.toFixed(1)} ms, ${trace.terms} terms, matches=${trace.matches}`);
            if (trace.terms !== profile.load.traceDisbursements)
              errors.push(`trace.10k: ${trace.terms} contributing events, expected ${profile.load.traceDisbursements}`);
            if (!trace.matches) errors.push('trace.10k: the recomputed figure does not match the read model');
            traces.push(trace);
          }
          into.push(
            scenario(
              'trace.10k',
              traces.map((t) => t.median),
              undefined,
              {
                contributingEvents: traces[0].terms,
                matches: traces.every((t) => t.matches),
                repeatsPerRound: profile.traceRepeats,
                timingsMs: traces.map((t) => t.ms),
                firstCallMs: traces[0].firstMs,
                responseBytes: traces[0].responseBytes,
                logEvents,
              },
            ),
          );
        });
      } finally {
        await api?.stop();
        closeHttpAgent();
      }
    };

    if (growth) {
      for (const [step, size] of growth.entries()) {
        await loadStep(step, size);
        logEvents = await countEvents(url);
        log(`growth step ${step + 1} of ${growth.length}: ${logEvents.toLocaleString('en-US')} events in the log`);
        const stepScenarios: ScenarioResult[] = [];
        const notes: Record<string, unknown> = { load: diagnostics.load };
        await readSide(stepScenarios, notes);
        growthSteps.push({ targetEvents: size, logEvents, scenarios: stepScenarios, diagnostics: notes });
      }
    } else {
      await loadStep(0, profile.load.targetEvents);
      logEvents = await countEvents(url);
      await readSide(scenarios, diagnostics);
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

  if (growth) return writeGrowth(argv, growthSteps, { postgres, mode: server.mode, profile: profile.name, rounds: profile.rounds }, errors);

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

/** bench/results/growth.json (or --out): each size's read-side scenarios, for bench:report's growth table. */
function writeGrowth(
  argv: readonly string[],
  steps: readonly GrowthStep[],
  run: { postgres: string; mode: string; profile: string; rounds: number },
  errors: string[],
): number {
  const cpu = cpus();
  const growth = {
    machine: {
      hostname: hostname(),
      platform: `${process.platform} ${release()}`,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryGb: r2(totalmem() / 1024 ** 3),
      node: process.version,
      postgres: run.postgres,
      store: run.mode,
      profile: run.profile,
      rounds: run.rounds,
      loadAverage1m: { atStart: r2(loadAverages[0][0]), atEnd: r2(loadavg()[0]), samples: loadAverages.map((l) => r2(l[0])) },
      startedAt: new Date(runStarted).toISOString(),
      seconds: r0((Date.now() - runStarted) / 1000),
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    },
    steps,
    ...(errors.length ? { errors } : {}),
  };
  const out = outPath(argv) ?? join(repoRoot(), 'bench', 'results', 'growth.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(growth, null, 2)}\n`);
  for (const step of steps) process.stdout.write(`\n${step.logEvents.toLocaleString('en-US')} events in the log\n${formatTable(step.scenarios)}\n`);
  process.stdout.write(`\ngrowth run, ${r0((Date.now() - runStarted) / 1000)} s; results: ${out}\n`);
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
