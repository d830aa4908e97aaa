import { Command, CommandRunner } from 'nest-commander';
import { loadDataset } from '@fundtrail/reports';
import { withFundtrail } from '../cli-context';
import { progress } from '../progress';
import { CliUsageError } from './token.command';

/** Loads seeds/<dataset>/ through the command bus (every rule applies); running it again changes nothing. */
@Command({ name: 'seed', arguments: '<dataset>', description: 'load a data set (e.g. xishan-2024) through the command bus, idempotently' })
export class SeedCommand extends CommandRunner {
  async run([dataset]: string[]): Promise<void> {
    if (!dataset) throw new CliUsageError('usage: seed <dataset>, e.g. seed xishan-2024');
    const summary = await withFundtrail(async ({ commands, database }) => {
      let bar: ReturnType<typeof progress> | undefined;
      try {
        return await loadDataset(
          dataset,
          { commands, store: database.store },
          {
            onProgress: (done, total) => {
              bar ??= progress(`seed ${dataset}`, total);
              bar.update(done);
            },
          },
        );
      } finally {
        bar?.stop();
      }
    });
    process.stdout.write(
      `${summary.dataset}: ${summary.commands} commands: ${summary.applied} applied, ${summary.alreadyPresent} already present; ` +
        `${summary.eventsAppended} events appended; stated figures as report ${summary.dataset}: ${summary.report}\n`,
    );
  }
}
