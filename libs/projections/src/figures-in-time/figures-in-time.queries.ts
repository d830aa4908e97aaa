import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type BackdatedQuery, FUNDTRAIL_DATABASE, type FundtrailDatabase, lagDaysOf, recordingDayOf, type RecordedEvent } from '@fundtrail/event-store';
import type { KnownAt } from '../figures/figure-time';
import { type PortfolioFilter, portfolioFilterSql } from '../queries/portfolio-filter';
import { programmeScopeIn } from '../programmes/programme-scope';
import type { Absent } from './project-at';
import { type Restatement, restate } from './restatement';
import {
  effectiveSpan,
  portfolioSeries,
  type PortfolioSeriesPoint,
  projectSeries,
  type SeriesInterval,
  type SeriesPoint,
  seriesPeriods,
} from './series';

/** What a series asks: figure keys, an interval, an optional range of days, and optionally the books as known at a moment. */
export interface SeriesRequest {
  keys: string[];
  interval: SeriesInterval;
  from?: string;
  to?: string;
  knownAt?: KnownAt;
}

export class GetRestatement {
  constructor(
    readonly projectId: string,
    readonly key: string,
    readonly asOfEffective: string,
    readonly knownAt: KnownAt,
  ) {}
}
export class GetProjectSeries {
  constructor(readonly projectId: string, readonly request: SeriesRequest) {}
}
/** Over the projects a PortfolioFilter selects (all of them for an empty filter). */
export class GetPortfolioSeries {
  constructor(readonly filter: PortfolioFilter, readonly request: SeriesRequest) {}
}
export class ListBackdated {
  constructor(readonly query: BackdatedQuery) {}
}

/** One back-dated entry as the audit report shows it. */
export interface BackdatedEntry {
  eventId: string;
  streamId: string;
  type: string;
  globalPosition: string;
  effectiveDate: string;
  recordedAt: string;
  /** The date of recordedAt in the bureau's calendar. */
  recordingDay: string;
  /** recordingDay − effectiveDate, in days. */
  lagDays: number;
  actor: { id: string; role: string };
}

const projectStream = (projectId: string) => `project-${projectId}`;

@QueryHandler(GetRestatement)
export class GetRestatementHandler implements IQueryHandler<GetRestatement> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}
  async execute(q: GetRestatement): Promise<Restatement | undefined | Absent> {
    const stream = await this.database.store.readStream(projectStream(q.projectId));
    if (stream.length === 0) return 'no-project';
    return restate(q.key, stream, q.asOfEffective, q.knownAt);
  }
}

/** The periods a request covers: its own bounds, or the span of the events' effective dates. */
function periodsFor(request: SeriesRequest, streams: ReadonlyArray<readonly RecordedEvent[]>) {
  const span = request.from === undefined || request.to === undefined ? effectiveSpan(streams, request.knownAt) : undefined;
  const from = request.from ?? span?.from ?? request.to;
  const to = request.to ?? span?.to ?? request.from;
  return from === undefined || to === undefined ? [] : seriesPeriods(request.interval, from, to);
}

@QueryHandler(GetProjectSeries)
export class GetProjectSeriesHandler implements IQueryHandler<GetProjectSeries> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}
  async execute(q: GetProjectSeries): Promise<{ points: SeriesPoint[] } | 'no-project'> {
    const stream = await this.database.store.readStream(projectStream(q.projectId));
    if (stream.length === 0) return 'no-project';
    return { points: projectSeries(stream, q.request.keys, periodsFor(q.request, [stream]), q.request.knownAt) };
  }
}

/** Streams read at once while a portfolio series loads. */
const PARALLEL_READS = 8;

@QueryHandler(GetPortfolioSeries)
export class GetPortfolioSeriesHandler implements IQueryHandler<GetPortfolioSeries> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}
  async execute(q: GetPortfolioSeries): Promise<{ points: PortfolioSeriesPoint[]; projectIds: string[] }> {
    const { condition, parameters } = await portfolioFilterSql(q.filter, 1, programmeScopeIn(this.database.pool));
    const { rows } = await this.database.pool.query<{ project_id: string }>(`SELECT project_id FROM project_read_models WHERE ${condition} ORDER BY project_id`, parameters);
    const projectIds = rows.map((row) => row.project_id);
    const streams: RecordedEvent[][] = [];
    for (let i = 0; i < projectIds.length; i += PARALLEL_READS) {
      streams.push(...(await Promise.all(projectIds.slice(i, i + PARALLEL_READS).map((id) => this.database.store.readStream(projectStream(id))))));
    }
    return { points: portfolioSeries(streams, q.request.keys, periodsFor(q.request, streams), q.request.knownAt), projectIds };
  }
}

@QueryHandler(ListBackdated)
export class ListBackdatedHandler implements IQueryHandler<ListBackdated> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}
  async execute(q: ListBackdated): Promise<{ items: BackdatedEntry[]; total: number }> {
    const { events, total } = await this.database.store.readBackdated(q.query);
    return {
      total,
      items: events.map((event) => ({
        eventId: event.eventId,
        streamId: event.streamId,
        type: event.type,
        globalPosition: event.globalPosition.toString(),
        effectiveDate: event.metadata.effectiveDate,
        recordedAt: event.recordedAt.toISOString(),
        recordingDay: recordingDayOf(event),
        lagDays: lagDaysOf(event),
        actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
      })),
    };
  }
}

export const FIGURES_IN_TIME_QUERY_HANDLERS = [GetRestatementHandler, GetProjectSeriesHandler, GetPortfolioSeriesHandler, ListBackdatedHandler];
