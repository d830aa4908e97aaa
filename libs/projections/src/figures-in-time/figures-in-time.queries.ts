import type { Pool } from 'pg';
import { type BackdatedQuery, type EventStore, lagDaysOf, recordingDayOf, type RecordedEvent } from '@fundtrail/event-store';
import type { KnownAt } from '../figures/figure-time';
import { type PortfolioFilter, portfolioFilterSql } from '../queries/portfolio-filter';
import { programmeScopeIn } from '../programmes/programme-scope';
import { ProjectAbsent } from './project-at';
import { type Restatement, restate } from './restatement';
import { effectiveSpan, portfolioSeries, type PortfolioSeriesPoint, projectSeries, type SeriesInterval, type SeriesPoint, seriesPeriods } from './series';

/** What a series asks: figure keys, an interval, an optional range of days, and optionally the books as known at a moment. */
export interface SeriesRequest {
  keys: string[];
  interval: SeriesInterval;
  from?: string;
  to?: string;
  knownAt?: KnownAt;
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

/** The periods a request covers: its own bounds, or the span of the events' effective dates. */
function periodsFor(request: SeriesRequest, streams: ReadonlyArray<readonly RecordedEvent[]>) {
  const span = request.from === undefined || request.to === undefined ? effectiveSpan(streams, request.knownAt) : undefined;
  const from = request.from ?? span?.from ?? request.to;
  const to = request.to ?? span?.to ?? request.from;
  return from === undefined || to === undefined ? [] : seriesPeriods(request.interval, from, to);
}

/** Streams read at once while a portfolio series loads. */
const PARALLEL_READS = 8;

/** The questions about time: figures as they were published and have since become, period by period, and what came late. */
export class FiguresInTimeQueries {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  /** What the figure published at `knownAt` for the day `asOfEffective` has become since; undefined when it is no figure. */
  async restatement(projectId: string, key: string, asOfEffective: string, knownAt: KnownAt): Promise<Restatement | undefined | ProjectAbsent> {
    const stream = await this.store.readStream(projectStream(projectId));
    if (stream.length === 0) return ProjectAbsent.NOT_FOUND;
    return restate(key, stream, asOfEffective, knownAt);
  }

  async projectSeries(projectId: string, request: SeriesRequest): Promise<{ points: SeriesPoint[] } | ProjectAbsent> {
    const stream = await this.store.readStream(projectStream(projectId));
    if (stream.length === 0) return ProjectAbsent.NOT_FOUND;
    return { points: projectSeries(stream, request.keys, periodsFor(request, [stream]), request.knownAt) };
  }

  /** Over the projects a PortfolioFilter selects (all of them for an empty filter). */
  async portfolioSeries(filter: PortfolioFilter, request: SeriesRequest): Promise<{ points: PortfolioSeriesPoint[]; projectIds: string[] }> {
    const { condition, parameters } = await portfolioFilterSql(filter, 1, programmeScopeIn(this.pool));
    const { rows } = await this.pool.query<{ project_id: string }>(
      `SELECT project_id FROM project_read_models WHERE ${condition} ORDER BY project_id`,
      parameters,
    );
    const projectIds = rows.map((row) => row.project_id);
    const streams: RecordedEvent[][] = [];
    for (let i = 0; i < projectIds.length; i += PARALLEL_READS) {
      streams.push(...(await Promise.all(projectIds.slice(i, i + PARALLEL_READS).map((id) => this.store.readStream(projectStream(id))))));
    }
    return { points: portfolioSeries(streams, request.keys, periodsFor(request, streams), request.knownAt), projectIds };
  }

  async backdated(query: BackdatedQuery): Promise<{ items: BackdatedEntry[]; total: number }> {
    const { events, total } = await this.store.readBackdated(query);
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
