import type { Pool, PoolClient } from 'pg';
import type { EventStore, RecordedEvent } from '@fundtrail/event-store';
import { eventsAsOf, type FigureTime, foldEvents, isNow, type ProjectTerms, termsFromJson } from '../figures';
import { programmeScopeIn } from '../programmes/programme-scope';
import { type PortfolioFilter, portfolioFilterSql } from '../queries/portfolio-filter';
import { PROJECT_CHECKPOINT } from '../queries/read-model-queries';
import type { ProjectDetails } from '../read-models/project-details';

/** One selected project: its details now, and its figure terms as of the time asked. */
export interface PortfolioProject {
  projectId: string;
  details: ProjectDetails;
  terms: ProjectTerms;
  /** The position of the last event the read model applied: the log up to here is what it folded. */
  lastPosition: bigint;
}

export interface PortfolioSelection {
  asOfPosition: bigint;
  projects: PortfolioProject[];
}

/** Read models and their checkpoint in one read-only snapshot, so every part of an answer agrees. */
export async function inReadSnapshot<T>(pool: Pool, work: (client: PoolClient, checkpoint: bigint) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projector = $1', [PROJECT_CHECKPOINT]);
    const result = await work(client, BigInt(rows[0]?.position ?? 0));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The projects the filter selects (and, for the list, whose name or id contains `search`), in project-id order. */
export async function selectedRows(client: PoolClient, filter: PortfolioFilter, search?: string): Promise<PortfolioProject[]> {
  const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
  const { condition, parameters } = await portfolioFilterSql(filter, 2, programmeScopeIn(client));
  const { rows } = await client.query<{ project_id: string; details: ProjectDetails; terms: unknown; last_position: string }>(
    `SELECT project_id, details, terms, last_position FROM project_read_models
      WHERE (name ILIKE $1 OR project_id ILIKE $1) AND ${condition}
      ORDER BY project_id`,
    [pattern, ...parameters],
  );
  return rows.map((row) => ({
    projectId: row.project_id,
    details: row.details,
    terms: termsFromJson(row.terms) as ProjectTerms,
    lastPosition: BigInt(row.last_position),
  }));
}

/**
 * Each project's terms folded from its own stream with the projection's fold, up to what its read
 * model applied and as of `time`. A project with no event at that time did not exist yet: left out.
 */
export async function foldFromLog(store: EventStore, projects: readonly PortfolioProject[], time: FigureTime): Promise<PortfolioProject[]> {
  const folded: PortfolioProject[] = [];
  for (const project of projects) {
    const stream: RecordedEvent[] = await store.readStream(`project-${project.projectId}`);
    const events = eventsAsOf(
      stream.filter((event) => event.globalPosition <= project.lastPosition),
      time,
    );
    if (events.length === 0) continue;
    folded.push({ ...project, terms: foldEvents(events) });
  }
  return folded;
}

/** The position an answer at `time` is as of: the read models' checkpoint, or an earlier knownAt position. */
export function positionAt(checkpoint: bigint, time: FigureTime): bigint {
  const known = time.knownAt;
  return known !== undefined && 'position' in known && known.position < checkpoint ? known.position : checkpoint;
}

/** The selection at `time`: the read models' terms when no time is asked, else each project folded from the log. */
export async function selectPortfolio(pool: Pool, store: EventStore, filter: PortfolioFilter, time: FigureTime, search?: string): Promise<PortfolioSelection> {
  const { checkpoint, projects } = await inReadSnapshot(pool, async (client, position) => ({
    checkpoint: position,
    projects: await selectedRows(client, filter, search),
  }));
  if (isNow(time)) return { asOfPosition: checkpoint, projects };
  return { asOfPosition: positionAt(checkpoint, time), projects: await foldFromLog(store, projects, time) };
}
