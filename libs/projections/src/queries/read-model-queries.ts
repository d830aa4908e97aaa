import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '@fundtrail/event-store';
import { computeFigures, type Figure, type FigureTerms, type FigureTrace, foldEvents, termsFromJson, traceFigure } from '../figures';
import type { BondDetails } from '../read-models/bond-details';
import type { ProjectDetails } from '../read-models/project-details';
import { foldDetails, emptyDetails } from '../read-models/project-details';
import { type FigureTime, isNow } from '../figures/figure-time';
import { ProjectAbsent, projectAt, traceAt } from '../figures-in-time/project-at';
import { type FigureTableSink, writeFigureTable } from '../exports/figure-table';
import { verifyLog } from './audit-verify';
import type { PortfolioFilter } from './portfolio-filter';

/** Figures a project list shows for each item. */
export const HEADLINE_FIGURES = ['planned_total', 'received_total', 'disbursed_total', 'available_balance', 'arrival_rate', 'execution_rate'];

export interface ProjectView {
  project: ProjectDetails & { eventCount: number; lastPosition: string };
  figures: Figure[];
  asOfPosition: string;
}

export interface EventView {
  eventId: string;
  type: string;
  streamId: string;
  streamRevision: string;
  globalPosition: string;
  recordedAt: string;
  effectiveDate: string;
  actor: { id: string; role: string };
  correlationId: string;
  causationId: string;
  data: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export function toEventView(event: RecordedEvent): EventView {
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    streamRevision: event.streamRevision.toString(),
    globalPosition: event.globalPosition.toString(),
    recordedAt: event.recordedAt.toISOString(),
    effectiveDate: event.metadata.effectiveDate,
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    data: event.data,
    hash: event.hash,
    prevHash: event.prevHash,
  };
}

export type AsOf = { position: bigint } | { recordedAt: Date };

export interface EventFilter {
  toPosition?: bigint;
  asOfRecorded?: Date;
  /** ISO date: events whose effective date is on or before it. */
  asOfEffective?: string;
}

/** The checkpoint the project read models are as of. */
export const PROJECT_CHECKPOINT = 'project-figures';

/** How many projects' current views ReadModelQueries keeps computed (each some tens of kB). */
export const VIEW_CACHE_SIZE = 1000;

/** A project's view as computed from one version of its read-model row, as of one checkpoint. */
interface CachedView {
  version: string;
  asOf: bigint;
  details: ProjectDetails;
  terms: FigureTerms;
  view: ProjectView;
}

/** The read side's questions, answered from read models (figures) or from the log (trace, history, events). */
export class ReadModelQueries {
  /** Answers are shared, never changed: callers copy what they page or spread. */
  private readonly views = new Map<string, CachedView>();

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  async checkpoint(projector = PROJECT_CHECKPOINT): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projector = $1', [projector]);
    return rows.length ? BigInt(rows[0].position) : 0n;
  }

  /** Without a time, the read model answers; with one, the project's stream is cut and folded. */
  async project(projectId: string, time: FigureTime = {}): Promise<ProjectView | ProjectAbsent> {
    if (!isNow(time)) return projectAt(projectId, await this.store.readStream(`project-${projectId}`), time);
    // One indexed read of the row. Its version (xmin: the transaction that wrote it, so any write or
    // rebuild changes it) goes with the query: when it is the version cached here, the row's JSON is
    // neither sent nor parsed, and the figures computed from it last time are answered again.
    const cached = this.views.get(projectId);
    const { rows } = await this.pool.query<{
      version: string;
      details: ProjectDetails | null;
      terms: unknown;
      event_count: string;
      last_position: string;
      checkpoint: string | null;
    }>(
      `SELECT xmin::text || ':' || last_position AS version, event_count, last_position,
              (SELECT position FROM projection_checkpoints WHERE projector = $2) AS checkpoint,
              CASE WHEN xmin::text || ':' || last_position = $3 THEN NULL ELSE details END AS details,
              CASE WHEN xmin::text || ':' || last_position = $3 THEN NULL ELSE terms END AS terms
         FROM project_read_models WHERE project_id = $1`,
      [projectId, PROJECT_CHECKPOINT, cached?.version ?? null],
    );
    if (rows.length === 0) {
      this.views.delete(projectId);
      return ProjectAbsent.NOT_FOUND;
    }
    const row = rows[0];
    const asOf = BigInt(row.checkpoint ?? row.last_position);
    const hit = cached !== undefined && row.details === null ? cached : undefined;
    if (hit && hit.asOf === asOf) {
      this.remember(projectId, hit);
      return hit.view;
    }
    const details = hit ? hit.details : (row.details as ProjectDetails);
    const terms = hit ? hit.terms : termsFromJson(row.terms);
    const view: ProjectView = {
      project: { ...details, eventCount: Number(row.event_count), lastPosition: row.last_position },
      figures: computeFigures(terms, asOf),
      asOfPosition: asOf.toString(),
    };
    this.remember(projectId, { version: row.version, asOf, details, terms, view });
    return view;
  }

  /** Keeps a project's view, most recently used last; the least recently used goes past VIEW_CACHE_SIZE. */
  private remember(projectId: string, entry: CachedView): void {
    this.views.delete(projectId);
    this.views.set(projectId, entry);
    if (this.views.size > VIEW_CACHE_SIZE) this.views.delete(this.views.keys().next().value as string);
  }

  /**
   * Without a time: the figure from the read model, every event behind it from the log, and whether
   * the two agree. With one: the trace over that cut of the log. Undefined when there is no such figure.
   */
  async trace(projectId: string, key: string, time: FigureTime = {}): Promise<FigureTrace | undefined | ProjectAbsent> {
    if (!isNow(time)) return traceAt(key, await this.store.readStream(`project-${projectId}`), time);
    const view = await this.project(projectId);
    if (view instanceof ProjectAbsent) return view;
    const stored = view.figures.find((figure) => figure.key === key);
    const position = BigInt(view.project.lastPosition);
    const events = (await this.store.readStream(`project-${projectId}`)).filter((e) => e.globalPosition <= position);
    return traceFigure(key, events, stored ? stored.value : null);
  }

  async events(projectId: string, filter: EventFilter): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(`project-${projectId}`);
    return events.filter(
      (event) =>
        (filter.toPosition === undefined || event.globalPosition <= filter.toPosition) &&
        (filter.asOfRecorded === undefined || event.recordedAt.getTime() <= filter.asOfRecorded.getTime()) &&
        (filter.asOfEffective === undefined || event.metadata.effectiveDate <= filter.asOfEffective),
    );
  }

  /** Figures as they stood at a position or a recording time, folded from the log with the projection's own fold. */
  async history(projectId: string, asOf: AsOf): Promise<{ figures: Figure[]; asOfPosition: string; events: number; project: ProjectDetails } | ProjectAbsent> {
    const all = await this.store.readStream(`project-${projectId}`);
    if (all.length === 0) return ProjectAbsent.NOT_FOUND;
    const events =
      'position' in asOf ? all.filter((e) => e.globalPosition <= asOf.position) : all.filter((e) => e.recordedAt.getTime() <= asOf.recordedAt.getTime());
    // as the figure endpoints do: a time before the project's first event is said, never answered with zeros
    if (events.length === 0) return ProjectAbsent.NOT_YET_RECORDED;
    const position = events[events.length - 1].globalPosition;
    let details = emptyDetails(projectId);
    for (const event of events) details = foldDetails(details, event);
    return { figures: computeFigures(foldEvents(events), position), asOfPosition: position.toString(), events: events.length, project: details };
  }

  async bond(bondId: string): Promise<(BondDetails & { lastPosition: string }) | undefined> {
    const { rows } = await this.pool.query<{ details: BondDetails; last_position: string }>(
      'SELECT details, last_position FROM bond_read_models WHERE bond_id = $1',
      [bondId],
    );
    return rows.length ? { ...rows[0].details, lastPosition: rows[0].last_position } : undefined;
  }

  /** Every hash chain, read model and cross-stream link recomputed from the log. */
  verify() {
    return verifyLog(this.store, this.pool);
  }

  /** Streams the analysts' table of the selected projects into a sink (figures.csv, figures.xlsx). */
  writeFigureTable(filter: PortfolioFilter, sink: FigureTableSink) {
    return writeFigureTable(this.pool, filter, sink);
  }
}
