// Exports of the back office: each source pages through the core (the desk keeps working meanwhile), the worker builds
// the file, the browser saves it. Sources: the queue as filtered, the audit, unmatched parcels, statistics.
import type { AfterSaleFilter } from '../../../common/contract/after-sales';
import type { AuditSearch } from '../../../common/contract/backoffice';
import { deskApi } from '../api';
import { i18n } from '../i18n';
import { statusName } from '../ui/format';
import type { Cell, ExportColumn, ExportFormat, TableData } from './table-file';
import ExportWorker from './export-worker?worker';

const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);
const PAGE = 500;

export interface ExportSource {
  sheet: string;
  columns: ExportColumn[];
  pages(): AsyncGenerator<Record<string, Cell>[]>;
}

const col = (key: string, header: string, numeric = false): ExportColumn => ({ key, header: t(header), numeric });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function auditExport(query: AuditSearch): ExportSource {
  return {
    sheet: t('backoffice.section.admin-audit'),
    columns: [
      col('id', 'backoffice.audit.id', true),
      col('at', 'backoffice.audit.at'),
      col('operator', 'backoffice.audit.operator'),
      col('action', 'backoffice.audit.action'),
      col('outcome', 'backoffice.audit.outcome'),
      col('refundId', 'backoffice.audit.refundId'),
      col('code', 'backoffice.audit.code'),
      col('overridden', 'backoffice.audit.overridden'),
      col('details', 'backoffice.audit.details'),
    ],
    async *pages() {
      let beforeId: number | undefined;
      for (;;) {
        const { entries } = await deskApi.call('audit.search', { ...query, limit: PAGE, ...(beforeId ? { beforeId } : {}) });
        yield entries.map((e) => ({
          id: e.id,
          at: iso(e.at),
          operator: e.operatorName,
          action: e.action,
          outcome: e.outcome,
          refundId: e.refundId,
          code: e.scannedCode,
          overridden: e.overriddenWarning,
          details: e.details ? JSON.stringify(e.details) : null,
        }));
        if (entries.length < PAGE) return;
        beforeId = entries.at(-1)!.id;
      }
    },
  };
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
      yield parcels.map((p) => ({
        registeredAt: iso(p.registeredAt),
        code: p.code,
        courier: courierOf(p.normalized),
        operator: p.operatorName,
        note: p.note,
        refundId: p.resolvedRefundId,
      }));
    },
  };
}

export function queueExport(filter: AfterSaleFilter, shopName: (shopId: string) => string): ExportSource {
  return {
    sheet: t('nav.queue'),
    columns: [
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
    async *pages() {
      for (let offset = 0; ; offset += PAGE) {
        const { items } = await deskApi.call('afterSales.list', { filter, limit: PAGE, offset });
        yield items.map((a) => ({
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
        }));
        if (items.length < PAGE) return;
      }
    },
  };
}

/** A table already in memory (the statistics) as a source. */
export function rowsExport(sheet: string, columns: ExportColumn[], rows: Record<string, Cell>[]): ExportSource {
  return {
    sheet,
    columns,
    async *pages() {
      yield rows;
    },
  };
}

/** Builds the file in the worker; the main thread only gathers rows between awaits. */
function build(format: ExportFormat, data: TableData): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const worker = new ExportWorker();
    worker.onmessage = (event: MessageEvent<{ ok: true; bytes: ArrayBuffer } | { ok: false; message: string }>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.bytes);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage({ format, data });
  });
}

export const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function runExport(
  source: ExportSource,
  format: ExportFormat,
  onProgress: (rows: number, phase: 'reading' | 'writing') => void,
): Promise<{ bytes: ArrayBuffer; rows: number }> {
  const rows: Record<string, Cell>[] = [];
  for await (const page of source.pages()) {
    rows.push(...page);
    onProgress(rows.length, 'reading');
  }
  onProgress(rows.length, 'writing');
  const bytes = await build(format, { sheet: source.sheet, columns: source.columns, rows });
  return { bytes, rows: rows.length };
}

export function saveFile(bytes: ArrayBuffer, filename: string, format: ExportFormat): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: MIME[format] }));
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
