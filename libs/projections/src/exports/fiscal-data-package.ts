import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { EventStore } from '@fundtrail/event-store';
import { formatYuan } from '@fundtrail/money';
import type { PortfolioFilter } from '../queries/portfolio-filter';
import type { ProjectDetails } from '../read-models/project-details';
import { endOutput, writeWithBackpressure } from './backpressure';
import { csvLine } from './csv';
import { type MoneyFlow, movementsOf, projectEvents, recordedFlows } from './ledger';
import { PROJECT_CONTEXT_COLUMNS } from './figure-table';
import { withPortfolioSnapshot } from './portfolio-snapshot';

/**
 * A Fiscal Data Package (Frictionless / OpenSpending, version 0.3: a Tabular Data Package with a
 * `model` of measures and dimensions): `datapackage.json` and `budget.csv`, one row per project,
 * source, spending category and fiscal year, with one measure column per budget phase in CNY.
 * Phases are the money flows of ./ledger, so each column adds up to the API's figure.
 */

/** The budget phases FDP shows, in order, with the FDP phase each one belongs to. */
const PHASES: ReadonlyArray<{ flow: MoneyFlow; fdpPhase: 'approved' | 'executed'; title: string }> = [
  { flow: 'allocated', fdpPhase: 'approved', title: '预算下达 Allocated (allocated_total)' },
  { flow: 'received', fdpPhase: 'executed', title: '资金到位 Received (received_total)' },
  { flow: 'approved', fdpPhase: 'executed', title: '核拨 Payment approved (approved_total)' },
  { flow: 'disbursed', fdpPhase: 'executed', title: '实际支出 Disbursed (disbursed_total)' },
];

export const FDP_RESOURCE_PATH = 'budget.csv';

interface Dimension {
  column: string;
  type: 'string' | 'year';
  title: string;
}

/** Dimension columns of budget.csv, in order. */
const DIMENSION_COLUMNS: readonly Dimension[] = [
  { column: 'project_id', type: 'string', title: '项目编号 Project id' },
  { column: 'project_name', type: 'string', title: '项目名称 Project name' },
  { column: 'programme', type: 'string', title: '所属专项 Programme' },
  { column: 'region', type: 'string', title: '地区 Region' },
  { column: 'department', type: 'string', title: '主管部门 Department' },
  { column: 'category', type: 'string', title: '项目类别 Project category' },
  { column: 'source', type: 'string', title: '资金来源 Funding source' },
  { column: 'source_label', type: 'string', title: '资金来源说明 Funding source label' },
  { column: 'spending_category', type: 'string', title: '支出类别 Spending category (disbursements)' },
  { column: 'fiscal_year', type: 'year', title: '年度 Fiscal year' },
];

/** The logical model: which columns make which FDP dimension. */
const MODEL_DIMENSIONS = {
  project: {
    dimensionType: 'activity',
    attributes: { id: { source: 'project_id' }, title: { source: 'project_name', labelfor: 'id' } },
    primaryKey: ['id'],
  },
  programme: { dimensionType: 'activity', attributes: { id: { source: 'programme' } }, primaryKey: ['id'] },
  region: { dimensionType: 'location', attributes: { code: { source: 'region' } }, primaryKey: ['code'] },
  department: { dimensionType: 'entity', attributes: { title: { source: 'department' } }, primaryKey: ['title'] },
  category: {
    dimensionType: 'classification',
    classificationType: 'functional',
    attributes: { code: { source: 'category' } },
    primaryKey: ['code'],
  },
  source: {
    dimensionType: 'classification',
    attributes: { code: { source: 'source' }, label: { source: 'source_label', labelfor: 'code' } },
    primaryKey: ['code'],
  },
  spending_category: {
    dimensionType: 'classification',
    classificationType: 'economic',
    attributes: { code: { source: 'spending_category' } },
    primaryKey: ['code'],
  },
  fiscal_year: { dimensionType: 'datetime', attributes: { year: { source: 'fiscal_year' } }, primaryKey: ['year'] },
};

export interface FiscalDataPackageResult {
  descriptorPath: string;
  dataPath: string;
  rows: number;
  projects: number;
  asOfPosition: bigint;
}

/** A context column's text, the same as figures.csv shows. */
const contextText = (key: string, details: ProjectDetails): string => {
  const cell = PROJECT_CONTEXT_COLUMNS.find((column) => column.key === key)!.cell(details);
  return cell.kind === 'text' ? cell.value : '';
};

export async function writeFiscalDataPackage(
  pool: Pool,
  store: EventStore,
  filter: PortfolioFilter,
  outDir: string,
  now: Date = new Date(),
): Promise<FiscalDataPackageResult> {
  const phases = PHASES.filter((phase) => recordedFlows().some((flow) => flow.flow === phase.flow));
  await mkdir(outDir, { recursive: true });
  const dataPath = join(outDir, FDP_RESOURCE_PATH);
  const output = createWriteStream(dataPath);
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (text: string) => {
    const buffer = Buffer.from(text, 'utf8');
    hash.update(buffer);
    bytes += buffer.length;
    await writeWithBackpressure(output, text);
  };
  const years = new Set<number>();
  let rows = 0;
  let projects = 0;
  let asOfPosition = 0n;
  try {
    await write(csvLine([...DIMENSION_COLUMNS.map((d) => d.column), ...phases.map((p) => p.flow)]));
    await withPortfolioSnapshot(pool, filter, async (snapshot) => {
      asOfPosition = snapshot.asOfPosition;
      for await (const batch of snapshot.projects()) {
        for (const project of batch) {
          projects += 1;
          // One row per source, spending category and fiscal year of this project, every phase summed in fen.
          const groups = new Map<string, { source: string; sourceLabel: string; spendingCategory: string; fiscalYear: number; sums: Map<MoneyFlow, bigint> }>();
          for (const movement of movementsOf(await projectEvents(store, project))) {
            const group = {
              source: movement.source ?? '',
              sourceLabel: movement.sourceLabel ?? '',
              spendingCategory: movement.spendingCategory ?? '',
              fiscalYear: movement.fiscalYear,
            };
            const id = JSON.stringify([group.source, group.sourceLabel, group.spendingCategory, group.fiscalYear]);
            let row = groups.get(id);
            if (!row) groups.set(id, (row = { ...group, sums: new Map() }));
            row.sums.set(movement.flow, (row.sums.get(movement.flow) ?? 0n) + movement.amount);
          }
          const { details } = project;
          for (const row of [...groups.values()].filter((r) => phases.some((p) => r.sums.has(p.flow)))) {
            years.add(row.fiscalYear);
            rows += 1;
            await write(
              csvLine([
                project.projectId,
                details.name,
                contextText('programme', details),
                contextText('region', details),
                details.department ?? '',
                details.category,
                row.source,
                row.sourceLabel,
                row.spendingCategory,
                String(row.fiscalYear),
                ...phases.map((phase) => (row.sums.has(phase.flow) ? formatYuan(row.sums.get(phase.flow)!) : '')),
              ]),
            );
          }
        }
      }
    });
  } finally {
    await endOutput(output);
  }
  const sortedYears = [...years].sort((a, b) => a - b);
  const descriptor = {
    profiles: { fiscal: '*', tabular: '*' },
    name: 'fundtrail-budget-phases',
    title: 'FundTrail: project funding by budget phase 项目资金分阶段数据',
    description:
      'Money of each project by budget phase (allocated, received, approved, disbursed), source, spending category and fiscal year, ' +
      'summed from the event log; each phase column adds up to the FundTrail figure named in its title.',
    version: '0.3.0',
    created: now.toISOString(),
    countryCode: 'cn',
    granularity: 'aggregated',
    ...(sortedYears.length > 0 && { fiscalPeriod: { start: `${sortedYears[0]}-01-01`, end: `${sortedYears[sortedYears.length - 1]}-12-31` } }),
    resources: [
      {
        name: 'budget',
        path: FDP_RESOURCE_PATH,
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        bytes,
        hash: `sha256:${hash.digest('hex')}`,
        dialect: { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true },
        schema: {
          fields: [
            ...DIMENSION_COLUMNS.map((d) => ({ name: d.column, title: d.title, type: d.type })),
            ...phases.map((p) => ({ name: p.flow, title: p.title, type: 'number', decimalChar: '.' })),
          ],
          missingValues: [''],
        },
      },
    ],
    model: {
      measures: Object.fromEntries(
        phases.map((p) => [
          p.flow,
          { source: p.flow, resource: 'budget', currency: 'CNY', factor: 1, direction: 'expenditure', phase: p.fdpPhase, budgetPhase: p.flow, title: p.title },
        ]),
      ),
      dimensions: MODEL_DIMENSIONS,
    },
    fundtrail: { asOfPosition: asOfPosition.toString(), filter, projects, rows },
  };
  const descriptorPath = join(outDir, 'datapackage.json');
  await writeFile(descriptorPath, `${JSON.stringify(descriptor, null, 2)}\n`);
  return { descriptorPath, dataPath, rows, projects, asOfPosition };
}
