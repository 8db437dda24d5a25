// Exports page through the core: each page is read only after the previous one is in the file, the file equals the
// one built from all rows at once (CSV with its BOM, XLSX read back), progress counts toward the total, and a cancel
// between pages stops the reading and drops the file.
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../../src/common/contract/audit';

const calls: { method: string; input: Record<string, unknown> }[] = [];
const LOG: AuditEntry[] = Array.from({ length: 1234 }, (_, i) => ({
  id: 1234 - i,
  at: Date.UTC(2026, 0, 1) + (1234 - i) * 1000,
  operatorId: 'op-1',
  operatorName: i % 2 ? '店长' : null,
  action: i % 3 ? 'scan' : 'receipt.confirm',
  outcome: i % 5 ? 'ready' : 'not_found',
  refundId: i % 4 ? String(2_100_000_000_000_000_000n + BigInt(i)) : null,
  scannedCode: `SF${1_000_000_000 + i}`,
  overriddenWarning: i % 7 ? null : 'insurance_no_waybill',
  details: i % 11 ? null : { note: `箱子破损, "急" ${i}` },
  desk: i % 2 ? null : 'desk-b',
  cursor: `${Date.UTC(2026, 0, 1) + (1234 - i) * 1000}.${i % 2 ? 0 : 1}.${1234 - i}`,
}));

/** 1,100 after-sales in the list's order (newest first), served by keyset like the core. */
const QUEUE = Array.from({ length: 1100 }, (_, i) => ({
  shopId: i % 2 ? 'shop-a' : 'shop-b',
  refundId: String(2_200_000_000_000_000_000n + BigInt(i)),
  orderId: String(3_300_000_000_000_000_000n + BigInt(i)),
  itemTitle: `商品 ${i}`,
  skuName: null,
  status: 40,
  refundFee: 1000 + i,
  returnWaybill: { expressNo: `YT${5_000_000_000 + i}`, courierName: '圆通' },
  freightInsurance: i % 3 === 0,
  local: { state: 'none' },
  updateTime: 1_800_000_000_000 - i * 1000,
}));
function queuePage(input: Record<string, unknown>) {
  const after = input.after as { updateTime: number } | undefined;
  const rest = after ? QUEUE.filter((a) => a.updateTime < after.updateTime) : QUEUE;
  return { items: rest.slice(0, input.limit as number), total: QUEUE.length, textLimitedToQueue: false };
}

vi.mock('../../../src/renderer/src/i18n', () => ({ i18n: { global: { t: (key: string) => key } } }));
vi.mock('../../../src/renderer/src/api', () => ({
  deskApi: {
    call: async (method: string, input: Record<string, unknown>) => {
      calls.push({ method, input });
      if (method === 'afterSales.list') return queuePage(input);
      if (method !== 'audit.search') throw new Error(`unexpected ${method}`);
      // Every desk's entries, paged by the last entry's cursor (LOG is newest first, one entry per second).
      if (input.allDesks !== true) throw new Error('the export reads every desk’s entries');
      const before = input.before === undefined ? Number.POSITIVE_INFINITY : Number((input.before as string).split('.')[0]);
      const entries = LOG.filter((e) => e.at < before).slice(0, input.limit as number);
      return { entries, actions: [], total: input.countTotal ? LOG.length : null };
    },
  },
}));

const { auditExport, EXPORT_PAGE, isCancelled, pagedSource, queueExport, runExport } =
  await import('../../../src/renderer/src/backoffice/exports');
const { localSink } = await import('../../../src/renderer/src/backoffice/export-sink');
const { toFile } = await import('../../../src/renderer/src/backoffice/table-file');

/** The same table built at once from every row the pages gave. */
async function allAtOnce(format: 'csv' | 'xlsx') {
  const source = auditExport({});
  const rows = [];
  for await (const page of source.pages()) rows.push(...page.rows);
  calls.length = 0;
  return new Uint8Array(await toFile(format, { sheet: source.sheet, columns: source.columns, rows }));
}

async function sheetRows(bytes: ArrayBuffer | Uint8Array): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as ArrayBuffer);
  const out: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

beforeEach(() => {
  calls.length = 0;
});

describe('paged exports', () => {
  it('reads the audit page by page into the CSV, equal to the whole-table file, BOM first, progress toward the total', async () => {
    const expected = await allAtOnce('csv');
    const progress: string[] = [];
    const sink = localSink();
    const appended: number[] = [];
    const append = sink.append.bind(sink);
    sink.append = async (rows) => {
      appended.push(rows.length);
      // The next page is not asked for while this one is being written.
      expect(calls).toHaveLength(appended.length);
      await append(rows);
    };
    const { file, rows } = await runExport(auditExport({ action: 'scan' }), 'csv', sink, (p) =>
      progress.push(`${p.phase}:${p.rows}/${p.total}`),
    );
    expect(rows).toBe(1234);
    expect(calls.map((c) => c.input.before ?? null)).toEqual([null, LOG[EXPORT_PAGE - 1]!.cursor, LOG[2 * EXPORT_PAGE - 1]!.cursor]);
    expect(calls.every((c) => c.input.action === 'scan' && c.input.limit === EXPORT_PAGE)).toBe(true);
    expect(calls.map((c) => c.input.countTotal)).toEqual([true, false, false]);
    expect(appended).toEqual([500, 500, 234]);
    expect(progress).toEqual(['reading:500/1234', 'reading:1000/1234', 'reading:1234/1234', 'writing:1234/1234']);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes).toEqual(expected);
    expect(new TextDecoder().decode(bytes)).toContain('箱子破损');
  });

  it('reads the queue as filtered by keyset pages (no growing offset), every row once, in order', async () => {
    const progress: number[] = [];
    const { file, rows } = await runExport(
      queueExport({ shopId: 'shop-a' }, (id) => `店铺 ${id}`),
      'csv',
      localSink(),
      (p) => progress.push(p.total ?? -1),
    );
    expect(rows).toBe(1100);
    expect(calls.map((c) => c.method)).toEqual(['afterSales.list', 'afterSales.list', 'afterSales.list']);
    expect(calls.every((c) => (c.input.filter as { shopId: string }).shopId === 'shop-a' && c.input.offset === undefined)).toBe(true);
    expect(calls.map((c) => (c.input.after as { refundId: string } | undefined)?.refundId ?? null)).toEqual([
      null,
      QUEUE[EXPORT_PAGE - 1]!.refundId,
      QUEUE[2 * EXPORT_PAGE - 1]!.refundId,
    ]);
    expect(new Set(progress)).toEqual(new Set([1100]));
    const lines = new TextDecoder()
      .decode(await file.arrayBuffer())
      .split('\r\n')
      .filter(Boolean);
    expect(lines).toHaveLength(1101);
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(QUEUE.map((a) => a.refundId));
  });

  it('builds the same XLSX page by page as at once', async () => {
    const expected = await sheetRows(await allAtOnce('xlsx'));
    const { file } = await runExport(auditExport({}), 'xlsx', localSink(), () => {});
    expect(calls).toHaveLength(3);
    const got = await sheetRows(await file.arrayBuffer());
    expect(got).toHaveLength(1235);
    expect(got).toEqual(expected);
    expect(got[2]![6]).toBe('2100000000000000001'); // ids stay text (after the desk column)
  });

  it('stops reading when cancelled between pages, and drops the half-built file', async () => {
    const controller = new AbortController();
    const sink = localSink();
    const abort = vi.spyOn(sink, 'abort');
    const finish = vi.spyOn(sink, 'finish');
    const fetchPage = vi.fn(async (cursor: number | null) => {
      const at = cursor ?? 0;
      return { rows: [{ n: at }], next: at + 1, total: 10 };
    });
    const source = pagedSource('s', [{ key: 'n', header: 'n', numeric: true }], fetchPage);
    const run = runExport(
      source,
      'csv',
      sink,
      (p) => {
        if (p.rows === 2) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toSatisfy(isCancelled);
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(abort).toHaveBeenCalledOnce();
    expect(finish).not.toHaveBeenCalled();
  });
});
