/**
 * GET /api/exports/figures.csv and figures.xlsx, read back by programs that did not write them
 * (Python's csv module; openpyxl), against the API's own figures for every project: the same
 * values, exactly. Plus the filters, formula injection, and a number too long for a cell.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { type ExportCell, type FigureTable, writeFigureTable } from '@fundtrail/projections';
import { loadDataset } from '@fundtrail/reports';
import { type ApiHarness, startApi } from '../support/api-harness';
import { runSql } from '../support/test-database';
import { PROJECT_IDS } from '../seeds/support/xishan';
import { bytes, type RawResponse, readWithPython, sameDecimal } from './support';

interface ApiFigure {
  key: string;
  value: string | null;
  unit: string;
  formula: string;
  formulaVersion: number;
  label: { zh: string; en: string };
}
interface ApiProject {
  projectId: string;
  name: string;
  department: string;
  category: string;
  fiscalYear?: number;
  programmeId?: string;
  region?: string;
  figures: Map<string, ApiFigure>;
}
type XlsxCell = { t: 'n' | 's'; v: string; fmt: string } | null;
interface XlsxRead {
  sheets: string[];
  cells: Record<string, XlsxCell[][]>;
  frozen: string | null;
}
interface CsvRead {
  bom: boolean;
  crlf: boolean;
  rows: string[][];
}

const HOSTILE = {
  projectId: 'export-hostile-text',
  name: '=HYPERLINK("http://example.invalid","点我"), 逗号 "引号"',
  department: '+区财政局',
  category: '@roads',
  fiscalYear: 2031,
  plannedTotal: '9999999999999.99',
};

describe("figures.csv and figures.xlsx, read by another program: the API's values exactly", () => {
  let api: ApiHarness;
  let dir: string;
  let analyst: string;
  const projects = new Map<string, ApiProject>();
  let head: string;

  const download = async (path: string, token = analyst): Promise<RawResponse> =>
    await api.http
      .get(path)
      .set('Authorization', token)
      .buffer(true)
      .parse(bytes as never);

  beforeAll(async () => {
    api = await startApi();
    dir = mkdtempSync(join(tmpdir(), 'fundtrail-exports-'));
    analyst = `Bearer ${api.token('analyst')}`;
    await loadDataset('xishan-2024', { commands: api.app.get(CommandBus), store: api.app.get<EventStore>(EVENT_STORE) });
    const officer = `Bearer ${api.token('budget-officer')}`;
    await api.http.post('/api/projects').set('Authorization', officer).send(HOSTILE).expect(201);
    // Two receipts at the largest amount: a total of 16 significant digits, more than a cell keeps.
    for (const receiptId of ['max-1', 'max-2']) {
      await api.http
        .post(`/api/projects/${HOSTILE.projectId}/receipts`)
        .set('Authorization', officer)
        .send({ receiptId, source: 'other', amount: '9999999999999.99' })
        .expect(201);
    }
    head = ((await runSql(api.db.url, 'SELECT max(global_position)::text AS p FROM events')) as { rows: { p: string }[] }).rows[0].p;
    for (const projectId of [...PROJECT_IDS, HOSTILE.projectId]) {
      const response = await api.http.get(`/api/projects/${projectId}?pageSize=1000&minPosition=${head}`).set('Authorization', analyst).expect(200);
      const { project, figures } = response.body as { project: Omit<ApiProject, 'figures'>; figures: ApiFigure[] };
      projects.set(projectId, { ...project, figures: new Map(figures.map((f) => [f.key, f])) });
    }
  });
  afterAll(async () => {
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function csvOf(query = ''): Promise<{ response: RawResponse; read: CsvRead }> {
    const response = await download(`/api/exports/figures.csv${query}`);
    expect(response.status).toBe(200);
    const path = join(dir, `figures-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(path, response.body);
    return { response, read: await readWithPython<CsvRead>('csv', path) };
  }

  /** The figure key a CSV header names: "中文 / English [key]". */
  const keyOf = (header: string) => /\[([^\]]+)\]$/.exec(header)![1];

  it('CSV: UTF-8 with a BOM, CRLF, one header line, a line per project, every figure the API shows, exactly', async () => {
    const { response, read } = await csvOf();
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="fundtrail-figures-\d+\.csv"$/);
    expect(response.headers['fundtrail-as-of-position']).toBe(head);
    expect(read.bom).toBe(true);
    expect(read.crlf).toBe(true);
    const [header, ...rows] = read.rows;
    const keys = header.map(keyOf);
    expect(keys.slice(0, 7)).toEqual(['project_id', 'name', 'programme', 'region', 'department', 'category', 'fiscal_year']);
    expect(header[keys.indexOf('received_total')]).toBe('到位资金（元） / Funds received (yuan) [received_total]');
    expect(header[keys.indexOf('execution_rate')]).toBe('预算执行率 / 支付进度（%） / Execution rate (%) [execution_rate]');
    expect(rows.map((row) => row[0]).sort()).toEqual([...projects.keys()].sort());
    // Every figure of every project is in its column, as the API's decimal string; every other figure cell is empty.
    const everyKey = new Set([...projects.values()].flatMap((p) => [...p.figures.keys()]));
    expect(new Set(keys.slice(7))).toEqual(everyKey);
    let compared = 0;
    for (const row of rows) {
      const project = projects.get(row[0])!;
      keys.slice(7).forEach((key, index) => {
        expect([key, row[index + 7]]).toEqual([key, project.figures.get(key)?.value ?? '']);
        compared += 1;
      });
      expect(row.slice(1, 7)).toEqual(
        row[0] === HOSTILE.projectId
          ? [`'${HOSTILE.name}`, '', '', `'${HOSTILE.department}`, `'${HOSTILE.category}`, '2031']
          : [
              project.name,
              project.programmeId ?? '',
              project.region ?? '',
              project.department,
              project.category,
              project.fiscalYear === undefined ? '' : String(project.fiscalYear),
            ],
      );
    }
    expect(compared).toBeGreaterThan(12 * 20);
  });

  it('XLSX: money as yuan numbers with 2 decimals, rates as percentages, the same values exactly; formulas and versions on sheet 2', async () => {
    const response = await download('/api/exports/figures.xlsx');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers['fundtrail-as-of-position']).toBe(head);
    const path = join(dir, 'figures.xlsx');
    writeFileSync(path, response.body);
    const read = await readWithPython<XlsxRead>('xlsx', path);
    expect(read.sheets).toEqual(['数据 Figures', '公式 Formulas', '说明 About']);
    expect(read.frozen).toBe('C4');
    const [zh, en, keyRow, ...rows] = read.cells['数据 Figures'];
    const keys = keyRow.map((c) => c!.v);
    expect(zh[keys.indexOf('received_total')]!.v).toBe('到位资金（元）');
    expect(en[keys.indexOf('arrival_rate')]!.v).toBe('Funds arrival rate (%)');
    expect(rows.map((row) => row[0]!.v).sort()).toEqual([...projects.keys()].sort());
    let money = 0;
    let rates = 0;
    for (const row of rows) {
      const project = projects.get(row[0]!.v)!;
      keys.slice(7).forEach((key, index) => {
        const cell = row[index + 7] ?? null;
        const figure = project.figures.get(key);
        if (figure?.value === null || figure?.value === undefined) {
          expect([key, cell]).toEqual([key, null]);
          return;
        }
        if (figure.unit === 'yuan' && figure.value.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length > 15) {
          // More digits than a cell keeps exactly: the exact text instead of a wrong number.
          expect([key, cell]).toEqual([key, { t: 's', v: figure.value, fmt: 'General' }]);
          return;
        }
        expect(cell).not.toBeNull();
        const format = { yuan: '#,##0.00', percent: '0.00%', quantity: '#,##0.####' }[figure.unit as 'yuan' | 'percent' | 'quantity'];
        expect([key, cell!.t, cell!.fmt]).toEqual([key, 'n', format]);
        if (!sameDecimal(cell!.v, figure.value, figure.unit === 'percent' ? 2 : 0))
          throw new Error(`${project.projectId} ${key}: cell ${cell!.v}, API ${figure.value}`);
        if (figure.unit === 'yuan') money += 1;
        else if (figure.unit === 'percent') rates += 1;
      });
    }
    expect(money).toBeGreaterThan(80);
    expect(rates).toBeGreaterThan(30);
    // The hostile project's text is stored as text (a string cell is never evaluated), unchanged.
    const hostile = rows.find((row) => row[0]!.v === HOSTILE.projectId)!;
    expect(hostile.slice(1, 7).map((c) => c?.v ?? null)).toEqual([HOSTILE.name, null, null, HOSTILE.department, HOSTILE.category, '2031']);
    expect(hostile[keys.indexOf('received_total')]).toEqual({ t: 's', v: '19999999999999.98', fmt: 'General' });
    // Sheet 2: each figure key with the formula and version the API gives it.
    const [, ...formulaRows] = read.cells['公式 Formulas'];
    const formulas = new Map(formulaRows.map((row) => [`${row[0]!.v} ${row[5]!.v}`, row[4]!.v]));
    for (const project of projects.values()) {
      for (const figure of project.figures.values()) expect(formulas.get(`${figure.key} ${figure.formulaVersion}`)).toBe(figure.formula);
    }
    expect(new Set(formulaRows.map((row) => row[0]!.v))).toEqual(new Set(keys.slice(7)));
    const about = new Map(read.cells['说明 About'].map((row) => [row[0]!.v, row[1]!.v]));
    expect(about.get('截至日志位置 As of global position')).toBe(head);
  });

  it('filters select projects by department, category, fiscal year, programme (with its descendants) and region (a prefix)', async () => {
    const expectIds = async (query: string, expected: (p: ApiProject) => boolean) => {
      const { read } = await csvOf(query);
      const ids = read.rows
        .slice(1)
        .map((row) => row[0])
        .sort();
      expect(ids).toEqual(
        [...projects.values()]
          .filter(expected)
          .map((p) => p.projectId)
          .sort(),
      );
      return ids;
    };
    expect(await expectIds('?fiscalYear=2023', (p) => p.fiscalYear === 2023)).toHaveLength(6);
    expect(await expectIds('?category=drainage', (p) => p.category === 'drainage')).toHaveLength(2);
    expect(await expectIds(`?department=${encodeURIComponent('区卫健局')}`, (p) => p.department === '区卫健局')).toHaveLength(1);
    expect(await expectIds('?category=public-health&fiscalYear=2023', (p) => p.category === 'public-health' && p.fiscalYear === 2023)).toHaveLength(2);
    // The report's district programme holds all 11 projects; 四 is in the Haikou subdistrict, under Xishan.
    expect(await expectIds('?region=yunnan%2Fkunming', (p) => PROJECT_IDS.includes(p.projectId))).toHaveLength(11);
    expect(await expectIds('?region=yunnan%2Fkunming%2Fxishan%2Fhaikou', (p) => p.projectId === 'haikou-landscaping-maintenance')).toHaveLength(1);
    expect(await expectIds('?region=yunnan%2Fkunming%2Fxi', () => false)).toHaveLength(0);
    expect(await expectIds('?programme=xishan-2024-major-policies-key-projects&category=drainage', (p) => p.category === 'drainage')).toHaveLength(2);
    expect(await expectIds('?programme=urban-renewal', () => false)).toHaveLength(0);
    // An empty selection is still a table: its header.
    const { read } = await csvOf('?fiscalYear=1999');
    expect(read.rows).toHaveLength(1);
    expect(read.rows[0].slice(0, 2).map(keyOf)).toEqual(['project_id', 'name']);
  });

  it('reads in batches from one snapshot: a batch of 3 gives the same table as one batch', async () => {
    const pool = api.app.get<FundtrailDatabase>(FUNDTRAIL_DATABASE).pool;
    const collect = async (batchSize: number) => {
      const rows: ExportCell[][] = [];
      let table: FigureTable | undefined;
      await writeFigureTable(
        pool,
        {},
        { begin: async (t) => void (table = t), rows: async (r) => void rows.push(...r), end: async () => undefined },
        batchSize,
      );
      return { rows, columns: table!.columns.map((c) => c.key) };
    };
    const small = await collect(3);
    expect(small.rows).toHaveLength(projects.size);
    expect(small).toEqual(await collect(500));
  });
});
