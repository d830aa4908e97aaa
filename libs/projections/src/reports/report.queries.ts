import type { Pool } from 'pg';
import type { EventStore } from '@fundtrail/event-store';
import type { ReportPublished } from '@fundtrail/funding';
import type { KnownAt } from '../figures';
import { readPublishedReport, reconcilePublishedReport } from '../reconciliation/report-scopes';
import type { ReportReconciliation } from '../reconciliation/report-reconciliation';
import type { ReportSummary } from './report-summary';

/** The read side of published reports: the list from its read model, a report and its reconciliation from its stream. */
export class ReportQueries {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  /** Published reports, newest first by the position they were recorded at. */
  async list(page: number, pageSize: number): Promise<{ items: ReportSummary[]; total: number }> {
    const { rows } = await this.pool.query<{ summary: ReportSummary; total: string }>(
      `SELECT summary, count(*) OVER () AS total FROM report_read_models
        ORDER BY last_position DESC, report_id LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    );
    const total =
      rows.length > 0 ? Number(rows[0].total) : Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM report_read_models')).rows[0].n);
    return { items: rows.map((row) => row.summary), total };
  }

  /** A report as published, read from its own stream: immutable, so the log is always up to date for it. */
  get(reportId: string): Promise<ReportPublished['data'] | undefined> {
    return readPublishedReport(this.store, reportId);
  }

  /** Every stated figure and total of a report against the log, as of its 截至 date and as known at `knownAt`. */
  async reconcile(reportId: string, knownAt?: { text: string; time: KnownAt }): Promise<ReportReconciliation | undefined> {
    const report = await readPublishedReport(this.store, reportId);
    if (report === undefined) return undefined;
    return reconcilePublishedReport(this.store, this.pool, report, knownAt);
  }
}
