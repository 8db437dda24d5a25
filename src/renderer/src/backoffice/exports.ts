// Exports of the back office: each source pages through the core, every page goes to the sink (the export worker) as
// soon as it is read, the browser saves the file. Sources: the queue as filtered, the audit, unmatched parcels, statistics.
import { cursorOf, type AfterSaleFilter, type ListCursor } from '../../../common/contract/after-sales';
import type { AuditSearch } from '../../../common/contract/backoffice';
import { deskApi } from '../api';
import { i18n } from '../i18n';
import { statusName } from '../ui/format';
import type { ExportSink } from './export-sink';
import { MIME, type Cell, type ExportColumn, type ExportFormat } from './table-file';

const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);
/** Rows read from the core at a time: what the desk's thread holds of an export at most. */
export const EXPORT_PAGE = 500;

export interface ExportPage {
  rows: Record<string, Cell>[];
  /** Rows the whole export will have, when the source knows it. */
  total: number | null;
}

export interface ExportSource {
  sheet: string;
  columns: ExportColumn[];
  pages(): AsyncGenerator<ExportPage>;
}

/** One page from the core and where the next one starts (null: this was the last). */
export interface FetchedPage<C> {
  rows: Record<string, Cell>[];
  next: C | null;
  total: number | null;
}

/** A source read page by page through `fetchPage`, each page asked for only after the previous one was written. */
export function pagedSource<C>(
  sheet: string,
  columns: ExportColumn[],
  fetchPage: (cursor: C | null) => Promise<FetchedPage<C>>,
): ExportSource {
  return {
    sheet,
    columns,
    async *pages() {
      let cursor: C | null = null;
      let total: number | null = null;
      do {
        const page: FetchedPage<C> = await fetchPage(cursor);
        total ??= page.total;
        yield { rows: page.rows, total };
        cursor = page.next;
      } while (cursor !== null);
    },
  };
}

const col = (key: string, header: string, numeric = false): ExportColumn => ({ key, header: t(header), numeric });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function auditExport(query: AuditSearch): ExportSource {
  return pagedSource<string>(
    t('backoffice.section.admin-audit'),
    [
      col('id', 'backoffice.audit.id', true),
      col('desk', 'warehouseRecords.desk'),
      col('at', 'backoffice.audit.at'),
      col('operator', 'backoffice.audit.operator'),
      col('action', 'backoffice.audit.action'),
      col('outcome', 'backoffice.audit.outcome'),
      col('refundId', 'backoffice.audit.refundId'),
      col('code', 'backoffice.audit.code'),
      col('overridden', 'backoffice.audit.overridden'),
      col('details', 'backoffice.audit.details'),
    ],
    async (before) => {
      const first = before === null;
      const { entries, total } = await deskApi.call('audit.search', {
        ...query,
        allDesks: true,
        limit: EXPORT_PAGE,
        countTotal: first,
        ...(first ? {} : { before }),
      });
      return {
        rows: entries.map((e) => ({
          id: e.id,
          desk: e.desk ?? t('warehouseRecords.thisDesk'),
          at: iso(e.at),
          operator: e.operatorName,
          action: e.action,
          outcome: e.outcome,
          refundId: e.refundId,
          code: e.scannedCode,
          overridden: e.overriddenWarning,
          details: e.details ? JSON.stringify(e.details) : null,
        })),
        next: entries.length < EXPORT_PAGE ? null : (entries.at(-1)!.cursor ?? null),
        total,
      };
    },
  );
}

export function unmatchedExport(courierOf: (normalized: string | null) => string): ExportSource {
  return {
    sheet: t('backoffice.section.admin-unmatched'),
    columns: [
      col('registeredAt', 'backoffice.unmatched.registeredAt'),
      col('code', 'backoffice.unmatched.code'),
      col('courier', 'backoffice.unmatched.courier'),
      col('operator', 'backoffice.unmatched.operator'),
      col('note', 'backoffice.unmatched.note'),
      col('refundId', 'backoffice.unmatched.boundTo'),
    ],
    async *pages() {
      const parcels = await deskApi.call('parcels.listUnmatched', {});
      const rows = parcels.map((p) => ({
        registeredAt: iso(p.registeredAt),
        code: p.code,
        courier: courierOf(p.normalized),
        operator: p.operatorName,
        note: p.note,
        refundId: p.resolvedRefundId,
      }));
      yield { rows, total: rows.length };
    },
  };
}

export function queueExport(filter: AfterSaleFilter, shopName: (shopId: string) => string): ExportSource {
  return pagedSource<ListCursor>(
    t('nav.queue'),
    [
      col('shop', 'backoffice.exports.shop'),
      col('refundId', 'backoffice.exports.refundId'),
      col('orderId', 'backoffice.exports.orderId'),
      col('item', 'backoffice.exports.item'),
      col('status', 'backoffice.exports.status'),
      col('refundFee', 'backoffice.exports.refundFeeFen', true),
      col('waybill', 'backoffice.exports.waybill'),
      col('courier', 'backoffice.exports.courier'),
      col('insurance', 'backoffice.exports.insurance'),
      col('local', 'backoffice.exports.local'),
      col('updated', 'backoffice.exports.updated'),
    ],
    // Keyset pages: each continues after the last row read, so a long export costs no growing offset.
    async (after) => {
      const { items, total } = await deskApi.call('afterSales.list', { filter, limit: EXPORT_PAGE, ...(after ? { after } : {}) });
      return {
        rows: items.map((a) => ({
          shop: shopName(a.shopId),
          refundId: a.refundId,
          orderId: a.orderId,
          item: [a.itemTitle, a.skuName].filter(Boolean).join(' '),
          status: statusName(t, a.status),
          refundFee: a.refundFee,
          waybill: a.returnWaybill?.expressNo ?? null,
          courier: a.returnWaybill?.courierName ?? null,
          insurance: a.freightInsurance === null ? null : a.freightInsurance ? t('backoffice.yes') : t('backoffice.no'),
          local: t(`localState.${a.local.state}`),
          updated: iso(a.updateTime),
        })),
        next: items.length < EXPORT_PAGE ? null : cursorOf(items.at(-1)!),
        total,
      };
    },
  );
}

/** A table already in memory (the statistics) as a source. */
export function rowsExport(sheet: string, columns: ExportColumn[], rows: Record<string, Cell>[]): ExportSource {
  return {
    sheet,
    columns,
    async *pages() {
      yield { rows, total: rows.length };
    },
  };
}

export interface ExportProgress {
  rows: number;
  total: number | null;
  phase: 'reading' | 'writing';
}

/**
 * Reads the source page by page and hands each page to the sink before reading the next, so the desk's thread holds
 * one page at a time; `signal` cancels between pages (the half-built file is dropped, nothing is saved).
 */
export async function runExport(
  source: ExportSource,
  format: ExportFormat,
  sink: ExportSink,
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<{ file: Blob; rows: number }> {
  const cancelled = () => new DOMException('export cancelled', 'AbortError');
  let rows = 0;
  let total: number | null = null;
  try {
    await sink.start(format, source.sheet, source.columns);
    for await (const page of source.pages()) {
      if (signal?.aborted) throw cancelled();
      total = page.total;
      await sink.append(page.rows);
      rows += page.rows.length;
      onProgress({ rows, total, phase: 'reading' });
      if (signal?.aborted) throw cancelled();
    }
    onProgress({ rows, total, phase: 'writing' });
    return { file: await sink.finish(), rows };
  } catch (error) {
    sink.abort();
    throw error;
  }
}

export function isCancelled(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function saveFile(file: Blob, filename: string, format: ExportFormat): void {
  const url = URL.createObjectURL(file.type ? file : new Blob([file], { type: MIME[format] }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** returndesk-audit-20260130-0512.csv */
export function exportFileName(name: string, format: ExportFormat, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`;
  return `returndesk-${name}-${stamp}.${format}`;
}
