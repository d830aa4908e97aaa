import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { Projections } from '../projections';
import { verifyLog } from './audit-verify';
import type { AsOf, EventFilter, ReadModelQueries } from './read-model-queries';
import { type FigureTableSink, writeFigureTable } from '../exports/figure-table';
import type { PortfolioFilter } from './portfolio-filter';

export class ListProjects {
  constructor(readonly search: string | undefined, readonly page: number, readonly pageSize: number) {}
}
export class GetProject {
  constructor(readonly projectId: string) {}
}
export class TraceFigure {
  constructor(readonly projectId: string, readonly key: string) {}
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
export class GetPortfolioFigures {}
/** Streams the analysts' table of the selected projects into a sink (figures.csv, figures.xlsx). */
export class WriteFigureTable {
  constructor(readonly filter: PortfolioFilter, readonly sink: FigureTableSink) {}
}
export class VerifyAudit {}

@QueryHandler(ListProjects)
export class ListProjectsHandler implements IQueryHandler<ListProjects> {
  constructor(private readonly projections: Projections) {}
  execute(q: ListProjects) {
    return this.projections.queries.listProjects(q.search, q.page, q.pageSize);
  }
}

@QueryHandler(GetProject)
export class GetProjectHandler implements IQueryHandler<GetProject> {
  constructor(private readonly projections: Projections) {}
  execute(q: GetProject) {
    return this.projections.queries.project(q.projectId);
  }
}

@QueryHandler(TraceFigure)
export class TraceFigureHandler implements IQueryHandler<TraceFigure> {
  constructor(private readonly projections: Projections) {}
  execute(q: TraceFigure) {
    return this.projections.queries.trace(q.projectId, q.key);
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

@QueryHandler(GetPortfolioFigures)
export class GetPortfolioFiguresHandler implements IQueryHandler<GetPortfolioFigures> {
  constructor(private readonly projections: Projections) {}
  execute() {
    return this.projections.queries.portfolio();
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
  ListProjectsHandler,
  GetProjectHandler,
  TraceFigureHandler,
  GetProjectEventsHandler,
  GetProjectHistoryHandler,
  GetBondHandler,
  GetPortfolioFiguresHandler,
  VerifyAuditHandler,
];
