/**
 * CLI `export fdp` and `export iati`, read back with Python's standard library (csv, json,
 * xml.etree) and, for IATI, validated by xmllint against the 2.03 schema: every phase, budget,
 * transaction and indicator adds up to the figure the API shows for that project, exactly.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@fundtrail/event-store';
import { loadDataset } from '@fundtrail/reports';
import { type ApiHarness, startApi, TEST_JWT_SECRET } from '../support/api-harness';
import { runSql } from '../support/test-database';
import { PROJECT_IDS } from '../seeds/support/xishan';
import { readWithPython } from './support';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const SCHEMA = join(ROOT, 'tests', 'fixtures', 'iati-2.03', 'iati-activities-schema.xsd');

interface ApiFigure {
  key: string;
  value: string | null;
  numerator?: string;
  denominator?: string;
}
interface FdpRead {
  descriptor: {
    profiles: Record<string, string>;
    name: string;
    title: string;
    resources: { name: string; path: string; bytes: number; hash: string; encoding: string; schema: { fields: { name: string; type: string }[] } }[];
    model: {
      measures: Record<string, { source: string; currency: string; phase: string; budgetPhase: string; direction: string }>;
      dimensions: Record<string, { dimensionType: string; attributes: Record<string, { source: string }>; primaryKey: string[] }>;
    };
  };
  bytes: number;
  sha256: string;
  bom: boolean;
  rows: Record<string, string>[];
}
interface IatiRead {
  version: string;
  activities: {
    identifier: string;
    currency: string;
    reportingOrg: { ref: string; type: string };
    title: { lang: string | null; text: string }[];
    budgets: { start: string; end: string; value: string }[];
    transactions: { type: string; date: string; value: string; valueDate: string; ref: string }[];
    indicators: { reference: string; target: string[]; actual: string[] }[];
  }[];
}

/** Σ of yuan strings, exactly (this test's own arithmetic). */
function sumYuan(values: readonly string[]): string {
  let fen = 0n;
  for (const value of values) {
    const match = /^(-?)(\d+)\.(\d{2})$/.exec(value);
    if (!match) throw new Error(`not a yuan amount: ${value}`);
    fen += (match[1] ? -1n : 1n) * BigInt(match[2] + match[3]);
  }
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

const EXTRA = 'export-open-data';

describe("export fdp and export iati, read by another program: the API's figures exactly", () => {
  let api: ApiHarness;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const figures = new Map<string, Map<string, ApiFigure>>();
  const names = new Map<string, string>();

  beforeAll(async () => {
    api = await startApi();
    dir = mkdtempSync(join(tmpdir(), 'fundtrail-open-data-'));
    env = { ...process.env, DATABASE_URL: api.db.url, FUNDTRAIL_JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' };
    await loadDataset('xishan-2024', { commands: api.app.get(CommandBus), store: api.app.get<EventStore>(EVENT_STORE) });
    // What the report lacks: a contract, payments against it, a reversal, an allocation drawn on, a revised actual.
    const officer = `Bearer ${api.token('budget-officer')}`;
    const clerk = `Bearer ${api.token('clerk')}`;
    const post = (path: string, token: string, body: object) => api.http.post(path).set('Authorization', token).send(body).expect(201);
    await post('/api/projects', officer, {
      projectId: EXTRA,
      name: '示例 <工程> & "合同"',
      department: '区住建局',
      category: 'roads',
      plannedTotal: '1000000.00',
      fiscalYear: 2024,
    });
    await post(`/api/projects/${EXTRA}/allocations`, officer, {
      allocationId: 'a-2024',
      source: 'district-budget',
      amount: '600000.00',
      fiscalYear: 2024,
      effectiveDate: '2024-02-01',
    });
    await post(`/api/projects/${EXTRA}/allocations`, officer, {
      allocationId: 'a-2025',
      source: 'municipal-subsidy',
      amount: '400000.00',
      fiscalYear: 2025,
      effectiveDate: '2024-12-20',
    });
    await post(`/api/projects/${EXTRA}/receipts`, clerk, {
      receiptId: 'r-1',
      source: 'district-budget',
      amount: '500000.00',
      allocationId: 'a-2024',
      effectiveDate: '2024-03-01',
    });
    await post(`/api/projects/${EXTRA}/contracts`, clerk, { contractId: 'c-1', counterparty: '某建设公司', amount: '450000.00', effectiveDate: '2024-03-05' });
    await post(`/api/projects/${EXTRA}/disbursements`, clerk, {
      disbursementId: 'd-1',
      amount: '120000.50',
      category: 'construction',
      receiptId: 'r-1',
      contractId: 'c-1',
      payee: '某建设公司',
      effectiveDate: '2024-04-01',
    });
    await post(`/api/projects/${EXTRA}/disbursements`, clerk, { disbursementId: 'd-2', amount: '999.99', category: 'other', effectiveDate: '2024-04-02' });
    await post(`/api/projects/${EXTRA}/disbursements/d-2/reversal`, officer, { reason: '重复录入', effectiveDate: '2024-04-03' });
    await post(`/api/projects/${EXTRA}/indicators`, officer, { indicatorId: 'km', name: '道路长度', unit: '公里', target: '12.5' });
    await post(`/api/projects/${EXTRA}/indicators/km/actuals`, officer, { actual: '3.25' });
    const head = ((await runSql(api.db.url, 'SELECT max(global_position)::text AS p FROM events')) as { rows: { p: string }[] }).rows[0].p;
    const analyst = `Bearer ${api.token('analyst')}`;
    for (const projectId of [...PROJECT_IDS, EXTRA]) {
      const response = await api.http.get(`/api/projects/${projectId}?pageSize=1000&minPosition=${head}`).set('Authorization', analyst).expect(200);
      figures.set(projectId, new Map((response.body.figures as ApiFigure[]).map((f) => [f.key, f])));
      names.set(projectId, response.body.project.name);
    }
  });
  afterAll(async () => {
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const amountOf = (projectId: string, key: string) => figures.get(projectId)!.get(key)!.value!;

  it('fdp: datapackage.json names its resource, measures (CNY, budget phase) and dimensions; each phase adds up to the figure', async () => {
    const out = join(dir, 'fdp');
    const { stdout } = await run(process.execPath, [CLI, 'export', 'fdp', '--out', out], { env });
    expect(stdout).toMatch(/^wrote .*datapackage\.json and .*budget\.csv: \d+ rows from 12 projects, as of position \d+\n$/);
    const read = await readWithPython<FdpRead>('fdp', out);
    const { descriptor } = read;
    expect(descriptor).toMatchObject({ profiles: { fiscal: '*', tabular: '*' }, name: 'fundtrail-budget-phases', title: expect.any(String) });
    const [resource] = descriptor.resources;
    expect(resource).toMatchObject({ name: 'budget', path: 'budget.csv', encoding: 'utf-8', bytes: read.bytes, hash: `sha256:${read.sha256}` });
    expect(read.bom).toBe(false);
    const fields = resource.schema.fields.map((f) => f.name);
    expect(Object.keys(read.rows[0])).toEqual(fields);
    // Measures: one per budget phase the model records, in CNY.
    expect(Object.keys(descriptor.model.measures)).toEqual(['allocated', 'received', 'approved', 'disbursed']);
    for (const [name, measure] of Object.entries(descriptor.model.measures)) {
      expect(measure).toMatchObject({ source: name, currency: 'CNY', budgetPhase: name, direction: 'expenditure' });
      expect(['proposed', 'approved', 'adjusted', 'executed']).toContain(measure.phase);
      expect(fields).toContain(measure.source);
    }
    // Dimensions: programme, region, department, category, source, fiscal year (and project, spending category).
    const dimensions = descriptor.model.dimensions;
    for (const name of ['programme', 'region', 'department', 'category', 'source', 'fiscal_year']) expect(Object.keys(dimensions)).toContain(name);
    for (const dimension of Object.values(dimensions)) {
      expect(['datetime', 'entity', 'classification', 'activity', 'fact', 'location', 'other']).toContain(dimension.dimensionType);
      for (const attribute of Object.values(dimension.attributes)) expect(fields).toContain(attribute.source);
      for (const key of dimension.primaryKey) expect(Object.keys(dimension.attributes)).toContain(key);
    }
    // Every project's phases add up to its figures.
    for (const [projectId] of figures) {
      const rows = read.rows.filter((row) => row.project_id === projectId);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.project_name === names.get(projectId))).toBe(true);
      for (const [phase, key] of [
        ['allocated', 'allocated_total'],
        ['received', 'received_total'],
        ['disbursed', 'disbursed_total'],
      ]) {
        expect([projectId, phase, sumYuan(rows.map((row) => row[phase]).filter((v) => v !== ''))]).toEqual([projectId, phase, amountOf(projectId, key)]);
      }
    }
    // The extra project, by source and fiscal year: the 2024 district allocation, drawn on and partly paid.
    const extra = read.rows
      .filter((row) => row.project_id === EXTRA)
      .map((row) => [row.source, row.spending_category, row.fiscal_year, row.allocated, row.received, row.disbursed]);
    expect(extra).toEqual(
      expect.arrayContaining([
        ['municipal-subsidy', '', '2025', '400000.00', '', ''],
        ['district-budget', 'construction', '2024', '', '', '120000.50'],
        ['', 'other', '2024', '', '', '0.00'],
      ]),
    );
  });

  it('iati: valid against the 2.03 schema; budgets, transactions 1/2/3 and indicators equal the figures', async () => {
    const file = join(dir, 'activities.xml');
    const { stdout } = await run(process.execPath, [CLI, 'export', 'iati', '--out', file], { env });
    expect(stdout).toMatch(/^wrote .*activities\.xml: 12 IATI activities, as of position \d+\n$/);
    const lint = await run('xmllint', ['--noout', '--schema', SCHEMA, file]);
    expect(lint.stderr).toMatch(/validates$/m);
    const read = await readWithPython<IatiRead>('iati', file);
    expect(read.version).toBe('2.03');
    expect(read.activities.map((a) => a.identifier).sort()).toEqual([...figures.keys()].map((id) => `CN-FUNDTRAIL-${id}`).sort());
    for (const activity of read.activities) {
      const projectId = activity.identifier.slice('CN-FUNDTRAIL-'.length);
      expect(activity).toMatchObject({ currency: 'CNY', reportingOrg: { ref: 'CN-FUNDTRAIL', type: '10' } });
      expect(activity.title[0].text).toBe(names.get(projectId));
      const ofType = (code: string) => activity.transactions.filter((t) => t.type === code).map((t) => t.value);
      expect([projectId, 'budgets', sumYuan(activity.budgets.map((b) => b.value))]).toEqual([projectId, 'budgets', amountOf(projectId, 'allocated_total')]);
      expect([projectId, '1', sumYuan(ofType('1'))]).toEqual([projectId, '1', amountOf(projectId, 'received_total')]);
      expect([projectId, '3', sumYuan(ofType('3'))]).toEqual([projectId, '3', amountOf(projectId, 'disbursed_total')]);
      expect([projectId, '2', sumYuan(ofType('2'))]).toEqual([projectId, '2', figures.get(projectId)!.get('contract_payment_progress')!.denominator]);
      for (const transaction of activity.transactions) expect(transaction.valueDate).toBe(transaction.date);
      const indicators = [...figures.get(projectId)!.values()].filter((f) => f.key.startsWith('output_completion:'));
      expect(activity.indicators.map((i) => i.reference).sort()).toEqual(indicators.map((f) => f.key.split(':')[1]).sort());
      for (const indicator of activity.indicators) {
        const figure = figures.get(projectId)!.get(`output_completion:${indicator.reference}`)!;
        expect(indicator.target).toEqual(figure.denominator === undefined ? [] : [figure.denominator]);
        expect(indicator.actual).toEqual(figure.numerator === undefined ? [] : [figure.numerator]);
      }
    }
    const extra = read.activities.find((a) => a.identifier === `CN-FUNDTRAIL-${EXTRA}`)!;
    expect(extra.budgets).toEqual([
      { start: '2024-01-01', end: '2024-12-31', value: '600000.00' },
      { start: '2025-01-01', end: '2025-12-31', value: '400000.00' },
    ]);
    expect(extra.transactions.map((t) => [t.type, t.date, t.value])).toEqual([
      ['1', '2024-03-01', '500000.00'],
      ['2', '2024-03-05', '450000.00'],
      ['3', '2024-04-01', '120000.50'],
      ['3', '2024-04-02', '999.99'],
      ['3', '2024-04-03', '-999.99'],
    ]);
  });

  it('iati: the schema check can fail (an activity without its reporting organisation is refused)', async () => {
    const file = join(dir, 'activities.xml');
    const broken = join(dir, 'broken.xml');
    copyFileSync(file, broken);
    writeFileSync(broken, readFileSync(broken, 'utf8').replace(/<reporting-org[^>]*>.*?<\/reporting-org>/, ''));
    await expect(run('xmllint', ['--noout', '--schema', SCHEMA, broken])).rejects.toMatchObject({ code: 3 });
  });

  it('iati: the reporting organisation is configurable; a bad identifier or no --out is a usage error', async () => {
    const file = join(dir, 'custom.xml');
    await run(
      process.execPath,
      [CLI, 'export', 'iati', '--out', file, '--reporting-org-ref', 'CN-USC-11530112MB0000000X', '--reporting-org-name', '西山区财政局'],
      { env },
    );
    const read = await readWithPython<IatiRead>('iati', file);
    expect(read.activities.every((a) => a.identifier.startsWith('CN-USC-11530112MB0000000X-') && a.reportingOrg.ref === 'CN-USC-11530112MB0000000X')).toBe(
      true,
    );
    await expect(run(process.execPath, [CLI, 'export', 'iati', '--out', file, '--reporting-org-ref', 'bad ref'], { env })).rejects.toMatchObject({ code: 1 });
    await expect(run(process.execPath, [CLI, 'export', 'fdp'], { env })).rejects.toMatchObject({ code: 1 });
  });
});
