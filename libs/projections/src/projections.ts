import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { ReadModelQueries } from './queries/read-model-queries';
import { BondsProjector } from './runner/bonds.projector';
import { ProjectFiguresProjector } from './runner/project-figures.projector';
import { ProjectionRunner } from './runner/projection-runner';

/** The live projectors of this process and what waits on them (read-your-writes). */
@Injectable()
export class Projections implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runners: ProjectionRunner[];
  readonly queries: ReadModelQueries;
  /** Set by the host to observe errors (logs) and progress (metrics). */
  onError: (projector: string, error: unknown) => void = () => undefined;

  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {
    this.runners = [new ProjectFiguresProjector(), new BondsProjector()].map(
      (projector) =>
        new ProjectionRunner(database.store, database.pool, projector, {
          onError: (error) => this.onError(projector.name, error),
        }),
    );
    this.queries = new ReadModelQueries(database.pool, database.store);
  }

  onApplicationBootstrap(): void {
    if (process.env.FUNDTRAIL_PROJECTORS === 'off') return;
    for (const runner of this.runners) runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /** True once every projector has applied `position` (read-your-writes), false after `timeoutMs`. */
  async reached(position: bigint, timeoutMs: number): Promise<boolean> {
    const results = await Promise.all(this.runners.map((runner) => runner.waitFor(position, timeoutMs)));
    return results.every(Boolean);
  }

  /** head − checkpoint per projector, for the lag metric. */
  async lag(): Promise<Record<string, bigint>> {
    const head = await this.database.store.headPosition();
    return Object.fromEntries(this.runners.map((runner) => [runner.projector.name, head > runner.position ? head - runner.position : 0n]));
  }
}

