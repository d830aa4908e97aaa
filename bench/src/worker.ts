import 'reflect-metadata';
import { commandBusAppend, emmettAppend, emmettStockHandlerAppend, rawAppend, type AppendOptions } from './scenarios/append';
import { microCosts } from './scenarios/micro';
import { fundtrailVerify, rawScan } from './scenarios/scan';

/**
 * One measurement in a fresh process (`node dist/bench/src/worker.js '<json>'`): every append
 * workload and every scan starts from the same state (cold JIT, empty heap, its own pool), and
 * libraries that patch `pg` globally (Emmett's dumbo installs bigint and JSON revivers) never
 * touch the process that measures FundTrail. Prints one `@@RESULT <json>` line.
 */
export const RESULT_PREFIX = '@@RESULT ';

type Job =
  | ({ kind: 'append.raw' | 'append.command-bus' | 'append.emmett' | 'append.emmett-stock' } & AppendOptions)
  | { kind: 'scan.raw' | 'verify'; url: string }
  | { kind: 'micro' };

async function run(job: Job): Promise<unknown> {
  switch (job.kind) {
    case 'append.raw':
      return rawAppend(job);
    case 'append.command-bus':
      return commandBusAppend(job);
    case 'append.emmett':
      return emmettAppend(job);
    case 'append.emmett-stock':
      return emmettStockHandlerAppend(job);
    case 'scan.raw':
      return rawScan(job.url);
    case 'verify':
      return fundtrailVerify(job.url);
    case 'micro':
      return microCosts();
    default:
      throw new Error(`unknown job ${(job as { kind: string }).kind}`);
  }
}

if (require.main === module) {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  run(job).then(
    (result) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
      // Pools of libraries we do not own may keep sockets open for a moment: do not wait for them.
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`worker ${job.kind} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
