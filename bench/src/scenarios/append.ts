import { createHash, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ExecuteProjectCommand, type ProjectCommand } from '@fundtrail/funding';
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

/** The raw baseline's statement is named, as the product's append is: parsed and planned once per connection. */
export const RAW_INSERT_STATEMENT = 'bench-raw-insert';

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
    const metadata = JSON.stringify({
      actor: { id: 'bench-clerk', role: 'clerk' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      effectiveDate: '2024-06-30',
      schemaVersion: 1,
    });
    return await runWriters(
      options.writers,
      options.warmupMs,
      options.durationMs,
      (writer, n) => {
        const projectId = `raw-${options.round}-w${writer}`;
        const fields = disbursementFields(`d-${n}`, n);
        return pool.query({
          name: RAW_INSERT_STATEMENT,
          text: `INSERT INTO bench_raw_events (event_id, stream_id, stream_revision, type, data, metadata, recorded_at, hash, prev_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          values: [
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
        });
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
  return withFundtrail(
    async ({ commands }) => {
      const projectIds = Array.from({ length: options.writers }, (_, w) => `cb-${options.round}-w${w}`);
      for (const projectId of projectIds) {
        for (const command of setupCommands(projectId)) await commands.execute(new ExecuteProjectCommand(command, officerContext()));
      }
      return runWriters(
        options.writers,
        options.warmupMs,
        options.durationMs,
        (writer, n) => commands.execute(new ExecuteProjectCommand(disbursementCommand(projectIds[writer], disbursementFields(`d-${n}`, n)), clerkContext())),
        count,
      );
    },
    // The product's own setting reaches the measured process (for A/B runs of the group commit); nothing else of this environment does.
    {
      config: loadConfig({
        DATABASE_URL: options.url,
        FUNDTRAIL_APPEND_STATEMENTS_IN_FLIGHT: process.env.FUNDTRAIL_APPEND_STATEMENTS_IN_FLIGHT,
      }),
    },
  );
}

type EmmettModule = typeof import('@event-driven-io/emmett-postgresql');
type EmmettVersion = bigint | 'STREAM_DOES_NOT_EXIST';
type EmmettEvent = EmmettProjectEvent & { metadata: Record<string, unknown> };

/** The part of Emmett's PostgresEventStore the workload uses. */
interface EmmettStore {
  schema: { migrate(): Promise<unknown> };
  aggregateStream<S>(
    streamName: string,
    options: { evolve: (state: S, event: EmmettProjectEvent) => S; initialState: () => S },
  ): Promise<{ state: S; currentStreamVersion: bigint; streamExists: boolean }>;
  appendToStream(streamName: string, events: EmmettEvent[], options: { expectedStreamVersion: EmmettVersion }): Promise<{ nextExpectedStreamVersion: bigint }>;
  close(): Promise<void>;
}

const EMMETT_VERSION = '0.42.0';

function emmettMetadata(role: 'clerk' | 'budget-officer'): Record<string, unknown> {
  const correlationId = randomUUID();
  return {
    actor: { id: role === 'clerk' ? 'bench-clerk' : 'bench-officer', role },
    correlationId,
    causationId: correlationId,
    effectiveDate: '2024-06-30',
    schemaVersion: 1,
  };
}

/** Runs the append workload on Emmett with `handle` as the command path: set-up commands, then the timed writers. */
async function emmettWorkload(
  options: AppendOptions,
  prefix: string,
  handle: (streamName: string, command: ProjectCommand, metadata: Record<string, unknown>) => Promise<unknown>,
): Promise<WritersResult> {
  const count = countStatements();
  const projectIds = Array.from({ length: options.writers }, (_, w) => `${prefix}-${options.round}-w${w}`);
  for (const projectId of projectIds) {
    for (const command of setupCommands(projectId)) await handle(`project-${projectId}`, command, emmettMetadata('budget-officer'));
  }
  return runWriters(
    options.writers,
    options.warmupMs,
    options.durationMs,
    (writer, n) => handle(`project-${projectIds[writer]}`, disbursementCommand(projectIds[writer], disbursementFields(`d-${n}`, n)), emmettMetadata('clerk')),
    count,
  );
}

async function openEmmett(url: string) {
  // ESM only: a real dynamic import (tsc keeps `import()` as is under module nodenext).
  const emmett: EmmettModule = await import('@event-driven-io/emmett-postgresql');
  const core = await import('@event-driven-io/emmett');
  const store = emmett.getPostgreSQLEventStore(url) as unknown as EmmettStore;
  await store.schema.migrate();
  return { store, core };
}

/**
 * The same workload on @event-driven-io/emmett-postgresql, doing per command what FundTrail's
 * AggregateRepository does and nothing more: decide on the state cached for the stream, append
 * with that expected stream version, and read the stream (Emmett's `aggregateStream`) only when
 * nothing is cached, after a version conflict, or when the cached state refuses the command.
 * In steady state: no read, one `appendToStream` (which Emmett runs as BEGIN, SELECT
 * emt_append_to_stream(...), COMMIT).
 */
export async function emmettAppend(options: AppendOptions): Promise<WritersResult & { emmettVersion: string }> {
  const { store, core } = await openEmmett(options.url);
  try {
    const decider = emmettProjectDecider();
    type State = ReturnType<typeof decider.initialState>;
    const cache = new Map<string, { state: State; version: EmmettVersion }>();
    const read = async (streamName: string) => {
      const { state, currentStreamVersion, streamExists } = await store.aggregateStream<State>(streamName, {
        evolve: decider.evolve,
        initialState: decider.initialState,
      });
      return { state, version: streamExists ? currentStreamVersion : ('STREAM_DOES_NOT_EXIST' as const) };
    };
    const handle = async (streamName: string, command: ProjectCommand, metadata: Record<string, unknown>) => {
      let verified = !cache.has(streamName);
      for (let attempt = 1; ; attempt += 1) {
        const current = verified ? await read(streamName) : (cache.get(streamName) as { state: State; version: EmmettVersion });
        let decided: EmmettProjectEvent[];
        try {
          decided = decider.decide(command, current.state);
        } catch (error) {
          if (!verified) {
            verified = true;
            continue;
          }
          throw error;
        }
        try {
          const result = await store.appendToStream(
            streamName,
            decided.map((event) => ({ ...event, metadata })),
            { expectedStreamVersion: current.version },
          );
          // The decider's evolve updates the state in place: only once the append is stored.
          let { state } = current;
          for (const event of decided) state = decider.evolve(state, event);
          cache.set(streamName, { state, version: result.nextExpectedStreamVersion });
          return result;
        } catch (error) {
          cache.delete(streamName);
          if (!core.isExpectedVersionConflictError(error) || attempt >= 25) throw error;
          verified = true;
        }
      }
    };
    return { ...(await emmettWorkload(options, 'em', handle)), emmettVersion: EMMETT_VERSION };
  } finally {
    await store.close();
  }
}

/**
 * Diagnostic: Emmett's stock `DeciderCommandHandler`, which aggregates the whole stream before
 * every command (its documented command handling), so its cost grows with the stream.
 */
export async function emmettStockHandlerAppend(options: AppendOptions): Promise<WritersResult & { emmettVersion: string }> {
  const { store, core } = await openEmmett(options.url);
  try {
    const decider = emmettProjectDecider();
    const handle = (streamName: string, command: ProjectCommand, metadata: Record<string, unknown>) =>
      core.DeciderCommandHandler({
        decide: (c: ProjectCommand, state: ReturnType<typeof decider.initialState>) => decider.decide(c, state).map((event) => ({ ...event, metadata })),
        evolve: decider.evolve,
        initialState: decider.initialState,
      })(store as never, streamName, command as never);
    return { ...(await emmettWorkload(options, 'es', handle)), emmettVersion: EMMETT_VERSION };
  } finally {
    await store.close();
  }
}
