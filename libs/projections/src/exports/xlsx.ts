import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { whenWritable } from './backpressure';
import { columnHeader, type ExportCell, type FigureTable, type FigureTableSink } from './figure-table';
import { exactCellNumber, percentToFraction } from './spreadsheet-number';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const MONEY_FORMAT = '#,##0.00';
const PERCENT_FORMAT = '0.00%';
const QUANTITY_FORMAT = '#,##0.####';
const YEAR_FORMAT = '0';
/** Header rows: Chinese, English, the figure key. */
const HEADER_ROWS = 3;

type CellValue = { value: string | number | null; numFmt?: string };

/**
 * A cell's value: money as yuan and rates as fractions under a percent format, both parsed from the
 * API's decimal strings; a number with more significant digits than a cell keeps exactly is
 * written as its text instead (see spreadsheet-number).
 */
export function xlsxCell(cell: ExportCell): CellValue {
  switch (cell.kind) {
    case 'text':
      return { value: cell.value };
    case 'year':
      return { value: cell.value, numFmt: YEAR_FORMAT };
    case 'money':
      return exactOrText(cell.value, cell.value, MONEY_FORMAT);
    case 'percent':
      return exactOrText(percentToFraction(cell.value), `${cell.value}%`, PERCENT_FORMAT);
    case 'quantity':
      return exactOrText(cell.value, cell.value, QUANTITY_FORMAT);
    case 'empty':
      return { value: null };
    default: {
      const _exhaustive: never = cell;
      return _exhaustive;
    }
  }
}

function exactOrText(decimal: string, asText: string, numFmt: string): CellValue {
  const number = exactCellNumber(decimal);
  return number === undefined ? { value: asText } : { value: number, numFmt };
}

function describeFilter(table: FigureTable): string {
  const parts = Object.entries(table.filter)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${String(value)}`);
  return parts.length === 0 ? '（全部项目 all projects）' : parts.join(', ');
}

/**
 * figures.xlsx, written as it streams (exceljs' streaming writer: each row goes to the zip as it
 * is committed): sheet 1 the table (three header rows: 中文, English, key), sheet 2 each figure's
 * formula and version, sheet 3 what the file is as of.
 */
export function figureXlsxSink(output: Writable, onBegin: (table: FigureTable) => void = () => undefined): FigureTableSink {
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  let sheet: ExcelJS.Worksheet;
  let table: FigureTable;
  return {
    async begin(begun) {
      table = begun;
      onBegin(table);
      workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
      workbook.creator = 'FundTrail';
      sheet = workbook.addWorksheet('数据 Figures', { views: [{ state: 'frozen', xSplit: 2, ySplit: HEADER_ROWS }] });
      sheet.columns = table.columns.map((column) => ({ key: column.key, width: column.source === 'context' ? (column.key === 'name' ? 40 : 18) : 20 }));
      const headers = table.columns.map(columnHeader);
      const rows = [headers.map((h) => h.zh), headers.map((h) => h.en), table.columns.map((c) => c.key)];
      rows.forEach((values, index) => {
        const row = sheet.addRow(values);
        row.font = index === 2 ? { color: { argb: 'FF808080' }, size: 9 } : { bold: true };
        row.commit();
      });
      await whenWritable(output);
    },
    async rows(rows) {
      for (const cells of rows) {
        const row = sheet.addRow([]);
        cells.forEach((cell, index) => {
          const { value, numFmt } = xlsxCell(cell);
          if (value === null) return;
          const target = row.getCell(index + 1);
          target.value = value;
          if (numFmt) target.numFmt = numFmt;
          else if (typeof value === 'string' && cell.kind !== 'text') target.alignment = { horizontal: 'right' };
        });
        row.commit();
      }
      await whenWritable(output);
    },
    async end() {
      sheet.commit();
      const formulas = workbook.addWorksheet('公式 Formulas', { views: [{ state: 'frozen', ySplit: 1 }] });
      formulas.columns = [
        { header: '指标键 Key', key: 'key', width: 36 },
        { header: '中文名称', key: 'zh', width: 28 },
        { header: 'Name', key: 'en', width: 32 },
        { header: '单位 Unit', key: 'unit', width: 10 },
        { header: '公式 Formula', key: 'formula', width: 100 },
        { header: '公式版本 Version', key: 'formulaVersion', width: 16 },
        { header: '项目数 Projects', key: 'projects', width: 16 },
      ];
      formulas.getRow(1).font = { bold: true };
      for (const row of table.formulas) {
        formulas
          .addRow({
            key: row.key,
            zh: row.label.zh,
            en: row.label.en,
            unit: row.unit,
            formula: row.formula,
            formulaVersion: row.formulaVersion,
            projects: row.projects,
          })
          .commit();
      }
      formulas.commit();
      const about = workbook.addWorksheet('说明 About');
      about.columns = [
        { key: 'what', width: 40 },
        { key: 'value', width: 100 },
      ];
      for (const [what, value] of [
        ['截至日志位置 As of global position', table.asOfPosition.toString()],
        ['项目数 Projects', String(table.projectCount)],
        ['筛选 Filter', describeFilter(table)],
        ['金额 Money', '元，数值保留两位小数；yuan as numbers with 2 decimals, exactly the API values'],
        ['比率 Rates', '百分比，四舍五入至两位小数；percentages, rounded half-up once to 2 decimals, as the API shows them'],
        [
          '空单元格 Empty cells',
          '该指标无值（分母为零或未知）或该项目无此指标；the figure has no value (its reason is in the API) or the project has no such figure',
        ],
      ]) {
        about.addRow({ what, value }).commit();
      }
      about.commit();
      await workbook.commit();
    },
  };
}
