import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { PortfolioQueries } from './portfolio/portfolio-queries';
import { ReadModelQueries } from './queries/read-model-queries';
import { FiguresInTimeQueries } from './figures-in-time/figures-in-time.queries';
import { ProgrammesProjector } from './programmes/programmes.projector';
import { BondsProjector } from './runner/bonds.projector';
import { ReportsProjector } from './reports/reports.projector';
import { ReportQueries } from './reports/report.queries';
import { ProjectFiguresProjector } from './runner/project-figures.projector';
import { ProjectionRunner } from './runner/projection-runner';
import { SharedLogTail } from './runner/shared-log-tail';
import { StoredCheckpoints } from './runner/stored-checkpoints';

export interface ProjectionOptions {
  /** Whether this process runs the projectors; an extra API replica and the CLI read their progress instead. */
  projectors: boolean;
}

export const PROJECTION_OPTIONS = Symbol('PROJECTION_OPTIONS');

/** The live projectors of this process, what waits on them (read-your-writes), and the queries over their read models. */
@Injectable()
export class Projections implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runners: ProjectionRunner[];
  /** The read side's services, which controllers and commands call directly. */
  readonly queries: ReadModelQueries;
  readonly inTime: FiguresInTimeQueries;
  readonly reports: ReportQueries;
  readonly portfolio: PortfolioQueries;
  /** Set by the host to observe errors (logs) and progress (metrics). */
  onError: (projector: string, error: unknown) => void = () => undefined;
  /** Whether this process runs the projectors; when not, their progress is read from the database. */
  private projecting = false;
  private readonly stored: StoredCheckpoints;

  constructor(
    @Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase,
    @Inject(PROJECTION_OPTIONS) private readonly options: ProjectionOptions,
  ) {
    // One read of the log for all four: each event is fetched and parsed once, not once per projector.
    const tail = new SharedLogTail(database.store);
    this.runners = [new ProjectFiguresProjector(), new BondsProjector(), new ProgrammesProjector(), new ReportsProjector()].map(
      (projector) =>
        new ProjectionRunner(database.store, database.pool, projector, {
          onError: (error) => this.onError(projector.name, error),
          tail,
        }),
    );
    this.queries = new ReadModelQueries(database.pool, database.store);
    this.inTime = new FiguresInTimeQueries(database.pool, database.store);
    this.reports = new ReportQueries(database.pool, database.store);
    this.portfolio = new PortfolioQueries(database.pool, database.store);
    this.stored = new StoredCheckpoints(
      database.pool,
      this.runners.map((runner) => runner.checkpointName),
    );
  }

  onApplicationBootstrap(): void {
    if (!this.options.projectors) return;
    this.projecting = true;
    for (const runner of this.runners) runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /** True once every projector has applied `position` (read-your-writes), false after `timeoutMs`. */
  async reached(position: bigint, timeoutMs: number): Promise<boolean> {
    if (!this.projecting) return this.stored.waitFor(position, timeoutMs);
    const results = await Promise.all(this.runners.map((runner) => runner.waitFor(position, timeoutMs)));
    return results.every(Boolean);
  }

  /** head − checkpoint per projector, for the lag metric. */
  async lag(): Promise<Record<string, bigint>> {
    const head = await this.database.store.headPosition();
    const stored = this.projecting ? undefined : await this.stored.read();
    return Object.fromEntries(
      this.runners.map((runner) => {
        const position = stored?.get(runner.checkpointName) ?? runner.position;
        return [runner.projector.name, head > position ? head - position : 0n];
      }),
    );
  }
}
