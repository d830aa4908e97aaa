import type { PoolClient } from 'pg';
import type { ProjectedEvent } from '@fundtrail/event-store';
import { emptyTerms, foldEvents, type ProjectTerms, termsFromJson, termsToJson } from '../figures';
import { emptyDetails, foldDetails, type ProjectDetails } from '../read-models/project-details';
import type { Projector, ReadModelTables } from './projector';
import type { ReadModelCache } from './read-model-cache';

const PROJECT_STREAM = 'project-';

/** A project's row as this projector folds onto it (decoded). */
interface ProjectRow {
  details: ProjectDetails;
  terms: ProjectTerms;
  eventCount: bigint;
}

/** Per project: its figure terms (the one fold shared with trace and history) and its details. */
export class ProjectFiguresProjector implements Projector {
  readonly name = 'project-figures';

  relevant(event: ProjectedEvent): boolean {
    return event.streamId.startsWith(PROJECT_STREAM);
  }

  async apply(client: PoolClient, events: readonly ProjectedEvent[], tables: ReadModelTables, cache?: ReadModelCache<unknown>): Promise<void> {
    const byProject = new Map<string, ProjectedEvent[]>();
    for (const event of events) {
      if (!event.streamId.startsWith(PROJECT_STREAM)) continue;
      const projectId = event.streamId.slice(PROJECT_STREAM.length);
      const list = byProject.get(projectId);
      if (list) list.push(event);
      else byProject.set(projectId, [event]);
    }
    if (byProject.size === 0) return;
    const rowCache = cache as ReadModelCache<ProjectRow> | undefined;
    const ids = [...byProject.keys()];
    const existing = new Map<string, ProjectRow>();
    const unknown: string[] = [];
    for (const projectId of ids) {
      const row = rowCache?.get(projectId);
      if (row) existing.set(projectId, row);
      else unknown.push(projectId);
    }
    if (unknown.length > 0) {
      const { rows } = await client.query<{ project_id: string; details: ProjectDetails; terms: unknown; event_count: string }>(
        `SELECT project_id, details, terms, event_count FROM ${tables.projects} WHERE project_id = ANY($1) FOR UPDATE`,
        [unknown],
      );
      for (const row of rows) {
        existing.set(row.project_id, { details: row.details, terms: termsFromJson(row.terms) as ProjectTerms, eventCount: BigInt(row.event_count) });
      }
    }
    const updated = ids.map((projectId) => {
      const projectEvents = byProject.get(projectId) as ProjectedEvent[];
      const row = existing.get(projectId);
      const terms = foldEvents(projectEvents, row ? row.terms : emptyTerms());
      // foldDetails changes the object it is given: a row read back is ours; a cached one is too
      // (the cache is dropped if this batch is not stored).
      let details = row ? row.details : emptyDetails(projectId);
      for (const event of projectEvents) details = foldDetails(details, event);
      const detailsJson = JSON.stringify(details);
      const termsJson = JSON.stringify(termsToJson(terms));
      const eventCount = (row?.eventCount ?? 0n) + BigInt(projectEvents.length);
      rowCache?.set(projectId, { details, terms, eventCount }, detailsJson.length + termsJson.length);
      return {
        projectId,
        detailsJson,
        termsJson,
        eventCount,
        lastPosition: projectEvents[projectEvents.length - 1].globalPosition,
      };
    });
    await client.query(
      `INSERT INTO ${tables.projects} (project_id, name, department, category, details, terms, event_count, last_position)
       SELECT u.project_id, u.details->>'name', COALESCE(u.details->>'department', ''), u.details->>'category', u.details, u.terms, u.event_count, u.last_position
         FROM unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::bigint[], $5::bigint[])
              AS u(project_id, details, terms, event_count, last_position)
       ON CONFLICT (project_id) DO UPDATE SET
         name = EXCLUDED.name, department = EXCLUDED.department, category = EXCLUDED.category,
         details = EXCLUDED.details, terms = EXCLUDED.terms, event_count = EXCLUDED.event_count,
         last_position = EXCLUDED.last_position, updated_at = now()`,
      [
        updated.map((u) => u.projectId),
        updated.map((u) => u.detailsJson),
        updated.map((u) => u.termsJson),
        updated.map((u) => u.eventCount.toString()),
        updated.map((u) => u.lastPosition.toString()),
      ],
    );
  }
}
