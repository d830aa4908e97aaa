import { Command, CommandRunner, Option } from 'nest-commander';
import { BondsProjector, ProgrammesProjector, ProjectFiguresProjector, type Projector, rebuildReadModels, ReportsProjector } from '@fundtrail/projections';
import { withFundtrail } from '../cli-context';
import { progress } from '../progress';
import { CliUsageError } from './token.command';

const PROJECTORS: Record<string, () => Projector> = {
  'project-figures': () => new ProjectFiguresProjector(),
  bonds: () => new BondsProjector(),
  programmes: () => new ProgrammesProjector(),
  reports: () => new ReportsProjector(),
};

/** Replays the log from position 0 into fresh read models (in batches), then swaps them in; the API keeps serving. */
@Command({ name: 'rebuild', description: 'drop and replay the read models from the log (resumes a killed rebuild)' })
export class RebuildCommand extends CommandRunner {
  async run(_: string[], options: { batchSize?: string; fresh?: boolean }): Promise<void> {
    const batchSize = options.batchSize ? Number(options.batchSize) : 5000;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) throw new CliUsageError('--batch-size must be 1 to 100000');
    await withFundtrail(async ({ database }) => {
      // The head position bounds the event count (positions may have gaps): enough for a progress bar.
      const total = Number(await database.store.headPosition());
      const bar = progress('rebuild', total);
      // The shadow tables are swapped together, so every rebuild replays every read model.
      const result = await rebuildReadModels(
        database.store,
        database.pool,
        Object.values(PROJECTORS).map((make) => make()),
        {
          batchSize,
          fresh: options.fresh,
          onProgress: ({ events }) => bar.update(events),
        },
      );
      bar.stop();
      const rate = result.seconds > 0 ? Math.round(result.events / result.seconds) : result.events;
      process.stdout.write(
        `rebuilt read models from ${result.events} events${result.resumed ? ' (resumed)' : ''} up to position ${result.position} in ${result.seconds.toFixed(2)} s (${rate} events/s)\n`,
      );
    });
  }

  @Option({ flags: '--batch-size <n>', description: 'events per transaction (default 5000)' })
  parseBatchSize(value: string): string {
    return value;
  }

  @Option({ flags: '--fresh', description: 'start over instead of resuming an interrupted rebuild' })
  parseFresh(): boolean {
    return true;
  }
}
