import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { Projections } from '../projections';
import { verifyLog } from './audit-verify';
import type { AsOf, EventFilter, ProjectView, ReadModelQueries } from './read-model-queries';
import type { FigureTrace } from '../figures';
import { type FigureTime, isNow } from '../figures/figure-time';
import { type Absent, type ProjectAt, projectAt, traceAt } from '../figures-in-time/project-at';
import { type FigureTableSink, writeFigureTable } from '../exports/figure-table';
import type { PortfolioFilter } from './portfolio-filter';

/** Without a time, the read model answers; with one, the project's stream is cut and folded. */
export class GetProject {
  constructor(readonly projectId: string, readonly time: FigureTime = {}) {}
}
export class TraceFigure {
  constructor(readonly projectId: string, readonly key: string, readonly time: FigureTime = {}) {}
}
export class GetProjectEvents {
  constructor(readonly projectId: string, readonly filter: EventFilter) {}
}
export class GetProjectHistory {
  constructor(readonly projectId: string, readonly asOf: AsOf) {}
}
export class GetBond extends Query<Awaited<ReturnType<ReadModelQueries['bond']>>> {
  constructor(readonly bondId: string) {
    super();
  }
}
/** Streams the analysts' table of the selected projects into a sink (figures.csv, figures.xlsx). */
export class WriteFigureTable {
  constructor(readonly filter: PortfolioFilter, readonly sink: FigureTableSink) {}
}
export class VerifyAudit {}

@QueryHandler(GetProject)
export class GetProjectHandler implements IQueryHandler<GetProject> {
  constructor(
    private readonly projections: Projections,
    @Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase,
  ) {}
  async execute(q: GetProject): Promise<ProjectView | ProjectAt | undefined | Absent> {
    if (isNow(q.time)) return this.projections.queries.project(q.projectId);
    return projectAt(q.projectId, await this.database.store.readStream(`project-${q.projectId}`), q.time);
  }
}

@QueryHandler(TraceFigure)
export class TraceFigureHandler implements IQueryHandler<TraceFigure> {
  constructor(
    private readonly projections: Projections,
    @Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase,
  ) {}
  async execute(q: TraceFigure): Promise<FigureTrace | undefined | Absent> {
    if (isNow(q.time)) return this.projections.queries.trace(q.projectId, q.key);
    return traceAt(q.key, await this.database.store.readStream(`project-${q.projectId}`), q.time);
  }
}

@QueryHandler(GetProjectEvents)
export class GetProjectEventsHandler implements IQueryHandler<GetProjectEvents> {
  constructor(private readonly projections: Projections) {}
  execute(q: GetProjectEvents) {
    return this.projections.queries.events(q.projectId, q.filter);
  }
}

@QueryHandler(GetProjectHistory)
export class GetProjectHistoryHandler implements IQueryHandler<GetProjectHistory> {
  constructor(private readonly projections: Projections) {}
  execute(q: GetProjectHistory) {
    return this.projections.queries.history(q.projectId, q.asOf);
  }
}

@QueryHandler(GetBond)
export class GetBondHandler implements IQueryHandler<GetBond> {
  constructor(private readonly projections: Projections) {}
  execute(q: GetBond) {
    return this.projections.queries.bond(q.bondId);
  }
}

@QueryHandler(VerifyAudit)
export class VerifyAuditHandler implements IQueryHandler<VerifyAudit> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}
  execute() {
    return verifyLog(this.database.store, this.database.pool);
  }
}

@QueryHandler(WriteFigureTable)
export class WriteFigureTableHandler implements IQueryHandler<WriteFigureTable> {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}
  execute(q: WriteFigureTable) {
    return writeFigureTable(this.database.pool, q.filter, q.sink);
  }
}

export const READ_MODEL_QUERY_HANDLERS = [
  WriteFigureTableHandler,
  GetProjectHandler,
  TraceFigureHandler,
  GetProjectEventsHandler,
  GetProjectHistoryHandler,
  GetBondHandler,
  VerifyAuditHandler,
];
