import pg from 'pg';

/** Statements sent to PostgreSQL by this process (every pg client, every library built on pg), by kind. */
export type StatementKind = 'read' | 'append' | 'transaction' | 'other';
const statements: Record<StatementKind, number> = { read: 0, append: 0, transaction: 0, other: 0 };
let counting = false;

/** What a statement does to the log: writes it, reads it, or only brackets a transaction. */
export function statementKind(sql: string): StatementKind {
  const text = sql.trimStart().toUpperCase();
  if (/^(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)\b/.test(text)) return 'transaction';
  if (/\bINSERT\s+INTO\b/.test(text) || text.includes('EMT_APPEND_TO_STREAM')) return 'append';
  if (text.startsWith('SELECT') || text.startsWith('WITH')) return 'read';
  return 'other';
}

function textOf(query: unknown): string {
  if (typeof query === 'string') return query;
  const text = (query as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}

export type StatementCounts = Record<StatementKind, number> & { total: number };

/** Counts every `Client.query` call of this process: round trips per command, whoever sends them. */
export function countStatements(): () => StatementCounts {
  if (!counting) {
    counting = true;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the prototype's own method, re-bound by apply below
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: unknown, ...args: unknown[]) {
      statements[statementKind(textOf(args[0]))] += 1;
      return original.apply(this, args);
    };
  }
  return () => ({ ...statements, total: statements.read + statements.append + statements.transaction + statements.other });
}

/** Statements of each kind per operation between two counts. */
export interface PerOp {
  statements: number;
  reads: number;
  appends: number;
  transactionControl: number;
  other: number;
}

function perOp(start: StatementCounts, end: StatementCounts, operations: number): PerOp {
  const per = (kind: keyof StatementCounts) => (end[kind] - start[kind]) / operations;
  return { statements: per('total'), reads: per('read'), appends: per('append'), transactionControl: per('transaction'), other: per('other') };
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
  /** The same statements by kind: reads of the log, appends, BEGIN/COMMIT, anything else. */
  perOp?: PerOp;
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
  statementCount?: () => StatementCounts,
): Promise<WritersResult> {
  const start = performance.now();
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + durationMs;
  let operations = 0;
  let errors = 0;
  let firstError: string | undefined;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  const zero: StatementCounts = { read: 0, append: 0, transaction: 0, other: 0, total: 0 };
  let statementsAtStart = zero;
  let cpuAtEnd: NodeJS.CpuUsage | undefined;
  let statementsAtEnd = zero;
  const startTimer = setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    statementsAtStart = statementCount?.() ?? zero;
  }, warmupMs);
  const endTimer = setTimeout(() => {
    cpuAtEnd = process.cpuUsage();
    statementsAtEnd = statementCount?.() ?? zero;
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
  // The loops can finish a moment before the end timer's turn comes: then the window ends now.
  if (cpuAtEnd === undefined) {
    cpuAtEnd = process.cpuUsage();
    statementsAtEnd = statementCount?.() ?? zero;
  }
  const cpu = cpuAtStart && cpuAtEnd ? cpuAtEnd.user + cpuAtEnd.system - cpuAtStart.user - cpuAtStart.system : Number.NaN;
  const seconds = durationMs / 1000;
  return {
    operations,
    seconds,
    perSecond: operations / seconds,
    errors,
    ...(firstError ? { firstError } : {}),
    ...(statementCount && operations > 0
      ? { statementsPerOp: (statementsAtEnd.total - statementsAtStart.total) / operations, perOp: perOp(statementsAtStart, statementsAtEnd, operations) }
      : {}),
    cpuMicrosPerOp: operations > 0 ? cpu / operations : Number.NaN,
  };
}
