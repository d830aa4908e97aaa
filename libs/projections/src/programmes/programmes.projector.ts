import type { PoolClient } from 'pg';
import type { ProjectedEvent } from '@fundtrail/event-store';
import { emptyTerms, foldEvents, type ProjectTerms, termsFromJson, termsToJson } from '../figures';
import type { Projector, ReadModelTables } from '../runner/projector';
import { emptyProgrammeDetails, foldProgrammeDetails, type ProgrammeDetails } from './programme-details';

export const PROGRAMME_STREAM = 'programme-';

/** Per programme: its place in the tree and its own indicators' terms (the projects' fold, on the programme's stream). */
export class ProgrammesProjector implements Projector {
  readonly name = 'programmes';

  relevant(event: ProjectedEvent): boolean {
    return event.streamId.startsWith(PROGRAMME_STREAM);
  }

  async apply(client: PoolClient, events: readonly ProjectedEvent[], tables: ReadModelTables): Promise<void> {
    const byProgramme = new Map<string, ProjectedEvent[]>();
    for (const event of events) {
      if (!event.streamId.startsWith(PROGRAMME_STREAM)) continue;
      const programmeId = event.streamId.slice(PROGRAMME_STREAM.length);
      const list = byProgramme.get(programmeId);
      if (list) list.push(event);
      else byProgramme.set(programmeId, [event]);
    }
    if (byProgramme.size === 0) return;
    const ids = [...byProgramme.keys()];
    const { rows } = await client.query<{ programme_id: string; details: ProgrammeDetails; terms: unknown; event_count: string }>(
      `SELECT programme_id, details, terms, event_count FROM ${tables.programmes} WHERE programme_id = ANY($1) FOR UPDATE`,
      [ids],
    );
    const existing = new Map(rows.map((row) => [row.programme_id, row]));
    const updated = ids.map((programmeId) => {
      const programmeEvents = byProgramme.get(programmeId) as ProjectedEvent[];
      const row = existing.get(programmeId);
      const terms = foldEvents(programmeEvents, row ? (termsFromJson(row.terms) as ProjectTerms) : emptyTerms());
      let details = row ? row.details : emptyProgrammeDetails(programmeId);
      for (const event of programmeEvents) details = foldProgrammeDetails(details, event);
      return {
        programmeId,
        details,
        terms: termsToJson(terms),
        eventCount: BigInt(row?.event_count ?? 0) + BigInt(programmeEvents.length),
        lastPosition: programmeEvents[programmeEvents.length - 1].globalPosition,
      };
    });
    await client.query(
      `INSERT INTO ${tables.programmes} (programme_id, parent_id, name, details, terms, event_count, last_position)
       SELECT u.programme_id, u.details->>'parentId', u.details->>'name', u.details, u.terms, u.event_count, u.last_position
         FROM unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::bigint[], $5::bigint[])
              AS u(programme_id, details, terms, event_count, last_position)
       ON CONFLICT (programme_id) DO UPDATE SET
         parent_id = EXCLUDED.parent_id, name = EXCLUDED.name, details = EXCLUDED.details, terms = EXCLUDED.terms,
         event_count = EXCLUDED.event_count, last_position = EXCLUDED.last_position, updated_at = now()`,
      [
        updated.map((u) => u.programmeId),
        updated.map((u) => JSON.stringify(u.details)),
        updated.map((u) => JSON.stringify(u.terms)),
        updated.map((u) => u.eventCount.toString()),
        updated.map((u) => u.lastPosition.toString()),
      ],
    );
  }
}
