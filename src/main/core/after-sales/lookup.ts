// The scan index: a normalized code to the after-sales it names (return waybill, alias, outbound waybill, refund, order).
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';

export type MatchedBy = 'return_waybill' | 'local_alias' | 'outbound_waybill' | 'refund_id' | 'order_id';

/** Refund ids holding this normalized waybill as their return waybill (the platform's, or ours still uploading). */
export function findByReturnWaybill(ctx: Pick<CoreContext, 'db'>, normalized: string): string[] {
  return statement(
    ctx.db,
    `SELECT refund_id FROM after_sales WHERE return_waybill_norm = @n
       UNION SELECT refund_id FROM after_sales WHERE local_waybill_norm = @n ORDER BY refund_id`,
  )
    .pluck()
    .all({ n: normalized }) as string[];
}

/** Looks a normalized scan up in the index: return waybill, local alias, the original outbound waybill, refund id, order id. */
export function findByCode(ctx: Pick<CoreContext, 'db'>, normalized: string): { matchedBy: MatchedBy; refundIds: string[] } | null {
  if (normalized === '') return null;
  const byReturn = findByReturnWaybill(ctx, normalized);
  if (byReturn.length > 0) return { matchedBy: 'return_waybill', refundIds: byReturn };
  // A label the operator tied to an after-sale at this desk (waybills.alias): the parcel in hand, not the platform's record.
  const byAlias = statement(ctx.db, `SELECT refund_id FROM waybill_aliases WHERE normalized = ?`).pluck().all(normalized) as string[];
  if (byAlias.length > 0) return { matchedBy: 'local_alias', refundIds: byAlias };
  const byOutbound = statement(
    ctx.db,
    `SELECT DISTINCT a.refund_id FROM order_waybills w JOIN after_sales a ON a.order_id = w.order_id
       WHERE w.normalized = ? ORDER BY a.update_time DESC`,
  )
    .pluck()
    .all(normalized) as string[];
  if (byOutbound.length > 0) return { matchedBy: 'outbound_waybill', refundIds: byOutbound };
  if (/^\d{1,20}$/.test(normalized)) {
    const byRefund = statement(ctx.db, `SELECT refund_id FROM after_sales WHERE refund_id = ?`).pluck().all(normalized) as string[];
    if (byRefund.length > 0) return { matchedBy: 'refund_id', refundIds: byRefund };
    const byOrder = statement(ctx.db, `SELECT refund_id FROM after_sales WHERE order_id = ? ORDER BY update_time DESC`)
      .pluck()
      .all(normalized) as string[];
    if (byOrder.length > 0) return { matchedBy: 'order_id', refundIds: byOrder };
  }
  return null;
}
