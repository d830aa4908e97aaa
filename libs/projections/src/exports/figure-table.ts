import type { Pool } from 'pg';
import { type BilingualLabel, computeFigures, FIGURE_FAMILIES, type Figure, figureDefinition, FIXED_FIGURE_KEYS, parseFigureKey } from '../figures';
import type { ProjectDetails } from '../read-models/project-details';
import type { PortfolioFilter } from '../queries/portfolio-filter';
import { EXPORT_BATCH_SIZE, type SelectedProject, withPortfolioSnapshot } from './portfolio-snapshot';

/**
 * The analysts' table: a row per project, its context, then every figure any selected project
 * has, one column per figure key. Columns come from the figures themselves, so a new figure key
 * (or a new project field read by name below) appears in every export without a change here.
 */

/** A cell as the exports write it: the API's exact decimal string, never a computed float. */
export type ExportCell =
  { kind: 'text'; value: string } | { kind: 'year'; value: number } | { kind: 'money' | 'percent' | 'quantity'; value: string } | { kind: 'empty' };

export interface ContextColumn {
  source: 'context';
  key: string;
  label: BilingualLabel;
  cell: (details: ProjectDetails) => ExportCell;
}

export interface FigureColumn {
  source: 'figure';
  key: string;
  label: BilingualLabel;
  kind: 'money' | 'percent' | 'quantity';
}

export type ExportColumn = ContextColumn | FigureColumn;

/** One formula a figure column is computed with (a key can have several: an indicator measured against another one). */
export interface FormulaRow {
  key: string;
  label: BilingualLabel;
  unit: string;
  formula: string;
  formulaVersion: number;
  /** How many of the selected projects use this formula for this key. */
  projects: number;
}

export interface FigureTable {
  asOfPosition: bigint;
  filter: PortfolioFilter;
  projectCount: number;
  columns: ExportColumn[];
  formulas: FormulaRow[];
}

export interface FigureTableSink {
  /** Called once, before any row, when the columns are known (a writer may still refuse here). */
  begin(table: FigureTable): Promise<void>;
  rows(rows: readonly ExportCell[][]): Promise<void>;
  end(): Promise<void>;
}

const text = (value: string | undefined): ExportCell => (value === undefined || value === '' ? { kind: 'empty' } : { kind: 'text', value });

/** A text field of the project's details; an absent one (no programme, no region) is an empty cell. */
function field(details: ProjectDetails, name: 'programmeId' | 'region'): string | undefined {
  return details[name];
}

export const PROJECT_CONTEXT_COLUMNS: readonly ContextColumn[] = [
  { source: 'context', key: 'project_id', label: { zh: '项目编号', en: 'Project id' }, cell: (d) => text(d.projectId) },
  { source: 'context', key: 'name', label: { zh: '项目名称', en: 'Project name' }, cell: (d) => text(d.name) },
  { source: 'context', key: 'programme', label: { zh: '所属专项', en: 'Programme' }, cell: (d) => text(field(d, 'programmeId')) },
  { source: 'context', key: 'region', label: { zh: '地区', en: 'Region' }, cell: (d) => text(field(d, 'region')) },
  { source: 'context', key: 'department', label: { zh: '主管部门 / 实施单位', en: 'Department' }, cell: (d) => text(d.department) },
  { source: 'context', key: 'category', label: { zh: '项目类别', en: 'Category' }, cell: (d) => text(d.category) },
  {
    source: 'context',
    key: 'fiscal_year',
    label: { zh: '预算年度', en: 'Fiscal year' },
    cell: (d) => (typeof d.fiscalYear === 'number' ? { kind: 'year', value: d.fiscalYear } : { kind: 'empty' }),
  },
];

function kindOf(unit: string): FigureColumn['kind'] {
  if (unit === 'yuan') return 'money';
  if (unit === 'percent') return 'percent';
  return 'quantity';
}

/** Column order: figures comparable across projects first, then per receipt or indicator; each in the figure list's own order. */
function columnRank(key: string): [number, number, string] {
  const parsed = parseFigureKey(key);
  const across = figureDefinition(key)?.acrossProjects === false ? 1 : 0;
  if (parsed === undefined) return [2, 0, key];
  if (parsed.parameter === undefined) return [across, (FIXED_FIGURE_KEYS as readonly string[]).indexOf(parsed.family), ''];
  return [across, FIXED_FIGURE_KEYS.length + (FIGURE_FAMILIES as readonly string[]).indexOf(parsed.family), parsed.parameter];
}

function compareColumns(a: string, b: string): number {
  const [x, y] = [columnRank(a), columnRank(b)];
  return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
}

/** The cell of one figure: its exact value, or empty when it has none (the reason is in the API's answer). */
export function figureCell(figure: Figure | undefined, kind: FigureColumn['kind']): ExportCell {
  if (figure === undefined || figure.value === null) return { kind: 'empty' };
  return { kind, value: figure.value };
}

/**
 * Writes the table of the projects `filter` selects into `sink`: a first pass over one snapshot
 * finds the columns and formulas, a second writes the rows, a batch at a time.
 */
export async function writeFigureTable(pool: Pool, filter: PortfolioFilter, sink: FigureTableSink, batchSize = EXPORT_BATCH_SIZE): Promise<FigureTable> {
  return withPortfolioSnapshot(
    pool,
    filter,
    async (snapshot) => {
      const figuresOf = (project: SelectedProject) => computeFigures(project.terms, snapshot.asOfPosition);
      const seen = new Map<string, { label: BilingualLabel; unit: string }>();
      const formulas = new Map<string, FormulaRow>();
      let projectCount = 0;
      for await (const batch of snapshot.projects()) {
        for (const project of batch) {
          projectCount += 1;
          for (const figure of figuresOf(project)) {
            if (!seen.has(figure.key)) seen.set(figure.key, { label: figure.label, unit: figure.unit });
            const variant = `${figure.key}\u0000${figure.formulaVersion}\u0000${figure.formula}`;
            const row = formulas.get(variant);
            if (row) row.projects += 1;
            else
              formulas.set(variant, {
                key: figure.key,
                label: figure.label,
                unit: figure.unit,
                formula: figure.formula,
                formulaVersion: figure.formulaVersion,
                projects: 1,
              });
          }
        }
      }
      const keys = [...seen.keys()].sort(compareColumns);
      const figureColumns: FigureColumn[] = keys.map((key) => ({ source: 'figure', key, label: seen.get(key)!.label, kind: kindOf(seen.get(key)!.unit) }));
      const table: FigureTable = {
        asOfPosition: snapshot.asOfPosition,
        filter,
        projectCount,
        columns: [...PROJECT_CONTEXT_COLUMNS, ...figureColumns],
        formulas: [...formulas.values()].sort((a, b) => compareColumns(a.key, b.key) || a.formulaVersion - b.formulaVersion),
      };
      await sink.begin(table);
      for await (const batch of snapshot.projects()) {
        await sink.rows(
          batch.map((project) => {
            const byKey = new Map(figuresOf(project).map((figure) => [figure.key, figure]));
            return table.columns.map((column) => (column.source === 'context' ? column.cell(project.details) : figureCell(byKey.get(column.key), column.kind)));
          }),
        );
      }
      await sink.end();
      return table;
    },
    batchSize,
  );
}

/** A column's header in each language, with its unit. */
export function columnHeader(column: ExportColumn): { zh: string; en: string } {
  if (column.source === 'context') return column.label;
  const unit = { money: ['（元）', ' (yuan)'], percent: ['（%）', ' (%)'], quantity: ['', ''] }[column.kind];
  return { zh: `${column.label.zh}${unit[0]}`, en: `${column.label.en}${unit[1]}` };
}
