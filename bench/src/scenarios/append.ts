import { createHash, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ExecuteProjectCommand } from '@fundtrail/funding';
import { loadConfig } from '@fundtrail/platform';
import { formatYuan } from '@fundtrail/money';
import { withFundtrail } from '../../../apps/cli/src/cli-context';
import { clerkContext, disbursementCommand, disbursementFields, officerContext, setupCommands } from '../workload';
import { countStatements, runWriters, type WritersResult } from '../writers';
import { emmettProjectDecider, type EmmettProjectEvent } from './emmett-decider';

export interface AppendOptions {
  url: string;
  writers: number;
  warmupMs: number;
  durationMs: number;
  /** Distinguishes rounds of one run: each round writes its own streams. */
  round: string;
}

const RAW_TABLE = `
  CREATE TABLE IF NOT EXISTS bench_raw_events (
    global_position bigserial   PRIMARY KEY,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    event_id        uuid        NOT NULL UNIQUE,
    stream_id       text        NOT NULL,
    stream_revision bigint      NOT NULL,
    type            text        NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    hash            text        NOT NULL,
    prev_hash       text        NOT NULL,
    UNIQUE (stream_id, stream_revision)
  )`;

/**
 * The physical limit: one INSERT per event, autocommit, into a table with the event log's columns
 * and unique constraints, from `writers` concurrent connections, with the same payloads. No
 * read, no decision, no hash (the hash columns hold a constant of the right size).
 */
export async function rawAppend(options: AppendOptions): Promise<WritersResult> {
  const count = countStatements();
  const pool = new Pool({ connectionString: options.url, max: options.writers, application_name: 'bench-raw' });
  try {
    await pool.query(RAW_TABLE);
    const hash = createHash('sha256').update(options.round).digest('hex');
    const metadata = JSON.stringify({ actor: { id: 'bench-clerk', role: 'clerk' }, correlationId: randomUUID(), causationId: randomUUID(), effectiveDate: '2024-06-30', schemaVersion: 1 });
    return await runWriters(
      options.writers,
      options.warmupMs,
      options.durationMs,
      (writer, n) => {
        const projectId = `raw-${options.round}-w${writer}`;
        const fields = disbursementFields(`d-${n}`, n);
        return pool.query(
          `INSERT INTO bench_raw_events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at, hash, prev_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            randomUUID(),
            `project-${projectId}`,
            n,
            'DisbursementRecorded',
            JSON.stringify({ projectId, ...fields, amount: formatYuan(fields.amount) }),
            metadata,
            new Date(),
            hash,
            hash,
          ],
        );
      },
      count,
    );
  } finally {
    await pool.end();
  }
}

/** FundTrail's write path: CommandBus -> handler -> load (cached) -> decide -> append with hash chain. */
export async function commandBusAppend(options: AppendOptions): Promise<WritersResult> {
  const count = countStatements();
  return withFundtrail(async ({ commands }) => {
    const projectIds = Array.from({ length: options.writers }, (_, w) => `cb-${options.round}-w${w}`);
    for (const projectId of projectIds) {
      for (const command of setupCommands(projectId)) await commands.execute(new ExecuteProjectCommand(command, officerContext()));
    }
    return runWriters(
      options.writers,
      options.warmupMs,
      options.durationMs,
      (writer, n) =>
        commands.execute(new ExecuteProjectCommand(disbursementCommand(projectIds[writer], disbursementFields(`d-${n}`, n)), clerkContext())),
      count,
    );
  }, { config: loadConfig({ DATABASE_URL: options.url }) });
}

type EmmettModule = typeof import('@event-driven-io/emmett-postgresql');

/** The part of Emmett's PostgresEventStore the workload uses. */
interface EmmettStore {
  schema: { migrate(): Promise<unknown> };
  readStream(streamName: string, options: { from: bigint }): Promise<{ events: Array<EmmettProjectEvent & { metadata: { streamPosition: bigint } }> }>;
  appendToStream(
    streamName: string,
    events: Array<EmmettProjectEvent & { metadata: Record<string, unknown> }>,
    options: { expectedStreamVersion: bigint },
  ): Promise<{ nextExpectedStreamVersion: bigint }>;
  close(): Promise<void>;
}

/**
 * The same workload on @event-driven-io/emmett-postgresql: the same commands, decided by an
 * equivalent decider, appended with an expected stream version; state cached per stream the
 * way FundTrail caches it (read only the events after the cached version, then decide).
 */
export async function emmettAppend(options: AppendOptions): Promise<WritersResult & { emmettVersion: string }> {
  const count = countStatements();
  // ESM only: a real dynamic import (tsc keeps `import()` as is under module nodenext).
  const emmett: EmmettModule = await import('@event-driven-io/emmett-postgresql');
  const store = emmett.getPostgreSQLEventStore(options.url) as unknown as EmmettStore;
  try {
    await store.schema.migrate();
    const decider = emmettProjectDecider();
    const cache = new Map<string, { state: ReturnType<typeof decider.initialState>; version: bigint }>();
    const handle = async (streamName: string, command: Parameters<typeof decider.decide>[0], metadata: Record<string, unknown>) => {
      for (let attempt = 1; ; attempt += 1) {
        const cached = cache.get(streamName) ?? { state: decider.initialState(), version: 0n };
        const { events } = await store.readStream(streamName, { from: cached.version + 1n });
        let { state, version } = cached;
        for (const event of events) {
          state = decider.evolve(state, event);
          version = event.metadata.streamPosition;
        }
        const decided = decider.decide(command, state);
        try {
          const result = await store.appendToStream(
            streamName,
            decided.map((event) => ({ ...event, metadata })),
            { expectedStreamVersion: version },
          );
          for (const event of decided) state = decider.evolve(state, event);
          cache.set(streamName, { state, version: result.nextExpectedStreamVersion });
          return result;
        } catch (error) {
          cache.delete(streamName);
          if ((error as Error).name !== 'ExpectedVersionConflictError' || attempt >= 25) throw error;
        }
      }
    };
    const meta = (role: 'clerk' | 'budget-officer') => {
      const correlationId = randomUUID();
      return { actor: { id: role === 'clerk' ? 'bench-clerk' : 'bench-officer', role }, correlationId, causationId: correlationId, effectiveDate: '2024-06-30', schemaVersion: 1 };
    };
    const projectIds = Array.from({ length: options.writers }, (_, w) => `em-${options.round}-w${w}`);
    for (const projectId of projectIds) {
      for (const command of setupCommands(projectId)) await handle(`project-${projectId}`, command, meta('budget-officer'));
    }
    const result = await runWriters(
      options.writers,
      options.warmupMs,
      options.durationMs,
      (writer, n) => handle(`project-${projectIds[writer]}`, disbursementCommand(projectIds[writer], disbursementFields(`d-${n}`, n)), meta('clerk')),
      count,
    );
    return { ...result, emmettVersion: '0.42.0' };
  } finally {
    await store.close();
  }
}
