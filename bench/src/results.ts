/**
 * The harness's output: one record per scenario, each measured in at least three rounds; the
 * value is the median of the rounds' values, the ratio the median of the rounds' own
 * `value / baseline value`, each judged against its goal. Pure code, shared by run.ts, the
 * harness test and (through the results file) the docs generator.
 */

export const SCENARIO_NAMES = [
  'append.command-bus',
  'append.peer-emmett',
  'append.http',
  'rebuild',
  'rebuild.rss',
  'query.figures.p99',
  'trace.10k',
  'verify',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export type Unit = 'commands/s' | 'requests/s' | 'events/s' | 'MB' | 'ms';

/** What a scenario must reach: its ratio at least `target`, or its value at most `target`. */
export interface Goal {
  metric: 'ratio' | 'value';
  op: '>=' | '<=';
  target: number;
}

export const GOALS: Record<ScenarioName, Goal> = {
  'append.command-bus': { metric: 'ratio', op: '>=', target: 1.0 },
  'append.peer-emmett': { metric: 'ratio', op: '>=', target: 2.0 },
  'append.http': { metric: 'ratio', op: '>=', target: 0.6 },
  rebuild: { metric: 'ratio', op: '>=', target: 0.4 },
  'rebuild.rss': { metric: 'value', op: '<=', target: 300 },
  'query.figures.p99': { metric: 'value', op: '<=', target: 5 },
  'trace.10k': { metric: 'value', op: '<=', target: 150 },
  verify: { metric: 'ratio', op: '>=', target: 0.5 },
};

export const UNITS: Record<ScenarioName, Unit> = {
  'append.command-bus': 'commands/s',
  'append.peer-emmett': 'commands/s',
  'append.http': 'requests/s',
  rebuild: 'events/s',
  'rebuild.rss': 'MB',
  'query.figures.p99': 'ms',
  'trace.10k': 'ms',
  verify: 'events/s',
};

/** Every ratio and value is the median of at least this many rounds. */
export const MIN_ROUNDS = 3;

export interface Baseline {
  name: string;
  /** Median of `values`. */
  value: number;
  /** The baseline measured in each round, paired with the scenario's `values`. */
  values: number[];
  /** The raw INSERT baseline is a named (prepared) statement, as the product's append is. */
  prepared?: boolean;
  /** Reads per command the peer makes beyond what FundTrail makes (0: none forced on it). */
  extraReads?: number;
}

/** What the rounds of a baseline-less scenario, or of a ratio, ranged over. */
export interface Spread {
  min: number;
  max: number;
  /** (max - min) / median */
  relative: number;
}

export interface ScenarioResult {
  name: ScenarioName;
  unit: Unit;
  /** Median of `values`. */
  value: number;
  rounds: number;
  /** The scenario measured in each round. */
  values: number[];
  baseline?: Baseline;
  /** Each round's value / that round's baseline value. */
  ratios?: number[];
  /** Median of `ratios`. */
  ratio?: number;
  /** Of the ratios when there is a baseline, else of the values. */
  spread: Spread;
  goal: Goal;
  met: boolean;
  /** What the number was measured on (counts, sizes, checks); free-form. */
  details?: Record<string, unknown>;
}

export interface MachineInfo {
  [key: string]: unknown;
}

export interface BenchResults {
  machine: MachineInfo;
  scenarios: ScenarioResult[];
  /** Side measurements that explain the scenarios (round trips, CPU per command, growth). */
  diagnostics?: Record<string, unknown>;
}

/** Rounds to a few significant decimals so the JSON stays readable; ratios keep 4 decimals. */
export function round(value: number, decimals = 2): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The middle value (mean of the two middle ones for an even count). */
export function medianOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function spreadOf(values: readonly number[], decimals: number): Spread {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const middle = medianOf(values);
  return { min: round(min, decimals), max: round(max, decimals), relative: middle > 0 ? round((max - min) / middle, 4) : 0 };
}

export interface BaselineRounds {
  name: string;
  values: readonly number[];
  prepared?: boolean;
  extraReads?: number;
}

/** A scenario from its rounds: value and ratio are medians over rounds, each round's ratio against that round's baseline. */
export function scenario(name: ScenarioName, values: readonly number[], baseline?: BaselineRounds, details?: Record<string, unknown>): ScenarioResult {
  if (values.length === 0) throw new RangeError(`${name}: needs at least one round`);
  for (const value of values) if (!Number.isFinite(value)) throw new RangeError(`${name}: value must be a finite number, got ${value}`);
  const goal = GOALS[name];
  const rounded = values.map((v) => round(v, 2));
  let ratios: number[] | undefined;
  if (baseline) {
    if (baseline.values.length !== values.length) throw new RangeError(`${name}: ${values.length} rounds but ${baseline.values.length} baseline rounds`);
    for (const b of baseline.values) {
      if (!Number.isFinite(b) || b <= 0) throw new RangeError(`${name}: baseline ${baseline.name} must be a positive number, got ${b}`);
    }
    ratios = values.map((v, i) => round(v / baseline.values[i], 4));
  }
  if (goal.metric === 'ratio' && ratios === undefined) throw new Error(`${name}: its goal is a ratio, so it needs a baseline`);
  const ratio = ratios ? round(medianOf(ratios), 4) : undefined;
  const value = round(medianOf(rounded), 2);
  const measured = goal.metric === 'ratio' ? (ratio as number) : value;
  const met = goal.op === '>=' ? measured >= goal.target : measured <= goal.target;
  const baselineValues = baseline?.values.map((v) => round(v, 2));
  return {
    name,
    unit: UNITS[name],
    value,
    rounds: values.length,
    values: rounded,
    ...(baseline && baselineValues
      ? {
          baseline: {
            name: baseline.name,
            value: round(medianOf(baselineValues), 2),
            values: baselineValues,
            ...(baseline.prepared !== undefined ? { prepared: baseline.prepared } : {}),
            ...(baseline.extraReads !== undefined ? { extraReads: baseline.extraReads } : {}),
          },
          ratios,
          ratio,
        }
      : {}),
    spread: ratios ? spreadOf(ratios, 4) : spreadOf(rounded, 2),
    goal,
    met,
    ...(details ? { details } : {}),
  };
}

const close = (a: number, b: number, relative: number) => Math.abs(a - b) <= relative * Math.max(1, Math.abs(b));
const isNumberArray = (v: unknown, length: number): v is number[] =>
  Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Problems with a results document (empty when it is well-formed). */
export function validateResults(results: unknown): string[] {
  const problems: string[] = [];
  const doc = results as BenchResults;
  if (typeof doc !== 'object' || doc === null) return ['results must be an object'];
  if (typeof doc.machine !== 'object' || doc.machine === null) problems.push('machine must be an object');
  if (!Array.isArray(doc.scenarios)) return [...problems, 'scenarios must be an array'];
  const seen = new Set<string>();
  for (const s of doc.scenarios) {
    const where = `scenario ${JSON.stringify(s?.name)}`;
    if (!(SCENARIO_NAMES as readonly string[]).includes(s?.name)) problems.push(`${where}: unknown name`);
    if (seen.has(s.name)) problems.push(`${where}: listed twice`);
    seen.add(s.name);
    if (s.unit !== UNITS[s.name]) problems.push(`${where}: unit ${s.unit} should be ${UNITS[s.name]}`);
    if (typeof s.value !== 'number' || !Number.isFinite(s.value) || s.value < 0) problems.push(`${where}: value must be a non-negative number`);
    const rounds = s.rounds;
    const roundsOk = Number.isInteger(rounds) && rounds >= MIN_ROUNDS;
    if (!roundsOk) problems.push(`${where}: rounds must be an integer of at least ${MIN_ROUNDS}`);
    const valuesOk = roundsOk && isNumberArray(s.values, rounds);
    if (roundsOk && !valuesOk) problems.push(`${where}: values must hold one number per round (${rounds})`);
    if (valuesOk && typeof s.value === 'number' && !close(s.value, medianOf(s.values), 1e-3)) {
      problems.push(`${where}: value ${s.value} is not the median of values (${medianOf(s.values)})`);
    }
    if (s.baseline !== undefined) {
      if (typeof s.baseline.name !== 'string' || s.baseline.name.length === 0) problems.push(`${where}: baseline.name must be a string`);
      if (typeof s.baseline.value !== 'number' || !(s.baseline.value > 0)) problems.push(`${where}: baseline.value must be a positive number`);
      const baselineOk = roundsOk && isNumberArray(s.baseline.values, rounds) && s.baseline.values.every((b) => b > 0);
      if (roundsOk && !baselineOk) problems.push(`${where}: baseline.values must hold one positive number per round (${rounds})`);
      if (baselineOk && !close(s.baseline.value, medianOf(s.baseline.values), 1e-3))
        problems.push(`${where}: baseline.value is not the median of baseline.values`);
      if (typeof s.ratio !== 'number') problems.push(`${where}: a baseline needs a ratio`);
      if (roundsOk && !isNumberArray(s.ratios, rounds)) problems.push(`${where}: ratios must hold one number per round (${rounds})`);
      else if (valuesOk && baselineOk && s.ratios) {
        s.ratios.forEach((r, i) => {
          if (!close(r, s.values[i] / s.baseline!.values[i], 1e-3))
            problems.push(`${where}: round ${i + 1}'s ratio ${r} is not its value / baseline value (${s.values[i] / s.baseline!.values[i]})`);
        });
        if (typeof s.ratio === 'number' && !close(s.ratio, medianOf(s.ratios), 1e-4))
          problems.push(`${where}: ratio ${s.ratio} is not the median of ratios (${medianOf(s.ratios)})`);
      }
    } else if (s.ratio !== undefined || s.ratios !== undefined) problems.push(`${where}: a ratio needs a baseline`);
    const spreadOver = s.baseline !== undefined ? s.ratios : s.values;
    if (typeof s.spread !== 'object' || s.spread === null || typeof s.spread.min !== 'number' || typeof s.spread.max !== 'number') {
      problems.push(`${where}: spread must give min and max`);
    } else if (
      Array.isArray(spreadOver) &&
      spreadOver.length > 0 &&
      (!close(s.spread.min, Math.min(...spreadOver), 1e-3) || !close(s.spread.max, Math.max(...spreadOver), 1e-3))
    ) {
      problems.push(`${where}: spread is not the range of its rounds`);
    }
    if (s.name === 'append.command-bus' && s.baseline?.prepared !== true)
      problems.push(`${where}: the raw INSERT baseline must be a prepared statement (baseline.prepared: true)`);
    if (s.name === 'append.peer-emmett' && s.baseline?.extraReads !== 0) {
      problems.push(
        `${where}: the peer must make no read per command that FundTrail does not make (baseline.extraReads: 0, got ${JSON.stringify(s.baseline?.extraReads)})`,
      );
    }
    const goal = GOALS[s.name];
    if (goal && (s.goal?.metric !== goal.metric || s.goal?.op !== goal.op || s.goal?.target !== goal.target)) {
      problems.push(`${where}: goal should be ${JSON.stringify(goal)}`);
    }
    if (typeof s.met !== 'boolean') problems.push(`${where}: met must be a boolean`);
  }
  return problems;
}

function formatNumber(value: number, unit?: Unit): string {
  if (unit === 'ms' || unit === 'MB') return value.toFixed(value < 10 ? 2 : 1);
  return Math.round(value).toLocaleString('en-US');
}

function goalText(goal: Goal): string {
  return `${goal.metric} ${goal.op} ${goal.target}`;
}

/** The table printed at the end of a run, as Markdown (docs/PERFORMANCE.md is generated from the results by bench/report.cjs). */
export function formatTable(scenarios: readonly ScenarioResult[]): string {
  const header = ['scenario', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'rounds (ratio or value)', 'goal', 'met'];
  const rows = scenarios.map((s) => [
    s.name,
    formatNumber(s.value, s.unit),
    s.unit,
    s.baseline?.name ?? '—',
    s.baseline ? formatNumber(s.baseline.value, s.unit) : '—',
    s.ratio === undefined ? '—' : s.ratio.toFixed(2),
    (s.ratios ?? s.values).map((v) => (s.ratios ? v.toFixed(2) : formatNumber(v, s.unit))).join(' / '),
    goalText(s.goal),
    s.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
