/**
 * `reconcile <dataset | reportId>`: a published report held against the log, with the same function
 * as GET /api/reports/:id/reconciliation (reconcilePublishedReport), rendered for a terminal or as the
 * committed document. A data set's name is the id of the report `seed` publishes from its stated
 * figures; a data set not yet seeded is reconciled from its file, every project then missing from the log.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { EventStore } from '@fundtrail/event-store';
import type { ReportPublished, StatedScope } from '@fundtrail/funding';
import { groupThousands, statedUnitSuffix } from '@fundtrail/money';
import {
  datasetReport,
  type KnownAt,
  readPublishedReport,
  reconcilePublishedReport,
  type ReconciliationRow,
  type ReconciliationSum,
  type ReportReconciliation,
} from '@fundtrail/projections';
import { readDataset, seedsDirectory } from './dataset';

export interface CliReconciliation {
  /** What was asked for: a data set's name or a report id. */
  target: string;
  title: string;
  /** The report came from the log (published), or from the data set's file (not seeded yet). */
  published: boolean;
  /** Projects the report's project scopes name, with their name in the report and a numeral (一 …), in report order. */
  projects: { id: string; name: string; numeral: string }[];
  /** Projects the report names that have no event in the log. */
  missingProjects: string[];
  /** The data set's own notes on its stated figures, by statedId (a report keeps none). */
  notes: ReadonlyMap<string, string>;
  reconciliation: ReportReconciliation;
}

export class ReconcileTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReconcileTargetError';
  }
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

function datasetExists(name: string): boolean {
  try {
    return existsSync(join(seedsDirectory(name), name, 'stated-figures.json'));
  } catch {
    return false;
  }
}

/** Reconciles the report `target` (or the data set of that name) against the log held by `store`. */
export async function reconcileTarget(
  target: string,
  database: { store: EventStore; pool: Pool },
  knownAt?: { text: string; time: KnownAt },
): Promise<CliReconciliation> {
  const dataset = datasetExists(target) ? readDataset(target) : undefined;
  const stored = /^[a-z0-9][a-z0-9-]{1,63}$/.test(target) ? await readPublishedReport(database.store, target) : undefined;
  const report: ReportPublished['data'] | undefined = stored ?? (dataset && datasetReport(dataset.figures, { reportId: target, title: dataset.title }));
  if (report === undefined) throw new ReconcileTargetError(`no report ${target} in the log and no data set ${target}`);
  const reconciliation = await reconcilePublishedReport(database.store, database.pool, report, knownAt);
  const ids = [...new Set(report.statedFigures.flatMap((f) => ('projectId' in f.scope ? [f.scope.projectId] : [])))];
  const projects = ids.map((id, index) => ({ id, name: dataset?.projectNames.get(id) ?? id, numeral: NUMERALS[index] ?? String(index + 1) }));
  const missingProjects = [
    ...new Set(
      reconciliation.rows.filter((r) => r.status === 'not-derivable' && /is not in the log$/.test(r.reason ?? '')).map((r) => projectOf(r.scope) ?? ''),
    ),
  ].filter((id) => id !== '');
  const notes = new Map((dataset?.figures ?? []).flatMap((f) => (f.note === undefined ? [] : [[f.id, f.note] as const])));
  return { target, title: report.title, published: stored !== undefined, projects, missingProjects, notes, reconciliation };
}

function projectOf(scope: StatedScope): string | undefined {
  return 'projectId' in scope ? scope.projectId : undefined;
}

// ---------------------------------------------------------------- values as a reader wants them

/** A value in its stated unit, grouped, with the unit's suffix ("111,969.89万元", "74.2552…%"). */
function shown(value: string | null, unit: string): string {
  if (value === null) return '—';
  const suffix = statedUnitSuffix(unit);
  const digits = value.split('.')[1] ?? '';
  const text = digits.length > 6 ? `${value.slice(0, value.length - digits.length + 6)}…` : value;
  return `${groupThousands(text)}${suffix}`;
}

const signed = (text: string): string => (text.startsWith('-') ? `−${text.slice(1)}` : `+${text}`);

function differenceText(difference: string | undefined, unit: string): string {
  if (difference === undefined) return '';
  return `${signed(groupThousands(difference))}${unit === 'percent' ? ' pp' : statedUnitSuffix(unit)}`;
}

const STATUS_TEXT: Record<ReconciliationRow['status'] | ReconciliationSum['status'], string> = {
  match: 'match',
  'within-printed-precision': 'within printed precision',
  mismatch: 'MISMATCH',
  'not-derivable': 'not derivable',
  'not-keyed': 'not keyed',
  'adds-up': 'adds up',
  'does-not-add-up': 'DOES NOT ADD UP',
};

function detail(row: ReconciliationRow): string {
  if (row.status === 'mismatch') return `${differenceText(row.difference, row.unit)}${row.reason === 'truncated' ? ' (truncated)' : ''}`;
  if (row.status === 'not-derivable') return row.reason ?? '';
  return '';
}

// ---------------------------------------------------------------- the terminal table

/** East Asian wide characters take two columns on a terminal. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return columns;
}

function pad(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - width(text)));
}

function table(header: string[], cells: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]))));
  const format = (c: string[]) => `  ${c.map((text, i) => (i === c.length - 1 ? text : pad(text, widths[i]))).join('  ')}`.trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...cells.map(format)];
}

export function summaryLine(r: ReportReconciliation): string {
  const s = r.summary;
  return (
    `${r.rows.length} stated figures: ${s.match} match, ${s.withinPrintedPrecision} within printed precision, ${s.mismatch} mismatch, ` +
    `${s.notDerivable} not derivable, ${s.notKeyed} not keyed; ${r.sums.length} stated totals: ${s.sumsAddUp} add up, ` +
    `${s.sumsWithinPrintedPrecision} within printed precision, ${s.sumsDoNotAddUp} do not add up`
  );
}

/** Rows grouped by the project (or other scope) they are about, in report order. */
function groups(result: CliReconciliation): { heading: string; rows: ReconciliationRow[] }[] {
  const out: { heading: string; rows: ReconciliationRow[] }[] = [];
  for (const project of result.projects) {
    const rows = result.reconciliation.rows.filter((r) => projectOf(r.scope) === project.id);
    if (rows.length > 0) out.push({ heading: `${project.numeral}、${project.name} (${project.id})`, rows });
  }
  const other = result.reconciliation.rows.filter((r) => projectOf(r.scope) === undefined);
  if (other.length > 0) out.push({ heading: 'programmes and portfolio', rows: other });
  return out;
}

/** The human table (terminal). */
export function renderTable(result: CliReconciliation): string {
  const r = result.reconciliation;
  const lines: string[] = [`${result.title} (${result.target}) — as of ${r.asOfEffective ?? 'every effective date'}, known at ${r.knownAt ?? 'now'}`];
  for (const group of groups(result)) {
    lines.push('', group.heading);
    lines.push(
      ...table(
        ['status', 'figure', 'key', 'stated', 'recomputed', 'difference / reason'],
        group.rows.map((row) => [
          STATUS_TEXT[row.status],
          row.statedId,
          row.key ?? '(no key)',
          shown(row.stated, row.unit),
          shown(row.recomputed, row.unit),
          detail(row),
        ]),
      ),
    );
  }
  if (r.sums.length > 0) {
    lines.push('', 'stated totals against their stated parts');
    lines.push(
      ...table(
        ['status', 'total', 'stated', 'sum of the parts', 'difference'],
        r.sums.map((sum) => [
          STATUS_TEXT[sum.status],
          sum.statedId,
          shown(sum.stated, sum.unit),
          shown(sum.sumOfParts, sum.unit),
          differenceText(sum.difference, sum.unit),
        ]),
      ),
    );
  }
  lines.push('', summaryLine(r));
  if (result.missingProjects.length > 0) lines.push(`not in the log: ${result.missingProjects.join(', ')} (run: seed ${result.target})`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- the document

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/<dataset>-reconciliation.md: deterministic (no positions, times or ids that vary by store). */
export function renderMarkdown(result: CliReconciliation): string {
  const r = result.reconciliation;
  const s = r.summary;
  const byId = new Map(r.rows.map((row) => [row.statedId, row]));
  const numeral = new Map(result.projects.map((p) => [p.id, p]));
  const about = (row: ReconciliationRow) => {
    const project = numeral.get(projectOf(row.scope) ?? '');
    return project ? `${project.numeral}、${project.name}` : JSON.stringify(row.scope);
  };
  const out: string[] = [
    `# ${result.target}: reconciliation of the report against the FundTrail log`,
    '',
    `<!-- Generated by \`npm run -s cli -- reconcile ${result.target} --markdown\` (npm run reconciliation:doc). Do not edit by hand: regenerate it. -->`,
    '',
    `Generated by the CLI from the event log, not typed by hand. Report: **${result.title}** ` +
      `(\`seeds/${result.target}/report.zh.txt\`); data set: \`seeds/${result.target}/commands.json\` (the report as commands, each with its citation, ` +
      `every amount in 万元 with the precision it is printed to) and \`seeds/${result.target}/stated-figures.json\` (every figure the report states), ` +
      `which \`seed\` publishes as the report \`${r.reportId}\`. The rows are those of \`GET /api/reports/${r.reportId}/reconciliation\`, computed by the same function. ` +
      'To regenerate it, `npm run reconciliation:doc`, which loads the data set into a fresh store that holds nothing else and runs `reconcile`:',
    '',
    '```sh',
    'export FUNDTRAIL_DATA_DIR=$(mktemp -d)   # a fresh embedded store (or DATABASE_URL=<an empty database>)',
    `npm run -s cli -- seed ${result.target}`,
    `npm run -s cli -- reconcile ${result.target} --markdown > docs/${result.target}-reconciliation.md`,
    '```',
    '',
    'How each stated figure is checked (docs/RECONCILIATION.md explains the rules):',
    '',
    "- **Recomputed from the log** with the projection's own formula chain, as of the report's 截至 date " +
      `(${r.asOfEffective ?? 'none given: every effective date'}) and as known ${r.knownAt === null ? 'now' : `at ${r.knownAt}`}.`,
    '- **match**: the recomputed value, rounded half-up to the decimals the report prints in its unit, is the stated value.',
    '- **within printed precision**: it is not, but every amount the log holds was entered in 万元 to the decimals the report prints, so it is known only to half its last digit; ' +
      'carried through the formula as an interval, the recomputed value can round to the stated one. The report rounded; it is not wrong.',
    '- **mismatch**: neither; `truncated` when cutting the recomputed value instead of rounding it gives the stated one.',
    '- **not derivable**: a fact behind the figure is not in the report (never back-solved from a stated rate); **not keyed**: no figure key expresses it.',
    '- **Stated totals** (`sumOf`) are also checked against the sum of the parts the report prints: adds up, within printed precision, or does not add up.',
    '',
    '## Summary',
    '',
    '| check | count |',
    '|---|---|',
    `| stated figures | ${r.rows.length} |`,
    `| match | ${s.match} |`,
    `| within printed precision | ${s.withinPrintedPrecision} |`,
    `| **mismatch** | ${s.mismatch} |`,
    `| **not derivable** (a fact is missing) | ${s.notDerivable} |`,
    `| not keyed (printed, no figure key expresses it) | ${s.notKeyed} |`,
    `| stated totals: add up | ${s.sumsAddUp} |`,
    `| stated totals: within printed precision | ${s.sumsWithinPrintedPrecision} |`,
    `| stated totals: **do not add up** | ${s.sumsDoNotAddUp} |`,
    '',
  ];
  if (result.missingProjects.length > 0) {
    out.push(`> **Warning:** ${result.missingProjects.length} project(s) of the report are not in the log: ${result.missingProjects.join(', ')}.`, '');
  }
  const rowBlock = (row: ReconciliationRow): string[] => {
    const lines = [
      `#### ${about(row)} — \`${row.statedId}\`${row.key ? ` (\`${row.key}\`)` : ''}`,
      '',
      `- stated: **${shown(row.stated, row.unit)}** — 「${row.citation.quote}」 (${row.citation.section})`,
    ];
    if (row.recomputed !== null)
      lines.push(`- recomputed from the log: **${shown(row.recomputed, row.unit)}**${row.recomputedYuan ? ` (${groupThousands(row.recomputedYuan)} 元)` : ''}`);
    if (row.status === 'mismatch') lines.push(`- difference (stated − recomputed): **${detail(row)}**`);
    if (row.status === 'not-derivable') lines.push(`- not derivable: **${row.reason}**`);
    lines.push(`- arithmetic: ${row.arithmetic}`);
    if (result.notes.has(row.statedId)) lines.push(`- note: ${result.notes.get(row.statedId)}`);
    lines.push('');
    return lines;
  };
  const sumBlock = (sum: ReconciliationSum): string[] => {
    const total = byId.get(sum.statedId)!;
    return [
      `#### ${about(total)} — \`${sum.statedId}\``,
      '',
      `- stated: **${shown(sum.stated, sum.unit)}** — 「${total.citation.quote}」 (${total.citation.section})`,
      `- stated parts: ${sum.parts.map((id) => `${shown(byId.get(id)!.stated, byId.get(id)!.unit)} (\`${id}\`)`).join(' + ')}`,
      ...(sum.difference !== undefined ? [`- difference (stated − sum of the parts): **${differenceText(sum.difference, sum.unit)}**`] : []),
      `- arithmetic: ${sum.arithmetic}`,
      ...(result.notes.has(sum.statedId) ? [`- note: ${result.notes.get(sum.statedId)}`] : []),
      '',
    ];
  };
  const section = <T>(title: string, items: T[], block: (item: T) => string[]) => {
    out.push(`### ${title} (${items.length})`, '');
    if (items.length === 0) out.push('None.', '');
    out.push(...items.flatMap(block));
  };
  out.push('## Findings', '');
  section(
    'Stated figures the log does not reproduce',
    r.rows.filter((x) => x.status === 'mismatch'),
    rowBlock,
  );
  section(
    'Stated figures within printed precision: the report rounded',
    r.rows.filter((x) => x.status === 'within-printed-precision'),
    rowBlock,
  );
  section(
    'Stated totals that are not the sum of their own stated parts',
    r.sums.filter((x) => x.status === 'does-not-add-up'),
    sumBlock,
  );
  section(
    'Stated totals within the printed precision of their parts',
    r.sums.filter((x) => x.status === 'within-printed-precision'),
    sumBlock,
  );
  section(
    'Stated figures that cannot be derived: a fact is missing',
    r.rows.filter((x) => x.status === 'not-derivable'),
    rowBlock,
  );

  out.push('## Every keyed stated figure, by project', '');
  for (const group of groups(result)) {
    const rows = group.rows.filter((row) => row.status !== 'not-keyed');
    if (rows.length === 0) continue;
    out.push(`### ${group.heading}`, '');
    out.push('| figure | key | stated | recomputed | status | difference / reason | arithmetic |', '|---|---|---|---|---|---|---|');
    for (const row of rows) {
      const status = row.status === 'match' ? 'match' : `**${STATUS_TEXT[row.status].toLowerCase()}**`;
      out.push(
        `| \`${row.statedId}\` | \`${row.key}\` | ${cell(shown(row.stated, row.unit))} | ${cell(shown(row.recomputed, row.unit))} | ${status} | ${cell(detail(row))} | ${cell(row.arithmetic)} |`,
      );
    }
    out.push('');
  }
  out.push(`## Stated totals against their stated parts (${r.sums.length})`, '');
  out.push('| total | stated | sum of the parts | status | arithmetic |', '|---|---|---|---|---|');
  for (const sum of r.sums) {
    const status = sum.status === 'adds-up' ? 'adds up' : `**${STATUS_TEXT[sum.status].toLowerCase()}**`;
    out.push(`| \`${sum.statedId}\` | ${cell(shown(sum.stated, sum.unit))} | ${cell(shown(sum.sumOfParts, sum.unit))} | ${status} | ${cell(sum.arithmetic)} |`);
  }
  out.push('');
  const keyless = r.rows.filter((row) => row.status === 'not-keyed');
  out.push(`## Printed figures no figure key expresses (${keyless.length}, not checked against the log)`, '');
  out.push('| project | figure | stated | why no key | citation |', '|---|---|---|---|---|');
  for (const row of keyless) {
    out.push(
      `| ${numeral.get(projectOf(row.scope) ?? '')?.numeral ?? ''} | \`${row.statedId}\` | ${cell(shown(row.stated, row.unit))} | ${cell(result.notes.get(row.statedId) ?? '')} | ${cell(`${row.citation.section} 「${row.citation.quote}」`)} |`,
    );
  }
  out.push('');
  return out.join('\n');
}
