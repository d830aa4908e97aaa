import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import type { ReportPublished } from '@fundtrail/funding';
import type { KnownAt } from '../figures';
import { readPublishedReport, reconcilePublishedReport } from '../reconciliation/report-scopes';
import type { ReportReconciliation } from '../reconciliation/report-reconciliation';
import type { ReportSummary } from './report-summary';

export class ListReports {
  constructor(readonly page: number, readonly pageSize: number) {}
}
export class GetReport {
  constructor(readonly reportId: string) {}
}
export class ReconcileReport {
  constructor(readonly reportId: string, readonly knownAt?: { text: string; time: KnownAt }) {}
}

/** Published reports, newest first by the position they were recorded at, from the report list read model. */
@QueryHandler(ListReports)
export class ListReportsHandler implements IQueryHandler<ListReports, { items: ReportSummary[]; total: number }> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}

  async execute({ page, pageSize }: ListReports): Promise<{ items: ReportSummary[]; total: number }> {
    const { rows } = await this.database.pool.query<{ summary: ReportSummary; total: string }>(
      `SELECT summary, count(*) OVER () AS total FROM report_read_models
        ORDER BY last_position DESC, report_id LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    );
    const total = rows.length > 0 ? Number(rows[0].total) : Number((await this.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM report_read_models')).rows[0].n);
    return { items: rows.map((row) => row.summary), total };
  }
}

/** A report as published, read from its own stream: immutable, so the log is always up to date for it. */
@QueryHandler(GetReport)
export class GetReportHandler implements IQueryHandler<GetReport, ReportPublished['data'] | undefined> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}

  execute({ reportId }: GetReport): Promise<ReportPublished['data'] | undefined> {
    return readPublishedReport(this.database.store, reportId);
  }
}

/** Every stated figure and total of a report against the log, as of its 截至 date and as known at `knownAt`. */
@QueryHandler(ReconcileReport)
export class ReconcileReportHandler implements IQueryHandler<ReconcileReport, ReportReconciliation | undefined> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}

  async execute({ reportId, knownAt }: ReconcileReport): Promise<ReportReconciliation | undefined> {
    const report = await readPublishedReport(this.database.store, reportId);
    if (report === undefined) return undefined;
    return reconcilePublishedReport(this.database.store, this.database.pool, report, knownAt);
  }
}

export const REPORT_QUERY_HANDLERS = [ListReportsHandler, GetReportHandler, ReconcileReportHandler];
