import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@fundtrail/event-store';
import { emptyTerms, foldEvents, type ProjectTerms, termsFromJson, termsToJson } from '../figures';
import { emptyDetails, foldDetails, type ProjectDetails } from '../read-models/project-details';
import type { Projector, ReadModelTables } from './projector';

const PROJECT_STREAM = 'project-';

/** Per project: its figure terms (the one fold shared with trace and history) and its details. */
export class ProjectFiguresProjector implements Projector {
  readonly name = 'project-figures';

  relevant(event: RecordedEvent): boolean {
    return event.streamId.startsWith(PROJECT_STREAM);
  }

  async apply(client: PoolClient, events: readonly RecordedEvent[], tables: ReadModelTables): Promise<void> {
    const byProject = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      if (!event.streamId.startsWith(PROJECT_STREAM)) continue;
      const projectId = event.streamId.slice(PROJECT_STREAM.length);
      const list = byProject.get(projectId);
      if (list) list.push(event);
      else byProject.set(projectId, [event]);
    }
    if (byProject.size === 0) return;
    const ids = [...byProject.keys()];
    const { rows } = await client.query<{ project_id: string; details: ProjectDetails; terms: unknown; event_count: string }>(
      `SELECT project_id, details, terms, event_count FROM ${tables.projects} WHERE project_id = ANY($1) FOR UPDATE`,
      [ids],
    );
    const existing = new Map(rows.map((row) => [row.project_id, row]));
    const updated = ids.map((projectId) => {
      const projectEvents = byProject.get(projectId) as RecordedEvent[];
      const row = existing.get(projectId);
      const terms = foldEvents(projectEvents, row ? (termsFromJson(row.terms) as ProjectTerms) : emptyTerms());
      let details = row ? row.details : emptyDetails(projectId);
      for (const event of projectEvents) details = foldDetails(details, event);
      return {
        projectId,
        details,
        terms: termsToJson(terms),
        eventCount: BigInt(row?.event_count ?? 0) + BigInt(projectEvents.length),
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
        updated.map((u) => JSON.stringify(u.details)),
        updated.map((u) => JSON.stringify(u.terms)),
        updated.map((u) => u.eventCount.toString()),
        updated.map((u) => u.lastPosition.toString()),
      ],
    );
  }
}
