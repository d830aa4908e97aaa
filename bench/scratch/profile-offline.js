// Profiles rebuild (CLI), verify and the command-bus worker on a loaded log (scratch; not part of the harness).
require('reflect-metadata');
const fs = require('fs');
const D = process.env.BENCH_DIST ? `${process.env.BENCH_DIST}/bench/src` : '/work/main/dist/bench/src';
const { openBenchServer, migrateFundtrail } = require(`${D}/database.js`);
const { runCli, runWorker } = require(`${D}/processes.js`);
const { loadSyntheticLog } = require(`${D}/synthetic.js`);
const { createPool, PostgresEventStore } = require('/work/main/dist/libs/event-store/src/index.js');
(async () => {
  const what = (process.argv[2] || 'rebuild,verify,bus').split(',');
  const dir = process.argv[3] || '/tmp/prof-off';
  fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true });
  const server = await openBenchServer('postgres://postgres@127.0.0.1:5432/test');
  try {
    const url = await server.createDatabase('prof');
    await migrateFundtrail(url);
    const pool = createPool({ url, poolSize: 4 });
    const load = await loadSyntheticLog(new PostgresEventStore(pool), { targetEvents: Number(process.env.EVENTS || 100000), meanDisbursements: 120, window: 48, appenders: 3, chunk: [10, 40], traceDisbursements: 10000, seed: 6 });
    await pool.query('VACUUM ANALYZE events'); await pool.end();
    console.log('loaded', load.events, 'in', load.seconds.toFixed(1), 's');
    const prof = (name) => (process.env.NOPROF ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}/${name}`]);
    for (let i = 0; i < Number(process.env.REPEAT || 1); i++) {
      const scan = await runWorker({ kind: 'scan.raw', url });
      console.log('scan', Math.round(scan.perSecond), 'ev/s cpu', scan.cpuSeconds.toFixed(2));
      if (what.includes('rebuild')) {
        const r = await runCli(['rebuild', '--fresh'], { DATABASE_URL: url }, 50, prof('rebuild'));
        console.log(r.stdout.trim(), 'rss', r.peakRssMb.toFixed(1));
      }
      if (what.includes('verify')) {
        const v = await runWorker({ kind: 'verify', url }, {}, prof('verify'));
        console.log('verify', Math.round(v.perSecond), 'ev/s ok', v.ok, 'cpu', v.cpuSeconds.toFixed(2), 's', v.seconds.toFixed(2));
      }
      if (what.includes('bus')) {
        const raw = await runWorker({ kind: 'append.raw', url, writers: 8, warmupMs: 1500, durationMs: 6000, round: `p${i}` });
        const b = await runWorker({ kind: 'append.command-bus', url, writers: 8, warmupMs: 1500, durationMs: 6000, round: `p${i}` }, {}, prof('bus'));
        console.log('raw', Math.round(raw.perSecond), 'bus', Math.round(b.perSecond), 'ratio', (b.perSecond / raw.perSecond).toFixed(2), 'cpuµs', Math.round(b.cpuMicrosPerOp), 'stmts', b.statementsPerOp);
      }
    }
  } finally { await server.close(); }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
