import type { Writable } from 'node:stream';
import { endOutput, writeWithBackpressure } from './backpressure';
import { columnHeader, type ExportCell, type FigureTable, type FigureTableSink } from './figure-table';

/** Excel reads a CSV file as UTF-8 (and so shows Chinese) only when it starts with a byte-order mark. */
export const UTF8_BOM = '\ufeff';
export const CSV_LINE_END = '\r\n';

/** RFC 4180: a field is quoted when it holds a comma, a quote or a line break; quotes are doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}${CSV_LINE_END}`;
}

/**
 * Text a person typed, made inert for spreadsheet programs: a cell that starts with = + - @ (or a
 * tab or carriage return) is read as a formula by Excel and LibreOffice, so it gets a leading
 * apostrophe (OWASP's CSV-injection advice). Numbers are written by the exporter, never from text.
 */
export function inertText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cellText(cell: ExportCell): string {
  switch (cell.kind) {
    case 'text':
      return inertText(cell.value);
    case 'year':
      return String(cell.value);
    case 'money':
    case 'percent':
    case 'quantity':
      return cell.value;
    case 'empty':
      return '';
    default: {
      const _exhaustive: never = cell;
      return _exhaustive;
    }
  }
}

/**
 * figures.csv: UTF-8 with a BOM, CRLF line ends, one header line `中文 / English [key]`, then a
 * line per project. Money and rates are the API's decimal strings (yuan; percent), exactly.
 */
export function figureCsvSink(output: Writable, onBegin: (table: FigureTable) => void = () => undefined): FigureTableSink {
  return {
    async begin(table) {
      onBegin(table);
      const headers = table.columns.map((column) => {
        const { zh, en } = columnHeader(column);
        return `${zh} / ${en} [${column.key}]`;
      });
      await writeWithBackpressure(output, UTF8_BOM + csvLine(headers));
    },
    async rows(rows) {
      await writeWithBackpressure(output, rows.map((row) => csvLine(row.map(cellText))).join(''));
    },
    end: () => endOutput(output),
  };
}
