import { Command, CommandRunner, Option } from 'nest-commander';
import { verifyLog } from '@fundtrail/projections';
import { withFundtrail } from '../cli-context';

/** Same report as GET /api/audit/verify; exits non-zero when a chain, a read model or a cross-stream link is broken. */
@Command({ name: 'verify', description: 'recompute hash chains and read models from the log, check bond-project links; exit 1 when broken' })
export class VerifyCommand extends CommandRunner {
  async run(_: string[], options: { heads?: boolean }): Promise<void> {
    const report = await withFundtrail(({ database }) =>
      verifyLog(database.store, database.pool, {
        includeHeads: options.heads,
        onProgress: (events) => process.stderr.isTTY && process.stderr.write(`\rverify: ${events} events`),
      }),
    );
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.ok) process.exitCode = 1;
  }

  @Option({ flags: '--heads', description: "include each stream's head hash (a digest to keep and check later)" })
  parseHeads(): boolean {
    return true;
  }
}
