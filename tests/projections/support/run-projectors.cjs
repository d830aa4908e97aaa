'use strict';
/**
 * Child process of tests/projections/rebuild-crash.spec.ts: the live projectors (ProjectionRunner
 * for project-figures and bonds, from the built dist/, reading the log through one SharedLogTail
 * as the API's do) catching up on DATABASE_URL's log, so the
 * test can SIGKILL them mid-catch-up. Prints one line per applied batch and `caught-up <head>` at the end.
 * Usage: DATABASE_URL=... node run-projectors.cjs [batchSize]
 */
const path = require('node:path');

const dist = path.resolve(__dirname, '../../../dist/libs');
const { createPool, PostgresEventStore } = require(path.join(dist, 'event-store/src/index.js'));
const { ProjectionRunner, ProjectFiguresProjector, BondsProjector, SharedLogTail } = require(path.join(dist, 'projections/src/index.js'));

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const batchSize = Number(process.argv[2] || 200);
  const pool = createPool({ url, poolSize: 4, applicationName: 'crash-test-projectors' });
  const store = new PostgresEventStore(pool);
  const head = await store.headPosition();
  const tail = new SharedLogTail(store, batchSize);
  const runners = [new ProjectFiguresProjector(), new BondsProjector()].map(
    (projector) =>
      new ProjectionRunner(store, pool, projector, {
        batchSize,
        tail,
        onBatch: (position, count) => process.stdout.write(`batch ${projector.name} ${position} ${count}\n`),
        onError: (error) => process.stderr.write(`error ${projector.name} ${error && error.stack}\n`),
      }),
  );
  process.stdout.write(`started ${head}\n`);
  for (const runner of runners) runner.start();
  const reached = await Promise.all(runners.map((runner) => runner.waitFor(head, 10 * 60_000)));
  await Promise.all(runners.map((runner) => runner.stop()));
  await pool.end();
  if (!reached.every(Boolean)) throw new Error('projectors did not reach the head');
  process.stdout.write(`caught-up ${head}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack}\n`);
  process.exit(2);
});
