// The statistics export carries the inspection outcomes: the rows the screen lists, in CSV and in XLSX, with the
// numbers stats.summary answered (those are checked against the recorded inspections in test/integration/backoffice).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { statCells, statColumns, statRows } from '../../../src/renderer/src/backoffice/stats-table';
import { toCsv, toXlsx } from '../../../src/renderer/src/backoffice/table-file';
import en from '../../../src/renderer/src/i18n/locales/en';
import type { Stats } from '../../../src/common/contract/backoffice';
import { inspectionOutcomes } from '../../../src/common/contract/inspection-stats';

const t = createI18n({ legacy: false, locale: 'en', messages: { en } }).global.t as (k: string, p?: Record<string, unknown>) => string;

const stats: Stats = {
  from: 0,
  to: 86_400_000,
  scans: 0,
  scansByHour: Array.from({ length: 24 }, () => 0),
  scansByOperator: [],
  scansByShop: [],
  outcomes: {},
  confirms: 0,
  confirmedAmountFen: 0,
  confirmsAccepted: 0,
  insuranceWarningsShown: 0,
  insuranceWarningsOverridden: 0,
  waybillsUploaded: 0,
  scanToConfirmMedianS: null,
  scanToConfirmCount: 0,
  outboxPending: 0,
  outboxConflicts: 0,
  inspections: inspectionOutcomes({ passed: 4, missing_parts: 2, damaged: 1 }),
};

describe('inspection outcomes in the statistics export', () => {
  it('folds raw counts into passed / failed by reason, every reason listed', () => {
    expect(stats.inspections).toEqual({
      total: 7,
      passed: 4,
      failed: 3,
      byResult: { passed: 4, empty: 0, wrong_item: 0, damaged: 1, missing_parts: 2, used: 0, other: 0 },
    });
  });

  it('lists and exports the same numbers in CSV and XLSX', async () => {
    const rows = statRows(stats, t);
    const value = (id: string) => rows.find((r) => r.id === id)?.value;
    expect([value('inspection.total'), value('inspection.passed'), value('inspection.failed')]).toEqual([7, 4, 3]);
    expect([value('inspection.missing_parts'), value('inspection.damaged'), value('inspection.empty')]).toEqual([2, 1, 0]);

    const data = { sheet: 'stats', columns: statColumns(t), rows: statCells(rows) };
    const csv = toCsv(data);
    expect(csv).toContain('Inspection results,After-sales inspected,7\r\n');
    expect(csv).toContain('Inspection results,Failed: Missing parts,2\r\n');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await toXlsx(data));
    const sheetRows = (book.worksheets[0]!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(sheetRows).toContainEqual(['Inspection results', 'Passed inspection', 4]);
    expect(sheetRows).toContainEqual(['Inspection results', 'Failed inspection', 3]);
  });
});
