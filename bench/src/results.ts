/**
 * The harness's output: one record per scenario, ratios always `value / baseline.value`,
 * each with its goal. Pure code, shared by run.ts and the harness test.
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
  'append.command-bus': { metric: 'ratio', op: '>=', target: 0.6 },
  'append.peer-emmett': { metric: 'ratio', op: '>=', target: 1.0 },
  'append.http': { metric: 'ratio', op: '>=', target: 0.6 },
  rebuild: { metric: 'ratio', op: '>=', target: 0.25 },
  'rebuild.rss': { metric: 'value', op: '<=', target: 300 },
  'query.figures.p99': { metric: 'value', op: '<=', target: 5 },
  'trace.10k': { metric: 'value', op: '<=', target: 150 },
  verify: { metric: 'ratio', op: '>=', target: 0.25 },
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

export interface Baseline {
  name: string;
  value: number;
}

export interface ScenarioResult {
  name: ScenarioName;
  unit: Unit;
  value: number;
  baseline?: Baseline;
  /** value / baseline.value */
  ratio?: number;
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

export function scenario(
  name: ScenarioName,
  value: number,
  baseline?: Baseline,
  details?: Record<string, unknown>,
): ScenarioResult {
  if (!Number.isFinite(value)) throw new RangeError(`${name}: value must be a finite number, got ${value}`);
  const goal = GOALS[name];
  let ratio: number | undefined;
  if (baseline) {
    if (!Number.isFinite(baseline.value) || baseline.value <= 0) {
      throw new RangeError(`${name}: baseline ${baseline.name} must be a positive number, got ${baseline.value}`);
    }
    ratio = round(value / baseline.value, 4);
  }
  if (goal.metric === 'ratio' && ratio === undefined) throw new Error(`${name}: its goal is a ratio, so it needs a baseline`);
  const measured = goal.metric === 'ratio' ? (ratio as number) : value;
  const met = goal.op === '>=' ? measured >= goal.target : measured <= goal.target;
  return {
    name,
    unit: UNITS[name],
    value: round(value, 2),
    ...(baseline ? { baseline: { name: baseline.name, value: round(baseline.value, 2) }, ratio } : {}),
    goal,
    met,
    ...(details ? { details } : {}),
  };
}

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
    if (s.baseline !== undefined) {
      if (typeof s.baseline.name !== 'string' || s.baseline.name.length === 0) problems.push(`${where}: baseline.name must be a string`);
      if (typeof s.baseline.value !== 'number' || !(s.baseline.value > 0)) problems.push(`${where}: baseline.value must be a positive number`);
      if (typeof s.ratio !== 'number') problems.push(`${where}: a baseline needs a ratio`);
      else if (Math.abs(s.ratio - s.value / s.baseline.value) > 1e-3 * Math.max(1, s.ratio)) {
        problems.push(`${where}: ratio ${s.ratio} is not value / baseline.value (${s.value / s.baseline.value})`);
      }
    } else if (s.ratio !== undefined) problems.push(`${where}: a ratio needs a baseline`);
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

/** The table printed at the end of a run (and copied into docs/PERFORMANCE.md), as Markdown. */
export function formatTable(scenarios: readonly ScenarioResult[]): string {
  const header = ['scenario', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'goal', 'met'];
  const rows = scenarios.map((s) => [
    s.name,
    formatNumber(s.value, s.unit),
    s.unit,
    s.baseline?.name ?? '—',
    s.baseline ? formatNumber(s.baseline.value, s.unit) : '—',
    s.ratio === undefined ? '—' : s.ratio.toFixed(2),
    goalText(s.goal),
    s.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
