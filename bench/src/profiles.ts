import { MIN_ROUNDS } from './results';
import type { LoadPlan } from './synthetic';

export interface Profile {
  name: 'quick' | 'full';
  /** Rounds of every scenario (appends interleaved raw, command bus, Emmett); medians are reported. At least 3. */
  rounds: number;
  writers: number;
  warmupMs: number;
  durationMs: number;
  httpConnections: number;
  httpProjects: number;
  httpWarmupRequests: number;
  /** POSTs per round. */
  httpRequests: number;
  /** Diagnostic: the same POSTs without Idempotency-Key, once (0 = skip). */
  httpRequestsWithoutKey: number;
  load: LoadPlan;
  /** GETs per round. */
  queryRequests: number;
  queryUnderLoadSeconds: number;
  /** Timed traces per round. */
  traceRepeats: number;
  /** Diagnostic: one more command-bus round once the big log is loaded. */
  appendAfterLoad: boolean;
}

/** Three rounds of everything in a few minutes: shorter windows per round than the full profile. */
export const QUICK: Profile = {
  name: 'quick',
  rounds: 3,
  writers: 8,
  warmupMs: 1000,
  durationMs: 3000,
  httpConnections: 8,
  httpProjects: 64,
  httpWarmupRequests: 300,
  httpRequests: 1500,
  httpRequestsWithoutKey: 1000,
  load: { targetEvents: 100_000, meanDisbursements: 120, window: 48, appenders: 3, chunk: [10, 40], traceDisbursements: 10_000, seed: 6 },
  queryRequests: 1000,
  queryUnderLoadSeconds: 4,
  traceRepeats: 3,
  appendAfterLoad: true,
};

export const FULL: Profile = {
  name: 'full',
  rounds: 3,
  writers: 8,
  warmupMs: 3000,
  durationMs: 15_000,
  httpConnections: 8,
  httpProjects: 64,
  httpWarmupRequests: 1000,
  httpRequests: 6_000,
  httpRequestsWithoutKey: 6_000,
  load: { targetEvents: 1_000_000, meanDisbursements: 150, window: 160, appenders: 3, chunk: [10, 40], traceDisbursements: 10_000, seed: 6 },
  queryRequests: 5_000,
  queryUnderLoadSeconds: 10,
  traceRepeats: 5,
  appendAfterLoad: true,
};

/** `--quick`, `--events N` (log size), `--rounds N` (at least 3), `--duration S` (append window per round). */
export function profileFromArgs(argv: readonly string[]): Profile {
  const base = argv.includes('--quick') ? QUICK : FULL;
  const value = (flag: string): number | undefined => {
    const inline = argv.find((a) => a.startsWith(`${flag}=`));
    const raw = inline ? inline.slice(flag.length + 1) : argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined;
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got ${raw}`);
    return n;
  };
  const events = value('--events');
  const rounds = value('--rounds');
  if (rounds !== undefined && rounds < MIN_ROUNDS) throw new Error(`--rounds needs at least ${MIN_ROUNDS}: every ratio is the median of that many rounds`);
  const duration = value('--duration');
  return {
    ...base,
    ...(rounds ? { rounds: Math.round(rounds) } : {}),
    ...(duration ? { durationMs: duration * 1000 } : {}),
    load: { ...base.load, ...(events ? { targetEvents: Math.round(events) } : {}) },
  };
}
