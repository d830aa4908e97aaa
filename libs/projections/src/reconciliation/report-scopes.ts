import type { Pool } from 'pg';
import type { EventStore } from '@fundtrail/event-store';
import { projectStreamId, type ReportPublished, reportStreamId, type StatedScope } from '@fundtrail/funding';
import type { KnownAt } from '../figures';
import { type PortfolioFilter, portfolioFilterSql, type ProgrammeScope } from '../queries/portfolio-filter';
import { programmeScopeIn } from '../programmes/programme-scope';
import { reconcileReport, type ReportReconciliation, scopeKey, type ScopeStreams } from './report-reconciliation';

/**
 * The streams behind every scope of a report, read once per project: a project scope is its own
 * stream; a programme scope is the portfolio filter `{ programme }`; a portfolio scope is the projects
 * its filter selects in the project read models, each read whole from the log (the time filter is the
 * reconciliation's).
 */
export async function readScopeStreams(
  store: EventStore,
  pool: Pool,
  report: ReportPublished['data'],
  // A programme stands for itself and its descendants, as in every portfolio answer.
  programmeScope: ProgrammeScope = programmeScopeIn(pool),
): Promise<Map<string, ScopeStreams>> {
  const streams = new Map<string, ScopeStreams>();
  const cache = new Map<string, Promise<ScopeStreams[number]>>();
  const project = (projectId: string) => {
    let read = cache.get(projectId);
    if (read === undefined) {
      read = store.readStream(projectStreamId(projectId)).then((events) => ({ projectId, events }));
      cache.set(projectId, read);
    }
    return read;
  };
  for (const figure of report.statedFigures) {
    const key = scopeKey(figure.scope);
    if (streams.has(key) || figure.key === undefined) continue;
    const projectIds = 'projectId' in figure.scope ? [figure.scope.projectId] : await selectedProjects(pool, filterOf(figure.scope), programmeScope);
    streams.set(key, await Promise.all(projectIds.map(project)));
  }
  return streams;
}

function filterOf(scope: Exclude<StatedScope, { projectId: string }>): PortfolioFilter {
  return 'programmeId' in scope ? { programme: scope.programmeId } : scope.portfolio;
}

async function selectedProjects(pool: Pool, filter: PortfolioFilter, programmeScope: ProgrammeScope): Promise<string[]> {
  const { condition, parameters } = await portfolioFilterSql(filter, 1, programmeScope);
  const { rows } = await pool.query<{ project_id: string }>(`SELECT project_id FROM project_read_models WHERE ${condition} ORDER BY project_id`, parameters);
  return rows.map((row) => row.project_id);
}

/** The published report stored on stream report-<reportId>; undefined when there is none. */
export async function readPublishedReport(store: EventStore, reportId: string): Promise<ReportPublished['data'] | undefined> {
  const [published] = await store.readStream(reportStreamId(reportId), { maxCount: 1 });
  return published?.type === 'ReportPublished' ? (published.data as ReportPublished['data']) : undefined;
}

/** A report reconciled against the log as known at `knownAt` (everything when absent): HTTP and CLI alike. */
export async function reconcilePublishedReport(
  store: EventStore,
  pool: Pool,
  report: ReportPublished['data'],
  knownAt?: { text: string; time: KnownAt },
  programmeScope: ProgrammeScope = programmeScopeIn(pool),
): Promise<ReportReconciliation> {
  return reconcileReport(report, await readScopeStreams(store, pool, report, programmeScope), knownAt);
}
