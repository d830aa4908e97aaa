// Rebuild with different --batch-size values on one loaded log, interleaved; plus the RSS of a rebuild of an empty log.
require('reflect-metadata');
const DIST = '/work/main/bench/scratch/proto-base/dist';
const { openBenchServer, migrateFundtrail } = require(`${DIST}/bench/src/database.js`);
const { loadSyntheticLog } = require(`${DIST}/bench/src/synthetic.js`);
const { runCli, runWorker } = require(`${DIST}/bench/src/processes.js`);
const { createPool, PostgresEventStore } = require(`${DIST}/libs/event-store/src/index.js`);
(async () => {
  const sizes = (process.argv[2] || '2000,5000,20000').split(',');
  const server = await openBenchServer('postgres://postgres@127.0.0.1:5432/test');
  try {
    const empty = await server.createDatabase('empty'); await migrateFundtrail(empty);
    const e = await runCli(['rebuild', '--fresh'], { DATABASE_URL: empty });
    console.log('empty log rebuild: peak RSS', e.peakRssMb.toFixed(1), 'MB');
    const url = await server.createDatabase('batch'); await migrateFundtrail(url);
    const pool = createPool({ url, poolSize: 4 });
    const load = await loadSyntheticLog(new PostgresEventStore(pool), { targetEvents: Number(process.env.EVENTS || 100000), meanDisbursements: 120, window: 48, appenders: 3, chunk: [10, 40], traceDisbursements: 10000, seed: 6 });
    await pool.query('VACUUM ANALYZE events'); await pool.end();
    const res = {};
    for (let rep = 0; rep < Number(process.env.REPS || 3); rep++) {
      const scan = await runWorker({ kind: 'scan.raw', url });
      (res.scan ??= []).push(Math.round(scan.perSecond));
      for (const b of sizes) {
        const r = await runCli(['rebuild', '--fresh', '--batch-size', b], { DATABASE_URL: url });
        const m = /from (\d+) events.* in ([\d.]+) s/.exec(r.stdout);
        (res[`batch ${b} ev/s`] ??= []).push(Math.round(Number(m[1]) / Number(m[2])));
        (res[`batch ${b} rss`] ??= []).push(Math.round(r.peakRssMb));
      }
    }
    for (const [k, v] of Object.entries(res)) console.log(k.padEnd(20), v.join(' '));
  } finally { await server.close(); }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
