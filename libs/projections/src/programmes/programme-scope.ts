import type { ProgrammeScope } from '../queries/portfolio-filter';

/** Anything that runs a query: a pool, or a client inside the caller's snapshot. */
export interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * A programme and every programme under it, read from the programme read model. UNION (not UNION
 * ALL) stops at a programme already reached, so even a corrupt row cannot make it loop.
 */
export function programmeScopeIn(db: Queryable, table = 'programme_read_models'): ProgrammeScope {
  return async (programmeId) => {
    const { rows } = await db.query<{ programme_id: string }>(
      `WITH RECURSIVE scope(programme_id) AS (
         SELECT $1::text
         UNION
         SELECT p.programme_id FROM ${table} p JOIN scope s ON p.parent_id = s.programme_id
       )
       SELECT programme_id FROM scope`,
      [programmeId],
    );
    return rows.map((row) => row.programme_id);
  };
}
