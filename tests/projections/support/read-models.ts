import { Client } from 'pg';
import { createPool, PostgresEventStore, type RecordedEvent } from '@fundtrail/event-store';
import { computeFigures, emptyBondDetails, emptyDetails, foldBondDetails, foldDetails, foldEvents, termsFromJson, termsToJson } from '@fundtrail/projections';
import { SERVER_URL, withDatabase } from '../../support/test-database';

/** One project read-model row, as compared between databases (everything but updated_at). */
export interface ProjectRow {
  project_id: string;
  name: string;
  department: string;
  category: string;
  details: unknown;
  terms: unknown;
  event_count: string;
  last_position: string;
}

export interface BondRow {
  bond_id: string;
  details: unknown;
  last_position: string;
}

export interface ReadModelsSnapshot {
  projects: Map<string, ProjectRow>;
  bonds: Map<string, BondRow>;
  checkpoints: Map<string, string>;
}

export async function readModels(url: string): Promise<ReadModelsSnapshot> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const projects = await client.query<ProjectRow>(
      'SELECT project_id, name, department, category, details, terms, event_count::text, last_position::text FROM project_read_models ORDER BY project_id',
    );
    const bonds = await client.query<BondRow>('SELECT bond_id, details, last_position::text FROM bond_read_models ORDER BY bond_id');
    const checkpoints = await client.query<{ projector: string; position: string }>('SELECT projector, position::text FROM projection_checkpoints');
    return {
      projects: new Map(projects.rows.map((row) => [row.project_id, row])),
      bonds: new Map(bonds.rows.map((row) => [row.bond_id, row])),
      checkpoints: new Map(checkpoints.rows.map((row) => [row.projector, row.position])),
    };
  } finally {
    await client.end();
  }
}

/** Figures of a stored terms column, as key -> value/numerator/denominator (asOfPosition left out). */
export function figuresOf(terms: unknown): Record<string, { value: string | null; numerator?: string; denominator?: string }> {
  return Object.fromEntries(
    computeFigures(termsFromJson(terms), 0n).map((f) => [f.key, { value: f.value, numerator: f.numerator, denominator: f.denominator }]),
  );
}

/**
 * Waits until every stored event is below the visibility horizon (no transaction anywhere on the
 * server is older than the last append). The horizon is cluster-wide: an open transaction in
 * another database (another suite on the same server) holds back every reader of this log.
 */
export async function waitForQuietLog(url: string, timeoutMs = 30_000): Promise<void> {
  const pool = createPool({ url, poolSize: 1 });
  const store = new PostgresEventStore(pool);
  try {
    const started = Date.now();
    for (;;) {
      const { rows } = await pool.query<{ max: string | null }>('SELECT max(global_position)::text AS max FROM events');
      if ((await store.headPosition()) === BigInt(rows[0].max ?? 0)) return;
      if (Date.now() - started > timeoutMs) throw new Error('a transaction somewhere on the server keeps the log horizon back');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await pool.end();
  }
}

/** Every event of the log, in global order. */
export async function loadLog(url: string): Promise<RecordedEvent[]> {
  const pool = createPool({ url, poolSize: 2 });
  const store = new PostgresEventStore(pool);
  try {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll({ batchSize: 5000 })) events.push(event);
    return events;
  } finally {
    await pool.end();
  }
}

export interface ExpectedReadModels {
  projects: Map<string, ProjectRow>;
  bonds: Map<string, BondRow>;
  head: bigint;
  events: number;
}

/** What the read models must hold (up to `toPosition`, or per read model), folded straight from the log with the projection's own folds. */
export function foldLog(log: readonly RecordedEvent[], toPosition?: bigint | { projects: bigint; bonds: bigint }): ExpectedReadModels {
  const limits = typeof toPosition === 'bigint' || toPosition === undefined ? { projects: toPosition, bonds: toPosition } : toPosition;
  const max = limits.projects === undefined || limits.bonds === undefined ? undefined : limits.projects > limits.bonds ? limits.projects : limits.bonds;
  const byStream = new Map<string, RecordedEvent[]>();
  let events = 0;
  let head = 0n;
  for (const event of log) {
    if (max !== undefined && event.globalPosition > max) break;
    const limit = event.streamId.startsWith('bond-') ? limits.bonds : limits.projects;
    if (limit !== undefined && event.globalPosition > limit) continue;
    events += 1;
    head = event.globalPosition;
    const list = byStream.get(event.streamId);
    if (list) list.push(event);
    else byStream.set(event.streamId, [event]);
  }
  const projects = new Map<string, ProjectRow>();
  const bonds = new Map<string, BondRow>();
  for (const [streamId, list] of byStream) {
    const last = list[list.length - 1].globalPosition.toString();
    if (streamId.startsWith('project-')) {
      const projectId = streamId.slice('project-'.length);
      let details = emptyDetails(projectId);
      for (const event of list) details = foldDetails(details, event);
      projects.set(projectId, {
        project_id: projectId,
        name: details.name,
        department: details.department ?? '',
        category: details.category,
        details,
        terms: termsToJson(foldEvents(list)),
        event_count: String(list.length),
        last_position: last,
      });
    } else if (streamId.startsWith('bond-')) {
      const bondId = streamId.slice('bond-'.length);
      let details = emptyBondDetails(bondId);
      for (const event of list) details = foldBondDetails(details, event);
      bonds.set(bondId, { bond_id: bondId, details, last_position: last });
    }
  }
  return { projects, bonds, head, events };
}

/** A copy of a database (same log, same positions and hashes), made with CREATE DATABASE … TEMPLATE. */
export async function cloneDatabase(sourceUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const source = new URL(sourceUrl).pathname.slice(1);
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    // The template must have no other sessions.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [source]);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(SERVER_URL, name),
    async drop() {
      const client = new Client({ connectionString: SERVER_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
