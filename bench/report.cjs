// `npm run bench:report`: rewrites the figures of docs/PERFORMANCE.md from the committed run in
// bench/results/latest.json (and the growth table from bench/results/growth.json, `npm run bench:growth`,
// when that file is there). Only the text between `<!-- generated:NAME -->` and
// `<!-- /generated -->` is written; the prose around it is left alone.
// Plain CommonJS so it runs without a build, from the command line and from Jest alike.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const DOCUMENT = join('docs', 'PERFORMANCE.md');
const RESULTS = join('bench', 'results', 'latest.json');
const GROWTH = join('bench', 'results', 'growth.json');
const BLOCK = /<!-- generated:([a-z0-9-]+) -->\n([\s\S]*?)<!-- \/generated -->/g;

/** latest.json, with the growth run (growth.json) under `growth` when there is one. */
function readResults(root) {
  const results = JSON.parse(readFileSync(join(root, RESULTS), 'utf8'));
  if (!existsSync(join(root, GROWTH))) return results;
  return { ...results, growth: JSON.parse(readFileSync(join(root, GROWTH), 'utf8')) };
}

// ---- formatting ------------------------------------------------------------------------------

function finite(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`not a recorded number: ${JSON.stringify(value)}`);
  return value;
}

/** 4758.17 → "4,758"; whole numbers grouped by thousands. */
function whole(value) {
  return Math.round(finite(value)).toLocaleString('en-US');
}

function fixed(value, decimals) {
  return finite(value).toFixed(decimals);
}

/** A value in its unit: rates whole, milliseconds and megabytes with one or two decimals. */
function inUnit(value, unit) {
  if (unit === 'ms' || unit === 'MB') return fixed(value, value < 10 ? 2 : 1);
  return whole(value);
}

/** "2026-12-03T07:22:08.123Z" → "2026-12-03 07:22 UTC". */
function when(iso) {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(String(iso));
  if (!match) throw new Error(`not a recorded instant: ${JSON.stringify(iso)}`);
  return `${match[1]} ${match[2]} UTC`;
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function scenarioNamed(results, name) {
  const found = results.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`bench/results/latest.json has no scenario ${name}`);
  return found;
}

// ---- blocks ------------------------------------------------------------------------------------

const BLOCKS = {
  run(results) {
    const m = results.machine;
    const load = m.loadAverage1m;
    return [
      `\`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test ${m.command}\`, started ${when(m.startedAt)}, ${whole(m.seconds)} s`,
      `(profile ${m.profile}; ${whole(m.logEvents)} events in the loaded log). Machine: ${m.cpus} × ${m.cpuModel} vCPU,`,
      `${fixed(m.memoryGb, 1)} GB, Node ${m.node}, PostgreSQL ${m.postgres} (${m.store}).`,
      `**Shared and loaded:** other sessions' builds and tests ran on the same 2 cores throughout; the`,
      `1-minute load average was ${fixed(load.atStart, 2)} at the start and ${fixed(load.atEnd, 2)} at the end`,
      `(at each phase: ${load.samples.map((v) => fixed(v, 2)).join(', ')}). Absolute rates are low and noisy for`,
      `that reason; the ratios pair two measurements taken one after the other in the same round.`,
    ].join('\n');
  },

  results(results) {
    const rows = results.scenarios.map((s) => {
      const perRound = s.ratios ? s.ratios.map((r) => fixed(r, 2)) : s.values.map((v) => inUnit(v, s.unit));
      const spread = s.ratios ? `${fixed(s.spread.min, 2)}–${fixed(s.spread.max, 2)}` : `${inUnit(s.spread.min, s.unit)}–${inUnit(s.spread.max, s.unit)}`;
      return [
        s.name,
        `${inUnit(s.value, s.unit)} ${s.unit}`,
        s.baseline ? `${s.baseline.name}: ${inUnit(s.baseline.value, s.unit)}` : '—',
        s.ratio === undefined ? '—' : fixed(s.ratio, 2),
        `${s.rounds}: ${perRound.join(' / ')}`,
        `${spread} (${fixed(finite(s.spread.relative) * 100, 0)} %)`,
        `${s.goal.metric} ${s.goal.op} ${s.goal.target}`,
        s.met ? 'yes' : 'NO',
      ];
    });
    return table(
      ['scenario', 'value (median)', 'baseline (median)', 'ratio (median of rounds)', "rounds: each round's ratio, or value", 'spread', 'goal', 'met'],
      rows,
    );
  },

  'per-command'(results) {
    const bus = scenarioNamed(results, 'append.command-bus');
    const peer = scenarioNamed(results, 'append.peer-emmett');
    const stock = results.diagnostics?.['append.emmett stock DeciderCommandHandler (one round)'];
    const work = bus.details.perCommand;
    const row = (side, rate, w, cpu) => [
      side,
      rate,
      fixed(w.statements, 2),
      fixed(w.reads, 2),
      fixed(w.appends, 2),
      fixed(w.transactionControl, 2),
      whole(cpu),
    ];
    const rows = [
      row('raw INSERT, named prepared statement (baseline of append.command-bus)', whole(bus.baseline.value), work.raw, bus.details.raw.clientCpuMicrosPerOp),
      row('FundTrail command bus (cached aggregate, decide, hash chain, append)', whole(bus.value), work.fundtrail, bus.details.fundtrail.clientCpuMicrosPerOp),
      row(
        'Emmett peer: cached state, `appendToStream` with the expected version',
        whole(peer.baseline.value),
        peer.details.perCommand.emmett,
        peer.details.emmett.clientCpuMicrosPerOp,
      ),
    ];
    if (stock)
      rows.push(
        row('Emmett stock `DeciderCommandHandler` (diagnostic, one round)', whole(stock.commandsPerSecond), stock.perCommand, stock.clientCpuMicrosPerOp),
      );
    return [
      table(['side', 'per second (median)', 'statements / command', 'reads', 'appends', 'BEGIN/COMMIT', 'client CPU µs / command'], rows),
      '',
      `Counted in each worker process over the timed window (every \`pg\` \`Client.query\`, sorted by what it does),`,
      `medians over the rounds. \`baseline.prepared: ${bus.baseline.prepared}\`; \`baseline.extraReads: ${peer.baseline.extraReads}\` (the peer's reads per command minus FundTrail's).`,
    ].join('\n');
  },

  diagnostics(results) {
    const d = results.diagnostics ?? {};
    const lines = [];
    const noKey = d['append.http without Idempotency-Key (one round)'];
    const http = scenarioNamed(results, 'append.http');
    if (noKey) {
      lines.push(
        `- append.http without \`Idempotency-Key\` (one round): ${whole(noKey.perSecond)} requests/s, ${fixed(noKey.apiCpuMsPerRequest, 2)} ms API CPU per request` +
          ` (with the key, per round: ${http.details.apiCpuMsPerRequest.map((v) => fixed(v, 2)).join(' / ')} ms).`,
      );
    }
    const underLoad = d['query.figures under load (8 connections, one round)'];
    if (underLoad)
      lines.push(
        `- figures under load, 8 connections (one round): ${whole(underLoad.perSecond)} requests/s, p50 ${fixed(underLoad.p50, 1)} ms, p99 ${fixed(underLoad.p99, 1)} ms, ${whole(underLoad.non2xx)} non-2xx.`,
      );
    const loaded = d['append.command-bus on the loaded log'];
    if (loaded)
      lines.push(
        `- command bus on the loaded log (${whole(loaded.logEvents)} events, one round): ${whole(loaded.commandsPerSecond)} commands/s vs raw ${whole(loaded.rawInsertsPerSecond)} inserts/s (${fixed(loaded.ratio, 2)}).`,
      );
    const load = d.load;
    if (load)
      lines.push(
        `- the loaded log: ${whole(load.events)} events, ${whole(load.projects)} projects, ${whole(load.bonds)} bonds, ${fixed(load.eventsPerAppend, 1)} events per append, ${whole(load.eventsPerSecond)} events/s.`,
      );
    const micro = d.microCostsMicros;
    if (micro && typeof micro === 'object') {
      const costs = Object.entries(micro).filter(([k, v]) => k.endsWith('Micros') && typeof v === 'number');
      lines.push(`- CPU per event, µs (one core, one round): ${costs.map(([k, v]) => `${k.slice(0, -'Micros'.length)} ${fixed(v, 1)}`).join(', ')}.`);
    }
    if (results.errors?.length) lines.push(`- problems the run reported: ${results.errors.length} (see \`errors\` in the results file).`);
    return lines.join('\n');
  },

  growth(results) {
    return growthBlock(results.growth);
  },
};

/** The rows of the growth table, in this order; each a scenario of every step. */
const GROWTH_ROWS = [
  ['rebuild', (s) => `${whole(s.value)} events/s (${fixed(finite(s.ratio), 2)}× raw scan)`],
  ['rebuild.rss', (s) => `${inUnit(s.value, s.unit)} MB`],
  ['verify', (s) => `${whole(s.value)} events/s (${fixed(finite(s.ratio), 2)}× raw scan)`],
  ['query.figures.p99', (s) => `${inUnit(s.value, s.unit)} ms`],
  ['trace.10k', (s) => `${inUnit(s.value, s.unit)} ms`],
];

/** 3.996 → "4×", 1.5 → "1.5×": a step's size against the first. */
function times(value) {
  const rounded = Math.round(finite(value) * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)}×`;
}

/** The growth table: each read-side cost at each log size, and the last size's value over the first's. */
function growthBlock(growth) {
  if (!growth) return 'No growth run is committed yet: `npm run bench:growth` writes `bench/results/growth.json`, then `npm run bench:report`.';
  const steps = growth.steps;
  if (!Array.isArray(steps) || steps.length < 2) throw new Error('bench/results/growth.json: a growth run needs at least two steps');
  const first = finite(steps[0].logEvents);
  const last = steps[steps.length - 1];
  const header = [
    'scenario',
    ...steps.map((step) => `${whole(step.logEvents)} events (${times(step.logEvents / first)})`),
    `${times(last.logEvents / first)} ÷ 1×`,
  ];
  const rows = GROWTH_ROWS.map(([name, cell]) => {
    const found = steps.map((step) => {
      const s = step.scenarios.find((x) => x.name === name);
      if (!s) throw new Error(`bench/results/growth.json: the step of ${step.logEvents} events has no scenario ${name}`);
      return s;
    });
    return [name, ...found.map(cell), `${fixed(found[found.length - 1].value / finite(found[0].value), 2)}`];
  });
  const m = growth.machine;
  return [
    `\`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test ${m.command}\`, started ${when(m.startedAt)}, ${whole(m.seconds)} s; ${m.rounds} rounds at each size,`,
    `medians; 1-minute load average ${fixed(m.loadAverage1m.atStart, 2)} at the start and ${fixed(m.loadAverage1m.atEnd, 2)} at the end.`,
    '',
    table(header, rows),
  ].join('\n');
}

/** The document with every generated block rewritten from `results`. */
function render(document, results) {
  const seen = new Map();
  const text = document.replace(BLOCK, (_whole, name) => {
    const block = BLOCKS[name];
    if (!block) throw new Error(`docs/PERFORMANCE.md: unknown generated block "${name}"`);
    seen.set(name, (seen.get(name) ?? 0) + 1);
    return `<!-- generated:${name} -->\n${block(results)}\n<!-- /generated -->`;
  });
  const wrong = Object.keys(BLOCKS).filter((name) => seen.get(name) !== 1);
  if (wrong.length > 0) throw new Error(`docs/PERFORMANCE.md: each generated block must appear once; not so for ${wrong.join(', ')}`);
  return text;
}

/** Rewrites docs/PERFORMANCE.md under `root` from its bench/results/latest.json; returns its path. */
function writeReport(root) {
  const file = join(root, DOCUMENT);
  writeFileSync(file, render(readFileSync(file, 'utf8'), readResults(root)));
  return file;
}

module.exports = { BLOCK_NAMES: Object.keys(BLOCKS), DOCUMENT, GROWTH, RESULTS, readResults, render, writeReport };

if (require.main === module) {
  const root = join(__dirname, '..');
  process.stdout.write(`bench: regenerated ${writeReport(root)} from ${join(root, RESULTS)}\n`);
}
