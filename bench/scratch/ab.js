// A/B: the same scenarios from two compiled trees (dist vs a prototype copy), interleaved, on one loaded database.
// Usage: node bench/scratch/ab.js <protoName> <scenarios: rebuild,verify,bus,post,get,trace> [repeats]
require('reflect-metadata');
const DIST = process.env.BASE_DIST || '/work/main/bench/scratch/proto-base/dist';
const { openBenchServer, migrateFundtrail } = require(`${DIST}/bench/src/database.js`);
const { loadSyntheticLog } = require(`${DIST}/bench/src/synthetic.js`);
const http = require(`${DIST}/bench/src/scenarios/http.js`);
const { median } = require(`${DIST}/bench/src/stats.js`);
const { createPool, PostgresEventStore } = require(`${DIST}/libs/event-store/src/index.js`);
const { signToken } = require(`${DIST}/libs/auth/src/index.js`);
(async () => {
  const [proto, which = 'rebuild,verify,bus,post,get,trace', repeats = '3'] = process.argv.slice(2);
  const variants = { base: DIST, [proto]: `/work/main/bench/scratch/proto-${proto}/dist` };
  const want = new Set(which.split(','));
  const server = await openBenchServer('postgres://postgres@127.0.0.1:5432/test');
  const out = {};
  const add = (k, v) => ((out[k] ??= []).push(v));
  try {
    const url = await server.createDatabase('ab');
    await migrateFundtrail(url);
    const pool = createPool({ url, poolSize: 4 });
    const load = await loadSyntheticLog(new PostgresEventStore(pool), { targetEvents: Number(process.env.EVENTS || 100000), meanDisbursements: 120, window: 48, appenders: 3, chunk: [10, 40], traceDisbursements: 10000, seed: 6 });
    await pool.query('VACUUM ANALYZE events'); await pool.end();
    const ids = Array.from({ length: 64 }, (_, i) => `http-${String(i).padStart(3, '0')}`);
    await http.prefundProjects(url, ids);
    const base = require(`${DIST}/bench/src/processes.js`);
    await base.runCli(['rebuild', '--fresh'], { DATABASE_URL: url });
    const projects = load.projects.filter((p) => p !== 'trace-10k');
    const secret = 's'.repeat(40);
    const tok = (role) => signToken({ sub: `b-${role}`, role }, secret);
    console.error(`loaded ${load.events} events`);
    for (let rep = 0; rep < Number(repeats); rep++) {
      if (want.has('rebuild') || want.has('verify')) {
        const scan = await base.runWorker({ kind: 'scan.raw', url });
        add('scan ev/s', scan.perSecond);
      }
      for (const [name, dist] of Object.entries(variants)) {
        const P = require(`${dist}/bench/src/processes.js`);
        if (want.has('rebuild')) {
          const r = await P.runCli(['rebuild', '--fresh', ...(process.env.BATCH ? ['--batch-size', process.env.BATCH] : [])], { DATABASE_URL: url });
          const m = /from (\d+) events.* in ([\d.]+) s/.exec(r.stdout);
          if (!m) throw new Error(r.stderr + r.stdout);
          add(`${name} rebuild ev/s`, Number(m[1]) / Number(m[2]));
          add(`${name} rebuild rss`, r.peakRssMb);
        }
        if (want.has('verify')) {
          const v = await P.runWorker({ kind: 'verify', url });
          if (!v.ok) throw new Error('verify not ok');
          add(`${name} verify ev/s`, v.perSecond);
        }
        if (want.has('bus')) {
          const raw = await P.runWorker({ kind: 'append.raw', url, writers: 8, warmupMs: 1000, durationMs: 5000, round: `${name}${rep}` });
          const b = await P.runWorker({ kind: 'append.command-bus', url, writers: 8, warmupMs: 1000, durationMs: 5000, round: `${name}${rep}` });
          add(`${name} bus/raw`, b.perSecond / raw.perSecond);
          add(`${name} bus cmd/s`, b.perSecond);
          add(`${name} bus cpuµs`, b.cpuMicrosPerOp);
        }
        if (want.has('post') || want.has('get') || want.has('trace')) {
          const api = await P.startApi(url, secret);
          try {
            if (want.has('post')) {
              await http.httpAppend(api, url, { token: tok('clerk'), projectIds: ids, connections: 8, requests: 300, prefix: `w${name}${rep}-`, idempotencyKey: true });
              const r = await http.httpAppend(api, url, { token: tok('clerk'), projectIds: ids, connections: 8, requests: Number(process.env.POSTS || 2000), prefix: `p${name}${rep}-`, idempotencyKey: true });
              add(`${name} post req/s`, r.perSecond);
              add(`${name} post apiCpuMs`, r.apiCpuMsPerRequest);
            }
            if (want.has('get')) {
              const g = await http.figuresLatency(api, tok('analyst'), projects, Number(process.env.GETS || 1500), rep + 1);
              add(`${name} get p50`, g.p50);
              add(`${name} get p99`, g.p99);
            }
            if (want.has('trace')) {
              const t = await http.traceTiming(api, tok('auditor'), 'trace-10k', 3);
              add(`${name} trace ms`, t.median);
            }
          } finally { await api.stop(); }
        }
      }
      console.error(`rep ${rep}:`, Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v[v.length - 1] * 100) / 100])));
    }
  } finally { await server.close(); }
  for (const [k, v] of Object.entries(out)) console.log(k.padEnd(24), 'median', (Math.round(median(v) * 100) / 100).toString().padStart(9), ' all', v.map((x) => Math.round(x * 100) / 100).join(' '));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
