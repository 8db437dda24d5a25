// The back office's pure parts: who sees which section, and the export file formats (CSV with BOM, XLSX read back).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isBackOfficeRoute, sectionsFor } from '../../../src/renderer/src/backoffice/sections';
import { csvField, toCsv, toFile, type TableData } from '../../../src/renderer/src/backoffice/table-file';
import { draftOf, patchOf } from '../../../src/renderer/src/backoffice/shop-sync-form';

describe('back office sections', () => {
  it('are shown by permission: nothing without manage_*, operators and audit with manage_operators', () => {
    expect(sectionsFor(['agree_refund'])).toEqual([]);
    const manager = sectionsFor(['agree_refund', 'manage_operators']).map((s) => s.name);
    expect(manager).toContain('admin-operators');
    expect(manager).toContain('admin-audit');
    expect(sectionsFor(['manage_shops']).map((s) => s.name)).not.toContain('admin-operators');
    expect(isBackOfficeRoute('admin-audit')).toBe(true);
    expect(isBackOfficeRoute('desk')).toBe(false);
  });
});

const data: TableData = {
  sheet: '审计',
  columns: [
    { key: 'id', header: '售后单号' },
    { key: 'note', header: '备注' },
    { key: 'fen', header: '金额（分）', numeric: true },
  ],
  rows: [
    { id: '2100000000000000123', note: '箱子破损, "急"', fen: 12900 },
    { id: '2100000000000000124', note: '=HYPERLINK("x")', fen: null },
  ],
};

describe('export files', () => {
  it('writes CSV with a UTF-8 BOM, CRLF lines, quoted separators and no formulas', () => {
    const csv = toCsv(data);
    expect(csv.startsWith('\uFEFF售后单号,备注,金额（分）\r\n')).toBe(true);
    expect(csv).toContain('2100000000000000123,"箱子破损, ""急""",12900\r\n');
    expect(csv).toContain(`2100000000000000124,"'=HYPERLINK(""x"")",\r\n`);
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-5, true)).toBe('-5');
  });

  it('encodes the CSV as UTF-8 bytes starting with EF BB BF', async () => {
    const bytes = new Uint8Array(await toFile('csv', data));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('箱子破损');
  });

  it('writes an XLSX that exceljs reads back with ids as text and amounts as numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await toFile('xlsx', data));
    const sheet = workbook.getWorksheet('审计')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '售后单号', '备注', '金额（分）']);
    expect(sheet.getRow(2).getCell(1).value).toBe('2100000000000000123');
    expect(sheet.getRow(2).getCell(3).value).toBe(12900);
    expect(sheet.getRow(3).getCell(2).value).toBe('=HYPERLINK("x")');
  });
});

describe('the shop sync form', () => {
  it('sends seconds as ms and blanks as the desk default, and names the field out of bounds', () => {
    expect(patchOf({ intervalS: ' 45 ', callsPerSecond: '12' })).toEqual({
      ok: true,
      patch: { syncIntervalMs: 45_000, callsPerSecond: 12 },
    });
    expect(patchOf({ intervalS: '', callsPerSecond: '' })).toEqual({ ok: true, patch: { syncIntervalMs: null, callsPerSecond: null } });
    expect(patchOf({ intervalS: '9', callsPerSecond: '' })).toEqual({ ok: false, field: 'intervalS' });
    expect(patchOf({ intervalS: '3601', callsPerSecond: '' })).toEqual({ ok: false, field: 'intervalS' });
    expect(patchOf({ intervalS: '-30', callsPerSecond: '' })).toEqual({ ok: false, field: 'intervalS' });
    expect(patchOf({ intervalS: '30', callsPerSecond: '101' })).toEqual({ ok: false, field: 'callsPerSecond' });
    expect(patchOf({ intervalS: '30', callsPerSecond: '2.5' })).toEqual({ ok: false, field: 'callsPerSecond' });
    expect(patchOf({ intervalS: '30', callsPerSecond: '0' })).toEqual({ ok: false, field: 'callsPerSecond' });
    expect(draftOf({ syncIntervalMs: 90_000, callsPerSecond: null })).toEqual({ intervalS: '90', callsPerSecond: '' });
  });
});
