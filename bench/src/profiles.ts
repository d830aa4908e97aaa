import type { LoadPlan } from './synthetic';

export interface Profile {
  name: 'quick' | 'full';
  /** Rounds of (raw, command bus, Emmett), interleaved; medians are reported. */
  appendRounds: number;
  writers: number;
  warmupMs: number;
  durationMs: number;
  httpConnections: number;
  httpProjects: number;
  httpWarmupRequests: number;
  httpRequests: number;
  /** Diagnostic: the same POSTs without Idempotency-Key (0 = skip). */
  httpRequestsWithoutKey: number;
  load: LoadPlan;
  queryRequests: number;
  queryUnderLoadSeconds: number;
  traceRepeats: number;
  /** Diagnostic: one more command-bus round once the big log is loaded. */
  appendAfterLoad: boolean;
}

export const QUICK: Profile = {
  name: 'quick',
  appendRounds: 1,
  writers: 8,
  warmupMs: 1500,
  durationMs: 6000,
  httpConnections: 8,
  httpProjects: 64,
  httpWarmupRequests: 400,
  httpRequests: 4000,
  httpRequestsWithoutKey: 2000,
  load: { targetEvents: 100_000, meanDisbursements: 120, window: 48, appenders: 3, chunk: [10, 40], traceDisbursements: 10_000, seed: 6 },
  queryRequests: 2000,
  queryUnderLoadSeconds: 4,
  traceRepeats: 5,
  appendAfterLoad: true,
};

export const FULL: Profile = {
  name: 'full',
  appendRounds: 3,
  writers: 8,
  warmupMs: 3000,
  durationMs: 15_000,
  httpConnections: 8,
  httpProjects: 64,
  httpWarmupRequests: 1000,
  httpRequests: 12_000,
  httpRequestsWithoutKey: 6_000,
  load: { targetEvents: 1_000_000, meanDisbursements: 150, window: 160, appenders: 3, chunk: [10, 40], traceDisbursements: 10_000, seed: 6 },
  queryRequests: 10_000,
  queryUnderLoadSeconds: 10,
  traceRepeats: 9,
  appendAfterLoad: true,
};

/** `--quick`, `--events N` (log size), `--rounds N`, `--duration S` (append window). */
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
  const duration = value('--duration');
  return {
    ...base,
    ...(rounds ? { appendRounds: Math.round(rounds) } : {}),
    ...(duration ? { durationMs: duration * 1000 } : {}),
    load: { ...base.load, ...(events ? { targetEvents: Math.round(events) } : {}) },
  };
}
