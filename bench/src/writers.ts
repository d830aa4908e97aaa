import pg from 'pg';

/** Statements sent to PostgreSQL by this process (every pg client, every library built on pg). */
let statements = 0;
let counting = false;

/** Counts every `Client.query` call of this process: round trips per command, whoever sends them. */
export function countStatements(): () => number {
  if (!counting) {
    counting = true;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the prototype's own method, re-bound by apply below
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: unknown, ...args: unknown[]) {
      statements += 1;
      return original.apply(this, args);
    };
  }
  return () => statements;
}

export interface WritersResult {
  /** Operations that finished inside the measured window. */
  operations: number;
  seconds: number;
  perSecond: number;
  errors: number;
  firstError?: string;
  /** Statements per operation inside the window (when counting is on). */
  statementsPerOp?: number;
  /** CPU time of this process per operation, µs (user + system). */
  cpuMicrosPerOp: number;
}

/**
 * `writers` concurrent loops, each awaiting `op(writer, n)` back to back: a warm-up (not
 * counted), then a measured window. Throughput counts operations that finish in the window.
 */
export async function runWriters(
  writers: number,
  warmupMs: number,
  durationMs: number,
  op: (writer: number, n: number) => Promise<unknown>,
  statementCount?: () => number,
): Promise<WritersResult> {
  const start = performance.now();
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + durationMs;
  let operations = 0;
  let errors = 0;
  let firstError: string | undefined;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let statementsAtStart = 0;
  let cpuAtEnd: NodeJS.CpuUsage | undefined;
  let statementsAtEnd = 0;
  const startTimer = setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    statementsAtStart = statementCount?.() ?? 0;
  }, warmupMs);
  const endTimer = setTimeout(() => {
    cpuAtEnd = process.cpuUsage();
    statementsAtEnd = statementCount?.() ?? 0;
  }, warmupMs + durationMs);
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let n = 0; performance.now() < windowEnd; n += 1) {
        try {
          await op(writer, n);
          const finished = performance.now();
          if (finished >= windowStart && finished <= windowEnd) operations += 1;
        } catch (error) {
          errors += 1;
          firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      }
    }),
  );
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  const cpu = cpuAtStart && cpuAtEnd ? cpuAtEnd.user + cpuAtEnd.system - cpuAtStart.user - cpuAtStart.system : Number.NaN;
  const seconds = durationMs / 1000;
  return {
    operations,
    seconds,
    perSecond: operations / seconds,
    errors,
    ...(firstError ? { firstError } : {}),
    ...(statementCount && operations > 0 ? { statementsPerOp: (statementsAtEnd - statementsAtStart) / operations } : {}),
    cpuMicrosPerOp: operations > 0 ? cpu / operations : Number.NaN,
  };
}
