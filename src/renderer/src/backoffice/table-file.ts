// Turns an export's columns and rows into a file, page by page: CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX (exceljs).
export type ExportFormat = 'csv' | 'xlsx';
export type Cell = string | number | null;

export interface ExportColumn {
  key: string;
  header: string;
  /** Numbers stay numbers in XLSX; everything else is text. */
  numeric?: boolean;
}

export interface TableData {
  sheet: string;
  columns: ExportColumn[];
  rows: Record<string, Cell>[];
}

const BOM = '\uFEFF';

/**
 * One CSV field: quoted when it holds a separator, quote or line break; a text that a spreadsheet would run as a
 * formula (= + - @ at the start) gets a leading apostrophe, so a scanned code can never become a formula.
 */
export function csvField(value: Cell, numeric = false): string {
  if (value === null) return '';
  if (typeof value === 'number' && numeric) return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(columns: ExportColumn[], cells: (column: ExportColumn) => Cell, numeric: boolean): string {
  return columns.map((c) => csvField(cells(c), numeric && c.numeric)).join(',');
}

export function toCsv(data: TableData): string {
  const lines = [csvLine(data.columns, (c) => c.header, false)];
  for (const row of data.rows) lines.push(csvLine(data.columns, (c) => row[c.key] ?? null, true));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/**
 * A file built page by page: `append` takes each page as it arrives, `finish` answers the file. The CSV keeps only its
 * encoded bytes (a page is dropped once written); the XLSX keeps exceljs's sheet model, since exceljs streams (its
 * WorkbookWriter) only under Node, not in a browser worker.
 */
export interface TableWriter {
  append(rows: Record<string, Cell>[]): void;
  finish(): Promise<Blob>;
}

export const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function csvWriter(columns: ExportColumn[]): TableWriter {
  const encoder = new TextEncoder();
  // Each page becomes a Blob of its own: the browser may keep large blobs out of the worker's heap.
  const chunks: Blob[] = [new Blob([encoder.encode(`${BOM}${csvLine(columns, (c) => c.header, false)}\r\n`)])];
  return {
    append(rows) {
      if (rows.length === 0) return;
      const text = rows.map((row) => `${csvLine(columns, (c) => row[c.key] ?? null, true)}\r\n`).join('');
      chunks.push(new Blob([encoder.encode(text)]));
    },
    finish: () => Promise.resolve(new Blob(chunks, { type: MIME.csv })),
  };
}

export async function xlsxWriter(sheetName: string, columns: ExportColumn[]): Promise<TableWriter> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ReturnDesk';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31) || 'Sheet1');
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.min(40, Math.max(10, c.header.length * 2 + 2)) }));
  sheet.getRow(1).font = { bold: true };
  return {
    append(rows) {
      for (const row of rows) {
        // Ids are decimal strings and stay text: a spreadsheet number would round them past 2^53.
        sheet.addRow(
          Object.fromEntries(columns.map((c) => [c.key, c.numeric ? row[c.key] : row[c.key] === null ? null : String(row[c.key])])),
        );
      }
    },
    finish: async () => new Blob([exactArrayBuffer((await workbook.xlsx.writeBuffer()) as ArrayBuffer | Uint8Array)], { type: MIME.xlsx }),
  };
}

export function tableWriter(format: ExportFormat, sheet: string, columns: ExportColumn[]): Promise<TableWriter> {
  return format === 'xlsx' ? xlsxWriter(sheet, columns) : Promise.resolve(csvWriter(columns));
}

export async function toXlsx(data: TableData): Promise<ArrayBuffer> {
  return toFile('xlsx', data);
}

/** exceljs answers a Buffer (a view on a larger pool) in some builds: copy out exactly its bytes, transferable. */
function exactArrayBuffer(data: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

/** A whole table at once (the same writers, one page). */
export async function toFile(format: ExportFormat, data: TableData): Promise<ArrayBuffer> {
  const writer = await tableWriter(format, data.sheet, data.columns);
  writer.append(data.rows);
  return (await writer.finish()).arrayBuffer();
}
