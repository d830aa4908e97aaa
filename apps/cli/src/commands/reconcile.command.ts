import { Command, CommandRunner, Option } from 'nest-commander';
import { CalendarFormatError } from '@fundtrail/calendar';
import { parseKnownAt } from '@fundtrail/projections';
import { ReconcileTargetError, reconcileTarget, renderMarkdown, renderTable } from '@fundtrail/reports';
import { withFundtrail } from '../cli-context';
import { CliUsageError } from './token.command';

/**
 * A published report (or a data set's stated figures) against the log, row by row and total by total,
 * with the code of GET /api/reports/:id/reconciliation. Exit 0 whatever it finds (a mismatch is a
 * finding about the report, not a failure of the run).
 */
@Command({
  name: 'reconcile',
  arguments: '<target>',
  description:
    "<target>: a report id or a data set; check a published report's stated figures (or a data set's, e.g. xishan-2024) against the figures recomputed from the log",
})
export class ReconcileCommand extends CommandRunner {
  async run([target]: string[], options: { json?: boolean; markdown?: boolean; knownAt?: string }): Promise<void> {
    if (!target) throw new CliUsageError('usage: reconcile <dataset | reportId> [--json | --markdown] [--known-at <instant | position>]');
    if (options.json && options.markdown) throw new CliUsageError('--json and --markdown exclude each other');
    let knownAt;
    try {
      knownAt = options.knownAt === undefined ? undefined : { text: options.knownAt, time: parseKnownAt(options.knownAt) };
    } catch (error) {
      if (error instanceof CalendarFormatError) throw new CliUsageError(`--known-at ${error.message}`);
      throw error;
    }
    const result = await withFundtrail(async ({ database }) => {
      try {
        return await reconcileTarget(target, database, knownAt);
      } catch (error) {
        if (error instanceof ReconcileTargetError) throw new CliUsageError(error.message);
        throw error;
      }
    });
    if (result.missingProjects.length > 0) {
      process.stderr.write(`fundtrail: ${result.missingProjects.length} project(s) of ${target} are not in the log; load it first: seed ${target}\n`);
    }
    if (options.json) process.stdout.write(`${JSON.stringify(result.reconciliation, null, 2)}\n`);
    else if (options.markdown) process.stdout.write(renderMarkdown(result));
    else process.stdout.write(renderTable(result));
  }

  @Option({ flags: '--json', description: 'the reconciliation as GET /api/reports/:id/reconciliation answers it: { reportId, summary, rows, sums, … }' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--markdown', description: 'the reconciliation document (docs/<dataset>-reconciliation.md)' })
  parseMarkdown(): boolean {
    return true;
  }

  @Option({ flags: '--known-at <instant | position>', description: 'the log as it was known then: an ISO instant with offset, or a global position' })
  parseKnownAt(value: string): string {
    return value;
  }
}
