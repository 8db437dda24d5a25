// An after-sale's history: the platform's negotiation entries (read on demand, cached per version) plus our own.
import { historyRole, type HistoryEntry } from '../../../common/contract/after-sales';
import { courierByCode } from '../../../common/couriers';
import { conflictReasonSchema } from '../../../common/contract/sync';
import type { NegotiationEntry } from '../platform/types';
import { rowsOfRefund, waybillPayloadSchema } from '../outbox/store';
import type { CoreContext } from '../context/context';
import { getOperator } from '../operators/store';
import { readRow } from './store';
import { statement } from '../sql/statements';

type HistoryCtx = Pick<CoreContext, 'db' | 'clock' | 'logger' | 'platform'>;

interface Cached {
  version: number;
  entries: NegotiationEntry[];
}

function readCache(ctx: HistoryCtx, refundId: string): Cached | null {
  const row = statement(ctx.db, `SELECT version, entries FROM negotiation_history WHERE refund_id = ?`).get(refundId) as
    { version: number; entries: string } | undefined;
  return row ? { version: row.version, entries: JSON.parse(row.entries) as NegotiationEntry[] } : null;
}

/** The platform's entries, fetched only when the after-sale's version moved since the last read; stale ones offline. */
async function platformEntries(ctx: HistoryCtx, shopId: string, refundId: string, version: number): Promise<NegotiationEntry[]> {
  const cached = readCache(ctx, refundId);
  if (cached && cached.version >= version) return cached.entries;
  try {
    const entries = await ctx.platform.clientFor(shopId).getNegotiationHistory(refundId);
    statement(
      ctx.db,
      `INSERT INTO negotiation_history (refund_id, version, entries, fetched_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (refund_id) DO UPDATE SET version = excluded.version, entries = excluded.entries, fetched_at = excluded.fetched_at`,
    ).run(refundId, version, JSON.stringify(entries), ctx.clock.now());
    return entries;
  } catch (error) {
    ctx.logger.warn('negotiation history not available', { refundId, error: error instanceof Error ? error.message : String(error) });
    return cached?.entries ?? [];
  }
}

function localEntries(ctx: HistoryCtx, refundId: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const row of rowsOfRefund(ctx.db, refundId)) {
    const live = row.state === 'waiting' || row.state === 'sending' || row.state === 'retrying';
    // The operator's name as the desk knows it (the id only for an operator since removed).
    const staffName = row.operator_id ? (getOperator(ctx, row.operator_id)?.name ?? row.operator_id) : null;
    // Typed events, not sentences: the renderer words them in the operator's language at display time.
    const base = { source: 'local' as const, title: null, rawRole: null, createTime: row.created_at, staffName };
    if (row.kind === 'submit_waybill' && live) {
      const p = waybillPayloadSchema.parse(JSON.parse(row.payload));
      const courierName = courierByCode(p.expressCode)?.name ?? null;
      const event = { kind: 'waybill_pending' as const, expressCode: p.expressCode, courierName, expressNo: p.expressNo };
      out.push({ ...base, event, role: 'merchant', pending: true });
    } else if (row.kind === 'confirm_receipt' && live) {
      out.push({ ...base, event: { kind: 'confirm_pending' }, role: 'merchant', pending: true });
    }
    if (row.state === 'conflict') {
      const reason = conflictReasonSchema.safeParse(row.conflict_reason).data ?? 'refused';
      out.push({
        ...base,
        createTime: row.updated_at,
        event: { kind: 'refused', reason, platformText: row.last_error },
        role: 'system',
        pending: false,
      });
    }
  }
  return out;
}

export async function afterSaleHistory(ctx: HistoryCtx, refundId: string): Promise<HistoryEntry[] | null> {
  const row = readRow(ctx.db, refundId);
  if (!row) return null;
  const platform = (await platformEntries(ctx, row.shop_id, refundId, row.update_time)).map((e): HistoryEntry => ({
    source: 'platform',
    title: e.title,
    event: null,
    role: historyRole(e.role),
    rawRole: e.role,
    createTime: e.createTime,
    staffName: e.staffAccountName,
    pending: false,
  }));
  return [...platform, ...localEntries(ctx, refundId)].sort((a, b) => a.createTime - b.createTime);
}
