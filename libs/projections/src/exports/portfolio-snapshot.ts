import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@fundtrail/event-store';
import { type ProjectTerms, termsFromJson } from '../figures';
import type { ProjectDetails } from '../read-models/project-details';
import { programmeScopeIn } from '../programmes/programme-scope';
import { type PortfolioFilter, portfolioFilterSql } from '../queries/portfolio-filter';
import { PROJECT_CHECKPOINT } from '../queries/read-model-queries';

/** One selected project as the read model holds it. */
export interface SelectedProject {
  projectId: string;
  details: ProjectDetails;
  terms: ProjectTerms;
  /** The position of its last projected event: its stream up to here is what the read model folded. */
  lastPosition: bigint;
}

/** The selected projects, all read from one database snapshot. */
export interface PortfolioSnapshot {
  asOfPosition: bigint;
  /** The selected projects in project-id order, a batch at a time; may be walked more than once. */
  projects(): AsyncIterable<SelectedProject[]>;
}

export const EXPORT_BATCH_SIZE = 200;

/**
 * Runs `work` over the projects `filter` selects, in one read-only REPEATABLE READ transaction,
 * so every pass over them and the checkpoint agree, while only a batch is held in memory.
 */
export async function withPortfolioSnapshot<T>(
  pool: Pool,
  filter: PortfolioFilter,
  work: (snapshot: PortfolioSnapshot) => Promise<T>,
  batchSize = EXPORT_BATCH_SIZE,
): Promise<T> {
  return inTransaction(
    pool,
    async (client) => {
      const checkpoint = await client.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projector = $1', [PROJECT_CHECKPOINT]);
      const asOfPosition = BigInt(checkpoint.rows[0]?.position ?? 0);
      const { condition, parameters } = await portfolioFilterSql(filter, 3, programmeScopeIn(client));
      return work({ asOfPosition, projects: () => batches(client, condition, parameters, batchSize) });
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

async function* batches(client: PoolClient, condition: string, parameters: unknown[], batchSize: number): AsyncGenerator<SelectedProject[]> {
  let after = '';
  for (;;) {
    const { rows } = await client.query<{ project_id: string; details: ProjectDetails; terms: unknown; last_position: string }>(
      `SELECT project_id, details, terms, last_position FROM project_read_models
        WHERE project_id > $1 AND ${condition}
        ORDER BY project_id LIMIT $2`,
      [after, batchSize, ...parameters],
    );
    if (rows.length === 0) return;
    yield rows.map((row) => ({
      projectId: row.project_id,
      details: row.details,
      terms: termsFromJson(row.terms) as ProjectTerms,
      lastPosition: BigInt(row.last_position),
    }));
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1].project_id;
  }
}
