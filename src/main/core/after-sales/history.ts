// An after-sale's history: the platform's negotiation entries (read on demand, cached per version) plus our own.
import { historyRole, type HistoryEntry } from '../../../shared/contract/after-sales';
import { courierByCode } from '../../../shared/couriers';
import type { NegotiationEntry } from '../platform/types';
import { rowsOfRefund, waybillPayloadSchema } from '../outbox/store';
import { clientFor, type SyncCtx } from '../sync/runtime';
import { getOperator } from '../operators/store';
import { readRow } from './store';

interface Cached {
  version: number;
  entries: NegotiationEntry[];
}

function readCache(ctx: SyncCtx, refundId: string): Cached | null {
  const row = ctx.db.prepare(`SELECT version, entries FROM negotiation_history WHERE refund_id = ?`).get(refundId) as
    { version: number; entries: string } | undefined;
  return row ? { version: row.version, entries: JSON.parse(row.entries) as NegotiationEntry[] } : null;
}

/** The platform's entries, fetched only when the after-sale's version moved since the last read; stale ones offline. */
async function platformEntries(ctx: SyncCtx, shopId: string, refundId: string, version: number): Promise<NegotiationEntry[]> {
  const cached = readCache(ctx, refundId);
  if (cached && cached.version >= version) return cached.entries;
  try {
    const entries = await clientFor(ctx, shopId).getNegotiationHistory(refundId);
    ctx.db
      .prepare(
        `INSERT INTO negotiation_history (refund_id, version, entries, fetched_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (refund_id) DO UPDATE SET version = excluded.version, entries = excluded.entries, fetched_at = excluded.fetched_at`,
      )
      .run(refundId, version, JSON.stringify(entries), ctx.clock.now());
    return entries;
  } catch (error) {
    ctx.logger.warn('negotiation history not available', { refundId, error: error instanceof Error ? error.message : String(error) });
    return cached?.entries ?? [];
  }
}

function localEntries(ctx: SyncCtx, refundId: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const row of rowsOfRefund(ctx.db, refundId)) {
    const live = row.state === 'waiting' || row.state === 'sending' || row.state === 'retrying';
    // The operator's name as the desk knows it (the id only for an operator since removed).
    const staffName = row.operator_id ? (getOperator(ctx, row.operator_id)?.name ?? row.operator_id) : null;
    const base = { source: 'local' as const, rawRole: null, createTime: row.created_at, staffName };
    if (row.kind === 'submit_waybill' && live) {
      const p = waybillPayloadSchema.parse(JSON.parse(row.payload));
      const courier = courierByCode(p.expressCode)?.name ?? String(p.expressCode);
      out.push({ ...base, title: `商家代买家填写退货物流：${courier} ${p.expressNo}（待上传）`, role: 'merchant', pending: true });
    } else if (row.kind === 'confirm_receipt' && live) {
      out.push({ ...base, title: '商家确认收货（待发送）', role: 'merchant', pending: true });
    }
    if (row.state === 'conflict') {
      out.push({
        ...base,
        createTime: row.updated_at,
        title: `平台拒绝了本地操作：${row.last_error ?? ''}`,
        role: 'system',
        pending: false,
      });
    }
  }
  return out;
}

export async function afterSaleHistory(ctx: SyncCtx, refundId: string): Promise<HistoryEntry[] | null> {
  const row = readRow(ctx.db, refundId);
  if (!row) return null;
  const platform = (await platformEntries(ctx, row.shop_id, refundId, row.update_time)).map((e): HistoryEntry => ({
    source: 'platform',
    title: e.title,
    role: historyRole(e.role),
    rawRole: e.role,
    createTime: e.createTime,
    staffName: e.staffAccountName,
    pending: false,
  }));
  return [...platform, ...localEntries(ctx, refundId)].sort((a, b) => a.createTime - b.createTime);
}
