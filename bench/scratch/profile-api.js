// Profiles the API process under the append.http workload and GET figures (scratch; not part of the harness).
require('reflect-metadata');
const path = require('path');
const fs = require('fs');
const D = process.env.BENCH_DIST ? `${process.env.BENCH_DIST}/bench/src` : '/work/main/dist/bench/src';
const { openBenchServer, migrateFundtrail } = require(`${D}/database.js`);
const { startApi } = require(`${D}/processes.js`);
const { prefundProjects, httpAppend, figuresLatency, traceTiming } = require(`${D}/scenarios/http.js`);
const { loadSyntheticLog } = require(`${D}/synthetic.js`);
const { createPool, PostgresEventStore } = require('/work/main/dist/libs/event-store/src/index.js');
const { signToken } = require('/work/main/dist/libs/auth/src/index.js');
const { runCli } = require(`${D}/processes.js`);
(async () => {
  const mode = process.argv[2] || 'post';
  const dir = process.argv[3] || '/tmp/prof';
  fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true });
  const server = await openBenchServer('postgres://postgres@127.0.0.1:5432/test');
  try {
    const url = await server.createDatabase('prof');
    await migrateFundtrail(url);
    const secret = 'x'.repeat(40);
    const ids = Array.from({ length: 64 }, (_, i) => `http-${String(i).padStart(3, '0')}`);
    await prefundProjects(url, ids);
    let projects = [];
    let load;
    if (mode !== 'post') {
      const pool = createPool({ url, poolSize: 4 });
      load = await loadSyntheticLog(new PostgresEventStore(pool), { targetEvents: Number(process.env.EVENTS || 30000), meanDisbursements: 120, window: 48, appenders: 3, chunk: [10, 40], traceDisbursements: 10000, seed: 6 });
      await pool.query('VACUUM ANALYZE events'); await pool.end();
      projects = load.projects.filter((p) => p !== 'trace-10k');
      const r = await runCli(['rebuild', '--fresh'], { DATABASE_URL: url });
      console.log(r.stdout.trim());
    }
    const api = await startApi(url, secret, process.env.API_ENV ? JSON.parse(process.env.API_ENV) : {}, (process.env.COUNT ? ['--require', '/work/main/bench/scratch/count-pg.js'] : ['--cpu-prof', `--cpu-prof-dir=${dir}`]));
    const clerk = signToken({ sub: 'c', role: 'clerk' }, secret);
    const analyst = signToken({ sub: 'a', role: 'analyst' }, secret);
    const stat = () => { const f = fs.readFileSync(`/proc/${api.pid}/stat`, 'utf8').split(') ')[1].split(' '); return { u: Number(f[11]) / 100, s: Number(f[12]) / 100, vcs: 0 }; };
    const sched = () => fs.readFileSync(`/proc/${api.pid}/sched`, 'utf8').split('\n').filter((l) => /nr_switches|nr_voluntary|nr_involuntary|wait_sum|sum_exec_runtime/.test(l)).join(' | ').replace(/\s+/g, ' ');
    const s0 = stat(); const sc0 = sched();
    const t0 = api.cpuSeconds();
    if (mode === 'post') {
      const r = await httpAppend(api, url, { token: clerk, projectIds: ids, connections: 8, requests: Number(process.env.N || 3000), prefix: 'h-', idempotencyKey: process.env.NOKEY ? false : true });
      console.log(JSON.stringify({ perSecond: r.perSecond, cpuMs: r.apiCpuMsPerRequest, lat: r.latencyMs, st: r.statusCounts }));
    } else if (mode === 'get') {
      const r = await figuresLatency(api, analyst, projects, Number(process.env.N || 3000), 1);
      console.log(JSON.stringify(r), 'cpu ms/req', ((api.cpuSeconds() - t0) * 1000 / (Number(process.env.N || 3000) + 300)).toFixed(2));
    } else if (mode === 'trace') {
      const r = await traceTiming(api, signToken({ sub: 'a', role: 'auditor' }, secret), 'trace-10k', 5);
      console.log(JSON.stringify({ ...r, ms: r.ms }));
    }
    const s1 = stat(); console.log('utime', (s1.u - s0.u).toFixed(2), 'stime', (s1.s - s0.s).toFixed(2)); console.log('sched before', sc0); console.log('sched after ', sched());
    await api.stop();
  } finally { await server.close(); }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
