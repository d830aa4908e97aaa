require('reflect-metadata');
const DIST = '/work/main/dist';
const { openBenchServer, migrateFundtrail } = require(`${DIST}/bench/src/database.js`);
const { loadSyntheticLog } = require(`${DIST}/bench/src/synthetic.js`);
const { runCli } = require(`${DIST}/bench/src/processes.js`);
const { createPool, PostgresEventStore } = require(`${DIST}/libs/event-store/src/index.js`);
(async () => {
  const server = await openBenchServer('postgres://postgres@127.0.0.1:5432/test');
  try {
    const url = await server.createDatabase('rss'); await migrateFundtrail(url);
    const pool = createPool({ url, poolSize: 4 });
    await loadSyntheticLog(new PostgresEventStore(pool), { targetEvents: Number(process.env.EVENTS || 100000), meanDisbursements: 120, window: 48, appenders: 3, chunk: [10, 40], traceDisbursements: 10000, seed: 6 });
    await pool.end();
    for (let rep = 0; rep < 2; rep++) for (const opts of ['', '--max-old-space-size=96', '--max-semi-space-size=4']) {
      const r = await runCli(['rebuild', '--fresh'], { DATABASE_URL: url, NODE_OPTIONS: opts });
      const m = /from (\d+) events.* in ([\d.]+) s/.exec(r.stdout);
      console.log((opts || 'default').padEnd(28), 'code', r.code, 'ev/s', m ? Math.round(Number(m[1]) / Number(m[2])) : r.stderr.slice(-300), 'rss', r.peakRssMb.toFixed(0));
    }
  } finally { await server.close(); }
  process.exit(0);
})();
