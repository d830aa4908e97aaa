import type { PoolClient } from 'pg';
import type { ProjectedEvent } from '@fundtrail/event-store';
import type { Projector, ReadModelTables } from '../runner/projector';
import { REPORT_STREAM, reportSummary } from './report-summary';

/** One row per published report, for the list; a report is immutable, so its first event is all of it. */
export class ReportsProjector implements Projector {
  readonly name = 'reports';

  relevant(event: ProjectedEvent): boolean {
    return event.streamId.startsWith(REPORT_STREAM);
  }

  async apply(client: PoolClient, events: readonly ProjectedEvent[], tables: ReadModelTables): Promise<void> {
    const summaries = events.flatMap((event) => {
      const summary = reportSummary(event);
      return summary ? [summary] : [];
    });
    if (summaries.length === 0) return;
    await client.query(
      `INSERT INTO ${tables.reports} (report_id, summary, last_position)
       SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[])
       ON CONFLICT (report_id) DO NOTHING`,
      [summaries.map((s) => s.reportId), summaries.map((s) => JSON.stringify(s)), summaries.map((s) => s.globalPosition)],
    );
  }
}
