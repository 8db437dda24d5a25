// Turns an export's columns and rows into file bytes: CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX (exceljs).
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

export function toCsv(data: TableData): string {
  const lines = [data.columns.map((c) => csvField(c.header)).join(',')];
  for (const row of data.rows) lines.push(data.columns.map((c) => csvField(row[c.key] ?? null, c.numeric)).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

export async function toXlsx(data: TableData): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ReturnDesk';
  const sheet = workbook.addWorksheet(data.sheet.slice(0, 31) || 'Sheet1');
  sheet.columns = data.columns.map((c) => ({ header: c.header, key: c.key, width: Math.min(40, Math.max(10, c.header.length * 2 + 2)) }));
  for (const row of data.rows) {
    // Ids are decimal strings and stay text: a spreadsheet number would round them past 2^53.
    sheet.addRow(
      Object.fromEntries(data.columns.map((c) => [c.key, c.numeric ? row[c.key] : row[c.key] === null ? null : String(row[c.key])])),
    );
  }
  sheet.getRow(1).font = { bold: true };
  return exactArrayBuffer((await workbook.xlsx.writeBuffer()) as ArrayBuffer | Uint8Array);
}

/** exceljs answers a Buffer (a view on a larger pool) in some builds: copy out exactly its bytes, transferable. */
function exactArrayBuffer(data: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

export async function toFile(format: ExportFormat, data: TableData): Promise<ArrayBuffer> {
  if (format === 'xlsx') return toXlsx(data);
  return exactArrayBuffer(new TextEncoder().encode(toCsv(data)));
}
