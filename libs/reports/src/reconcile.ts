/**
 * Reconciliation of a data set's stated figures (stated-figures.json) against the event log.
 *
 * Every figure is recomputed from the project's stream with the projection's own fold and formulas
 * (foldEvents → computeFigure; traceFigure for the arithmetic), never with a formula of its own:
 * - an amount matches when the stated 万元, converted exactly to fen, equals the recomputed amount;
 * - a rate matches when the recomputed ratio, rounded half-up to the stated number of decimals,
 *   equals the stated percent ("30" matches 30.00, "74.25" does not match 74.2552…);
 * - a figure without a value (no planned total, no contract …) or without a figure key is not derivable.
 * A stated total with `sumOf` is also checked against the sum of its stated parts (a second row,
 * check 'sum-of-parts'): the report can disagree with itself.
 */
import type { EventStore, RecordedEvent } from '@fundtrail/event-store';
import { projectStreamId } from '@fundtrail/funding';
import {
  formatDecimal,
  formatQuantity,
  formatWanDisplay,
  formatWanExact,
  formatYuan,
  formatYuanDisplay,
  groupThousands,
  parseYuan,
  ratePercent,
  samePercentAtPrecision,
} from '@fundtrail/money';
import { computeFigure, figureDefinition, foldEvents, knownTerms, traceFigure, type FigureTrace } from '@fundtrail/projections';
import { type Citation, readDataset, resolveFigureKey, type StatedFigure, statedUnits } from './dataset';

export type ReconcileStatus = 'match' | 'mismatch' | 'not-derivable';

/**
 * One line of the reconciliation. The first seven fields are the published reconciliation's shape; the rest are added.
 * Amounts are yuan strings, rates percent strings, output quantities decimal strings.
 */
export interface ReconcileRow {
  /** projectId */
  project: string;
  /** The figure key as the data set states it; null when no key expresses the figure. */
  key: string | null;
  stated: string;
  /** From the log ('log' rows) or the sum of the stated parts ('sum-of-parts' rows); null when not derivable. */
  recomputed: string | null;
  status: ReconcileStatus;
  /** stated − recomputed: yuan for amounts, percentage points at the stated precision for rates. */
  difference?: string;
  /** Not derivable: what is missing. */
  reason?: string;

  /** The stated figure's id in stated-figures.json. */
  id: string;
  /** 'log': stated vs the log; 'sum-of-parts': a stated total vs the sum of its stated parts. */
  check: 'log' | 'sum-of-parts';
  projectName: string;
  /** 'yuan', 'percent', or the report's unit of a quantity (个, 吨 …). */
  unit: string;
  /** The figure as the report prints it ("111,969.90万元", "74.25%"). */
  printed: string;
  /** NO_FIGURE_KEY: the report prints it but no figure expresses it; FACT_MISSING: the figure exists, a fact behind it is not in the log; NOT_IN_LOG: the project is not in the log. */
  reasonCode?: 'NO_FIGURE_KEY' | 'FACT_MISSING' | 'NOT_IN_LOG';
  /** The key in the log, when it differs from `key` (a bond assignment's receipt). */
  logKey?: string;
  formula?: string;
  /** Rates: the recomputed terms (yuan strings, or quantities for output_completion). */
  numerator?: string;
  denominator?: string;
  /** Rates: the recomputed ratio rounded half-up to the stated number of decimals. */
  recomputedAtStatedPrecision?: string;
  /** sum-of-parts: the parts, as stated. */
  parts?: { id: string; stated: string; printed: string }[];
  /** How the recomputed value comes about, with every addend. */
  arithmetic?: string;
  note?: string;
  citation: Citation;
}

export interface Reconciliation {
  dataset: string;
  title: string;
  /** projectId, report name and numeral (一 …), in report order. */
  projects: { id: string; name: string; numeral: string }[];
  rows: ReconcileRow[];
  /** Projects of the data set with no event in the log. */
  missingProjects: string[];
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

/** Recomputes every stated figure of `dataset` from the log held by `store`. */
export async function reconcileDataset(dataset: string, store: EventStore): Promise<Reconciliation> {
  const data = readDataset(dataset);
  const projects = [...data.projectNames].map(([id, name], index) => ({ id, name, numeral: NUMERALS[index] ?? String(index + 1) }));
  const streams = new Map<string, RecordedEvent[]>();
  for (const project of new Set(data.figures.map((f) => f.project))) {
    streams.set(project, await store.readStream(projectStreamId(project)));
  }
  const byId = new Map(data.figures.map((f) => [f.id, f]));
  const rows: ReconcileRow[] = [];
  for (const figure of data.figures) {
    const base = { project: figure.project, projectName: data.projectNames.get(figure.project) ?? figure.project, citation: figure.citation };
    rows.push(ordered({ ...base, ...againstLog(figure, streams.get(figure.project) ?? []) }));
    if (figure.sumOf) rows.push(ordered({ ...base, ...againstParts(figure, figure.sumOf.map((id) => byId.get(id)!)) }));
  }
  const missingProjects = [...streams].filter(([, events]) => events.length === 0).map(([id]) => id);
  return { dataset, title: data.title, projects, rows, missingProjects };
}

type RowBody = Omit<ReconcileRow, 'project' | 'projectName' | 'citation'>;

/** The published reconciliation's fields first, then the added ones, in a fixed order (absent ones left out). */
const FIELD_ORDER: (keyof ReconcileRow)[] = [
  'project', 'key', 'stated', 'recomputed', 'status', 'difference', 'reason',
  'id', 'check', 'projectName', 'unit', 'printed', 'reasonCode', 'logKey', 'formula', 'numerator', 'denominator',
  'recomputedAtStatedPrecision', 'parts', 'arithmetic', 'note', 'citation',
];

function ordered(row: ReconcileRow): ReconcileRow {
  const out: Record<string, unknown> = {};
  for (const field of FIELD_ORDER) if (row[field] !== undefined) out[field] = row[field];
  return out as unknown as ReconcileRow;
}

function common(figure: StatedFigure, check: ReconcileRow['check']): Pick<RowBody, 'id' | 'check' | 'key' | 'unit' | 'stated' | 'printed'> & { note?: string } {
  return {
    id: figure.id,
    check,
    key: figure.key,
    unit: figure.unit === 'wan-yuan' ? 'yuan' : figure.unit,
    stated: canonicalStated(figure),
    printed: printed(figure),
    ...(figure.note !== undefined && { note: figure.note }),
  };
}

/** A stated figure in the reconciliation's units: yuan string, percent as printed, quantity. */
function canonicalStated(figure: StatedFigure): string {
  if (figure.unit === 'wan-yuan') return formatYuan(statedUnits(figure).units);
  if (figure.unit === 'percent') return figure.stated;
  return formatQuantity(statedUnits(figure).units);
}

function printed(figure: StatedFigure): string {
  return `${figure.stated}${figure.unit === 'wan-yuan' ? '万元' : figure.unit === 'percent' ? '%' : figure.unit}`;
}

function againstLog(figure: StatedFigure, events: RecordedEvent[]): RowBody {
  const head = common(figure, 'log');
  if (figure.key === null) {
    return { ...head, recomputed: null, status: 'not-derivable', reasonCode: 'NO_FIGURE_KEY', reason: 'no figure key expresses this printed figure' };
  }
  const logKey = resolveFigureKey(figure.key);
  const definition = figureDefinition(logKey);
  if (definition === undefined) throw new Error(`${figure.id}: ${figure.key} is not a figure key`);
  const withLogKey = { ...head, ...(logKey !== figure.key && { logKey }), formula: definition.formula };
  if (events.length === 0) {
    return { ...withLogKey, recomputed: null, status: 'not-derivable', reasonCode: 'NOT_IN_LOG', reason: `project ${figure.project} is not in the log (load the data set first)` };
  }
  const terms = foldEvents(events);
  const computed = computeFigure(logKey, terms, events[events.length - 1].globalPosition);
  const trace = traceFigure(logKey, events);
  if (computed === undefined) {
    const what = definition.family === 'receipt_usage_rate' ? 'receipt' : definition.family === 'output_completion' ? 'indicator' : 'figure';
    return { ...withLogKey, recomputed: null, status: 'not-derivable', reasonCode: 'FACT_MISSING', reason: `${what} ${definition.parameter ?? logKey} not recorded` };
  }
  const rate = definition.unit === 'percent';
  const known = knownTerms(definition, terms.figures.get(logKey));
  const termText = (amount: bigint) => (definition.termUnit === 'fen' ? formatYuan(amount) : formatQuantity(amount));
  const ratio = rate
    ? {
        ...(known.numerator !== undefined && { numerator: termText(known.numerator) }),
        ...(known.denominator !== undefined && { denominator: termText(known.denominator) }),
      }
    : {};
  const arithmetic = trace ? describeTrace(trace, definition.termUnit, new Map(events.map((e) => [e.eventId, e]))) : undefined;
  if (computed.value === null) {
    return {
      ...withLogKey,
      ...ratio,
      recomputed: null,
      status: 'not-derivable',
      reasonCode: 'FACT_MISSING',
      reason: computed.reason ?? 'not known',
      ...(arithmetic !== undefined && { arithmetic }),
    };
  }
  if (!rate) {
    const stated = statedUnits(figure).units;
    const recomputed = parseYuan(computed.value, { allowZero: true, allowNegative: true });
    const same = stated === recomputed;
    const statedText = `stated ${figure.stated} 万元 = ${formatYuanDisplay(stated)} 元`;
    return {
      ...withLogKey,
      recomputed: computed.value,
      status: same ? 'match' : 'mismatch',
      ...(!same && { difference: formatYuan(stated - recomputed) }),
      arithmetic: `${arithmetic}; ${statedText}`,
    };
  }
  const { numerator, denominator } = known as { numerator: bigint; denominator: bigint };
  const decimals = statedUnits(figure).decimals ?? 0;
  const atPrecision = ratePercent(numerator, denominator, decimals)!;
  const same = samePercentAtPrecision(figure.stated, numerator, denominator);
  const difference = statedUnits(figure).units - BigInt(atPrecision.replace('.', ''));
  return {
    ...withLogKey,
    ...ratio,
    recomputed: computed.value,
    recomputedAtStatedPrecision: atPrecision,
    status: same ? 'match' : 'mismatch',
    ...(!same && { difference: formatDecimal(difference, decimals) }),
    arithmetic: `${arithmetic} = ${longPercent(numerator, denominator)}% → ${atPrecision}% at the stated ${decimals} decimal${decimals === 1 ? '' : 's'} (half-up); stated ${figure.stated}%`,
  };
}

function againstParts(figure: StatedFigure, parts: StatedFigure[]): RowBody {
  const head = common(figure, 'sum-of-parts');
  const sum = parts.reduce((total, part) => total + statedUnits(part).units, 0n);
  const stated = statedUnits(figure).units;
  const same = sum === stated;
  const money = figure.unit === 'wan-yuan';
  const text = (units: bigint) => (money ? formatYuan(units) : formatQuantity(units));
  const places = Math.max(...[figure, ...parts].map((f) => (f.stated.includes('.') ? f.stated.split('.')[1].length : 0)));
  const wan = (units: bigint) => (money ? `${formatWanDisplay(units, Math.min(places, 6))} 万元` : `${formatQuantity(units)}${figure.unit}`);
  const difference = stated - sum;
  return {
    ...head,
    recomputed: text(sum),
    status: same ? 'match' : 'mismatch',
    ...(!same && { difference: text(difference) }),
    formula: `Σ of the stated parts: ${parts.map((p) => p.id).join(' + ')}`,
    parts: parts.map((p) => ({ id: p.id, stated: canonicalStated(p), printed: printed(p) })),
    arithmetic:
      `${parts.map((p) => p.stated).join(' + ')} = ${wan(sum)}; stated ${printed(figure)}` +
      (same ? '' : `; difference ${signed(wan(difference))}${money ? ` (${signed(formatYuanDisplay(difference))} 元)` : ''}`),
  };
}

/**
 * The recomputed value with every addend, each named by what it comes from:
 * "received_total = 650,000,000.00 (bond …) + … = 1,119,698,900.00 元 (111,969.89 万元)", or for a rate
 * "execution_rate = (a + b = n) 元 / (c + d = d) 元".
 */
function describeTrace(trace: FigureTrace, termUnit: 'fen' | 'quantity', events: ReadonlyMap<string, RecordedEvent>): string {
  const money = termUnit === 'fen';
  const show = (text: string) => (money ? formatYuanDisplay(parseYuan(text, { allowZero: true, allowNegative: true })) : text);
  const unit = money ? ' 元' : '';
  const addend = (t: FigureTrace['terms'][number], first: boolean): string => {
    const negative = t.signedAmount.startsWith('-');
    const amount = show(negative ? t.signedAmount.slice(1) : t.signedAmount);
    const sign = first ? (negative ? '−' : '') : negative ? ' − ' : ' + ';
    return `${sign}${amount} (${origin(events.get(t.eventId), t.type)})`;
  };
  const term = (which: 'numerator' | 'denominator', bracket: boolean): string => {
    const lines = trace.terms.filter((t) => t.term === which && t.effective);
    const total = which === 'numerator' ? trace.numerator : trace.denominator;
    const name = figureDefinition(trace.key)?.reasons;
    if (total === null || total === undefined) {
      return which === 'denominator' ? (name?.denominatorUnknown ?? 'not recorded') : (name?.numeratorUnknown ?? 'not recorded');
    }
    if (lines.length === 0) return `${show(total)}${unit} (no event)`;
    const sum = lines.map((t, i) => addend(t, i === 0)).join('');
    if (lines.length === 1) return `${sum.replace(/ \(/, `${unit} (`)}`;
    return bracket ? `(${sum} = ${show(total)}${unit})` : `${sum} = ${show(total)}${unit}`;
  };
  if (trace.unit !== 'percent') {
    const text = term('numerator', false);
    if (trace.numerator === null) return `${trace.key}: ${text}`;
    const total = parseYuan(trace.numerator, { allowZero: true, allowNegative: true });
    const single = trace.terms.filter((t) => t.term === 'numerator' && t.effective).length <= 1;
    const wan = `${formatWanDisplay(total)} 万元`;
    return single ? `${trace.key} = ${text} = ${wan}` : `${trace.key} = ${text} (${wan})`;
  }
  return `${trace.key} = ${term('numerator', true)} / ${term('denominator', true)}`;
}

/** What an event is, in a few words: the receipt, disbursement, allocation or indicator it records. */
function origin(event: RecordedEvent | undefined, type: string): string {
  const data = event?.data ?? {};
  switch (type) {
    case 'FundsReceived':
      return data.bondId ? `receipt from bond ${String(data.bondId)}` : `receipt ${String(data.receiptId)}, ${String(data.source)}`;
    case 'DisbursementRecorded':
      return `disbursement ${String(data.disbursementId)}`;
    case 'DisbursementReversed':
      return `reversal of ${String(data.disbursementId)}`;
    case 'FundsAllocated':
      return `allocation ${String(data.allocationId)}`;
    case 'ContractSigned':
      return `contract ${String(data.contractId)}`;
    case 'ProjectRegistered':
      return 'planned total at registration';
    case 'PlannedTotalRevised':
      return 'planned total revised';
    case 'OutputTargetSet':
      return `target of ${String(data.indicatorId)}`;
    case 'OutputReported':
      return `actual of ${String(data.indicatorId)}`;
    default:
      return type;
  }
}

/** The ratio as a percent with up to 6 decimals, marked "…" when it goes on. */
function longPercent(numerator: bigint, denominator: bigint): string {
  const six = ratePercent(numerator, denominator, 6)!;
  const exact = (numerator * 100n * 1_000_000n) % denominator === 0n;
  if (exact) return six.replace(/\.?0+$/, '') || '0';
  const truncated = formatDecimal((numerator * 100n * 1_000_000n) / denominator, 6);
  return `${truncated}…`;
}

const signed = (text: string): string => (text.startsWith('-') ? `−${text.slice(1)}` : `+${text}`);

// ---------------------------------------------------------------- output

export interface ReconcileCounts {
  stated: number;
  log: { match: number; mismatch: number; notDerivable: number; noFigureKey: number };
  sumOfParts: { match: number; mismatch: number };
}

export function countRows(rows: ReconcileRow[]): ReconcileCounts {
  const log = rows.filter((r) => r.check === 'log');
  const sums = rows.filter((r) => r.check === 'sum-of-parts');
  return {
    stated: log.length,
    log: {
      match: log.filter((r) => r.status === 'match').length,
      mismatch: log.filter((r) => r.status === 'mismatch').length,
      notDerivable: log.filter((r) => r.status === 'not-derivable' && r.reasonCode !== 'NO_FIGURE_KEY').length,
      noFigureKey: log.filter((r) => r.reasonCode === 'NO_FIGURE_KEY').length,
    },
    sumOfParts: { match: sums.filter((r) => r.status === 'match').length, mismatch: sums.filter((r) => r.status === 'mismatch').length },
  };
}

/** A value of a row as a reader wants it: 万元 for amounts, % for rates, the unit for quantities. */
export function displayValue(row: ReconcileRow, value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (row.unit === 'yuan') return `${formatWanDisplay(parseYuan(value, { allowZero: true, allowNegative: true }), 2)}万元`;
  if (row.unit === 'percent') return `${value}%`;
  return `${value}${row.unit}`;
}

function displayDifference(row: ReconcileRow): string {
  if (row.difference === undefined) return '';
  if (row.unit === 'yuan') {
    const fen = parseYuan(row.difference, { allowNegative: true });
    return `${signed(groupThousands(formatWanExact(fen)))}万元 (${signed(formatYuanDisplay(fen))}元)`;
  }
  if (row.unit === 'percent') return `${signed(row.difference)} pp`;
  return `${signed(row.difference)}${row.unit}`;
}

const STATUS_TEXT: Record<ReconcileStatus, string> = { match: 'match', mismatch: 'MISMATCH', 'not-derivable': 'not derivable' };

/** The human table (terminal). */
export function renderTable(result: Reconciliation): string {
  const lines: string[] = [];
  const header = ['status', 'figure', 'key', 'stated', 'recomputed', 'difference / reason'];
  for (const project of result.projects) {
    const rows = result.rows.filter((r) => r.project === project.id);
    if (rows.length === 0) continue;
    lines.push('', `${project.numeral}、${project.name} (${project.id})`);
    const cells = rows.map((row) => [
      STATUS_TEXT[row.status],
      row.check === 'sum-of-parts' ? `${row.id} = Σ parts` : row.id,
      row.check === 'sum-of-parts' ? 'sum-of-parts' : (row.key ?? '(no key)'),
      row.printed,
      row.check === 'sum-of-parts' ? displayValue(row, row.recomputed) : row.unit === 'percent' && row.recomputedAtStatedPrecision !== undefined ? `${row.recomputed}%` : displayValue(row, row.recomputed),
      row.status === 'mismatch' ? displayDifference(row) : row.status === 'not-derivable' ? (row.reason ?? '') : '',
    ]);
    const widths = header.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]))));
    const format = (c: string[]) => `  ${c.map((text, i) => (i === c.length - 1 ? text : pad(text, widths[i]))).join('  ')}`.trimEnd();
    lines.push(format(header), format(widths.map((w) => '-'.repeat(w))), ...cells.map(format));
  }
  const counts = countRows(result.rows);
  lines.push('', summaryLine(counts));
  if (result.missingProjects.length > 0) lines.push(`not in the log: ${result.missingProjects.join(', ')} (run: seed ${result.dataset})`);
  return `${lines.join('\n').trimStart()}\n`;
}

export function summaryLine(counts: ReconcileCounts): string {
  return (
    `${counts.stated} stated figures: ${counts.log.match} match, ${counts.log.mismatch} mismatch, ` +
    `${counts.log.notDerivable} not derivable (a fact is missing), ${counts.log.noFigureKey} printed figures no figure key expresses; ` +
    `${counts.sumOfParts.match + counts.sumOfParts.mismatch} totals checked against their stated parts: ` +
    `${counts.sumOfParts.match} add up, ${counts.sumOfParts.mismatch} do not`
  );
}

/** East Asian wide characters take two columns on a terminal. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return columns;
}

function pad(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - width(text)));
}

// ---------------------------------------------------------------- the document

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/<dataset>-reconciliation.md: deterministic (no positions, times or ids that vary by store). */
export function renderMarkdown(result: Reconciliation): string {
  const counts = countRows(result.rows);
  const numeral = new Map(result.projects.map((p) => [p.id, p.numeral]));
  const out: string[] = [];
  const regenerate = [
    'export FUNDTRAIL_DATA_DIR=$(mktemp -d)   # a fresh embedded store (or DATABASE_URL=<an empty database>)',
    `npm run -s cli -- seed ${result.dataset}`,
    `npm run -s cli -- reconcile ${result.dataset} --markdown > docs/${result.dataset}-reconciliation.md`,
  ];
  out.push(
    `# ${result.dataset}: reconciliation of the report against the FundTrail log`,
    '',
    `<!-- Generated by \`npm run -s cli -- reconcile ${result.dataset} --markdown\`. Do not edit by hand: regenerate it. -->`,
    '',
    `Generated by the CLI from the event log, not typed by hand. Report: **${result.title}** ` +
      `(\`seeds/${result.dataset}/report.zh.txt\`); data set: \`seeds/${result.dataset}/commands.json\` (the report as commands, ` +
      `each with its citation) and \`seeds/${result.dataset}/stated-figures.json\` (every figure the report states, mapped to a figure key). ` +
      'To regenerate it, load the data set into a store that holds nothing else and run `reconcile`:',
    '',
    '```sh',
    ...regenerate,
    '```',
    '',
    'How each stated figure is checked:',
    '',
    '- **Recomputed from the log**: the project\'s stream is folded with the projection\'s own formulas ' +
      '(`foldEvents` → `computeFigure`, the same code as the read models and `GET /api/projects/:id/figures`).',
    '- **Amounts** match when the stated 万元, converted exactly to fen, equal the recomputed amount; the difference is `stated − recomputed`.',
    '- **Rates** match when the recomputed ratio, rounded half-up to the number of decimals the report prints, equals the stated percent ' +
      '(a stated `30` matches 30.00; a stated `74.25` does not match 74.2552…). The difference is in percentage points (pp) at that precision.',
    '- **Not derivable**: the figure has no value in the log because a fact behind it is not in the report (and is never back-solved from a stated rate).',
    '- **Totals vs their stated parts**: a total the report breaks down (`sumOf`) is also checked against the sum of the parts it prints.',
    '- Printed figures that no figure key expresses (a sub-total across sources, a part of a plan, an indicator\'s target or actual, an outcome) are listed at the end, not checked against the log.',
    '',
    '## Summary',
    '',
    '| check | count |',
    '|---|---|',
    `| stated figures | ${counts.stated} |`,
    `| recomputed from the log: match | ${counts.log.match} |`,
    `| recomputed from the log: **mismatch** | ${counts.log.mismatch} |`,
    `| **not derivable** (a fact is missing) | ${counts.log.notDerivable} |`,
    `| printed, no figure key expresses them | ${counts.log.noFigureKey} |`,
    `| totals vs the sum of their stated parts: add up | ${counts.sumOfParts.match} |`,
    `| totals vs the sum of their stated parts: **do not add up** | ${counts.sumOfParts.mismatch} |`,
    '',
  );
  if (result.missingProjects.length > 0) {
    out.push(`> **Warning:** ${result.missingProjects.length} project(s) of the data set are not in the log: ${result.missingProjects.join(', ')}.`, '');
  }

  const findingBlock = (row: ReconcileRow): string[] => {
    const lines = [
      `### ${numeral.get(row.project)}、${row.projectName} — \`${row.id}\`${row.key ? ` (\`${row.key}\`)` : ''}`,
      '',
      `- stated: **${row.printed}** — 「${row.citation.quote}」 (${row.citation.section})`,
    ];
    if (row.check === 'sum-of-parts') {
      lines.push(`- stated parts: ${row.parts!.map((p) => `${p.printed} (\`${p.id}\`)`).join(' + ')}`);
      lines.push(`- arithmetic: ${row.arithmetic}`);
    } else if (row.status === 'mismatch') {
      lines.push(`- recomputed from the log: **${row.unit === 'percent' ? `${row.recomputed}%` : displayValue(row, row.recomputed)}** — ${row.formula}`);
      lines.push(`- arithmetic: ${row.arithmetic}`);
    } else {
      lines.push(`- not derivable: **${row.reason}** — ${row.formula}`);
      if (row.arithmetic) lines.push(`- what the log does hold: ${row.arithmetic}`);
    }
    if (row.status === 'mismatch') lines.push(`- difference (stated − recomputed): **${displayDifference(row)}**`);
    if (row.note) lines.push(`- note: ${row.note}`);
    lines.push('');
    return lines;
  };

  const logMismatches = result.rows.filter((r) => r.check === 'log' && r.status === 'mismatch');
  const partMismatches = result.rows.filter((r) => r.check === 'sum-of-parts' && r.status === 'mismatch');
  const missing = result.rows.filter((r) => r.check === 'log' && r.status === 'not-derivable' && r.reasonCode !== 'NO_FIGURE_KEY');
  out.push('## Findings', '');
  out.push(`### Stated figures the log does not reproduce (${logMismatches.length})`, '');
  if (logMismatches.length === 0) out.push('None.', '');
  out.push(...logMismatches.flatMap(findingBlock).map((l) => l.replace(/^### /, '#### ')));
  out.push(`### Totals that are not the sum of their own stated parts (${partMismatches.length})`, '');
  if (partMismatches.length === 0) out.push('None.', '');
  out.push(...partMismatches.flatMap(findingBlock).map((l) => l.replace(/^### /, '#### ')));
  out.push(`### Stated figures that cannot be derived: a fact is missing (${missing.length})`, '');
  if (missing.length === 0) out.push('None.', '');
  out.push(...missing.flatMap(findingBlock).map((l) => l.replace(/^### /, '#### ')));

  out.push('## Every stated figure, by project', '');
  for (const project of result.projects) {
    const rows = result.rows.filter((r) => r.project === project.id && !(r.check === 'log' && r.reasonCode === 'NO_FIGURE_KEY'));
    if (rows.length === 0) continue;
    out.push(`### ${project.numeral}、${project.name}`, '', `\`${project.id}\``, '');
    out.push('| figure | key | stated | recomputed | status | difference / reason | arithmetic |', '|---|---|---|---|---|---|---|');
    for (const row of rows) {
      const recomputed = row.check === 'log' && row.unit === 'percent' ? (row.recomputed === null ? '—' : `${row.recomputed}%`) : displayValue(row, row.recomputed);
      const status = row.status === 'match' ? 'match' : row.status === 'mismatch' ? '**mismatch**' : '**not derivable**';
      const detail = row.status === 'mismatch' ? displayDifference(row) : (row.reason ?? '');
      out.push(
        `| \`${row.id}\`${row.check === 'sum-of-parts' ? ' = Σ stated parts' : ''} | ${row.check === 'sum-of-parts' ? 'sum of parts' : `\`${row.key}\``} | ${cell(row.printed)} | ${cell(recomputed)} | ${status} | ${cell(detail)} | ${cell(row.arithmetic ?? '')} |`,
      );
    }
    out.push('');
  }

  const keyless = result.rows.filter((r) => r.check === 'log' && r.reasonCode === 'NO_FIGURE_KEY');
  out.push(`## Printed figures no figure key expresses (${keyless.length}, not checked against the log)`, '');
  out.push('| project | figure | stated | why no key | citation |', '|---|---|---|---|---|');
  for (const row of keyless) {
    out.push(`| ${numeral.get(row.project)} | \`${row.id}\` | ${cell(row.printed)} | ${cell(row.note ?? '')} | ${cell(`${row.citation.section} 「${row.citation.quote}」`)} |`);
  }
  out.push('');
  return out.join('\n');
}
