import type { PoolClient } from 'pg';
import type { ProjectedEvent } from '@fundtrail/event-store';
import { type BondDetails, emptyBondDetails, foldBondDetails } from '../read-models/bond-details';
import type { Projector, ReadModelTables } from './projector';

const BOND_STREAM = 'bond-';

/** Per bond issue: issued amount, assigned total, and the assignments by project. */
export class BondsProjector implements Projector {
  readonly name = 'bonds';

  relevant(event: ProjectedEvent): boolean {
    return event.streamId.startsWith(BOND_STREAM);
  }

  async apply(client: PoolClient, events: readonly ProjectedEvent[], tables: ReadModelTables): Promise<void> {
    const byBond = new Map<string, ProjectedEvent[]>();
    for (const event of events) {
      if (!event.streamId.startsWith(BOND_STREAM)) continue;
      const bondId = event.streamId.slice(BOND_STREAM.length);
      byBond.set(bondId, [...(byBond.get(bondId) ?? []), event]);
    }
    if (byBond.size === 0) return;
    const ids = [...byBond.keys()];
    const { rows } = await client.query<{ bond_id: string; details: BondDetails }>(
      `SELECT bond_id, details FROM ${tables.bonds} WHERE bond_id = ANY($1) FOR UPDATE`,
      [ids],
    );
    const existing = new Map(rows.map((row) => [row.bond_id, row.details]));
    const updated = ids.map((bondId) => {
      const bondEvents = byBond.get(bondId) as ProjectedEvent[];
      let details = existing.get(bondId) ?? emptyBondDetails(bondId);
      for (const event of bondEvents) details = foldBondDetails(details, event);
      return { bondId, details, lastPosition: bondEvents[bondEvents.length - 1].globalPosition };
    });
    await client.query(
      `INSERT INTO ${tables.bonds} (bond_id, details, last_position)
       SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[])
       ON CONFLICT (bond_id) DO UPDATE SET details = EXCLUDED.details, last_position = EXCLUDED.last_position, updated_at = now()`,
      [updated.map((u) => u.bondId), updated.map((u) => JSON.stringify(u.details)), updated.map((u) => u.lastPosition.toString())],
    );
  }
}
