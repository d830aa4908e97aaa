import { Command, CommandRunner, Option } from 'nest-commander';
import { reconcileDataset, renderMarkdown, renderTable } from '@fundtrail/reports';
import { withFundtrail } from '../cli-context';
import { CliUsageError } from './token.command';

/**
 * Every figure the data set's report states, recomputed from the log: match / mismatch / not derivable.
 * Exit 0 whatever it finds (a mismatch is a finding about the report, not a failure of the run).
 */
@Command({
  name: 'reconcile',
  arguments: '<dataset>',
  description: "check a data set's stated figures (e.g. xishan-2024) against the figures recomputed from the log",
})
export class ReconcileCommand extends CommandRunner {
  async run([dataset]: string[], options: { json?: boolean; markdown?: boolean }): Promise<void> {
    if (!dataset) throw new CliUsageError('usage: reconcile <dataset> [--json | --markdown]');
    if (options.json && options.markdown) throw new CliUsageError('--json and --markdown exclude each other');
    const result = await withFundtrail(({ database }) => reconcileDataset(dataset, database.store));
    if (result.missingProjects.length > 0) {
      process.stderr.write(
        `fundtrail: ${result.missingProjects.length} project(s) of ${dataset} are not in the log; load it first: seed ${dataset}\n`,
      );
    }
    if (options.json) process.stdout.write(`${JSON.stringify(result.rows, null, 2)}\n`);
    else if (options.markdown) process.stdout.write(renderMarkdown(result));
    else process.stdout.write(renderTable(result));
  }

  @Option({ flags: '--json', description: 'one JSON array of { project, key, stated, recomputed, status, difference?, reason?, … } on stdout' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--markdown', description: 'the reconciliation document (docs/<dataset>-reconciliation.md)' })
  parseMarkdown(): boolean {
    return true;
  }
}
