// What the desk calls: cache reads, the waybill index, the scan-miss refresh, and the outbox enqueue/undo.
import type { AfterSale } from '../../../shared/contract/after-sales';
import type { CoreContext } from '../context';
import { readRow, toView } from '../after-sales/store';
import {
  enqueueConfirm as enqueueConfirmRow,
  enqueueWaybill,
  localDetails,
  outboxCounts,
  undoConfirm as undoConfirmRow,
  type ConfirmPayload,
} from '../outbox/store';
import { readSettings } from '../settings/settings';
import { targetedShop } from './engine';
import { runtime, syncShopIds, type SyncCtx } from './runtime';
import { statement } from '../db/statements';

type ReadCtx = Pick<CoreContext, 'db' | 'clock'>;
type WriteCtx = Pick<CoreContext, 'db' | 'clock' | 'events'>;

export type MatchedBy = 'return_waybill' | 'local_alias' | 'outbound_waybill' | 'refund_id' | 'order_id';

/** The contract's view of one cached after-sale, with our pending work on it; null when not in the cache. */
export function getAfterSale(ctx: ReadCtx, refundId: string): AfterSale | null {
  const row = readRow(ctx.db, refundId);
  if (!row) return null;
  const now = ctx.clock.now();
  const view = toView(ctx.db, row, localDetails(ctx.db, refundId, now));
  // The stored state says "pending" until the worker claims the row; past the undo window it is on its way.
  if (view.local.state === 'confirm_pending' && view.local.undoUntil === null) view.local.state = 'confirm_sending';
  return view;
}

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

/**
 * Lists the last few minutes of updates (one shop or all) and reads the details that changed, so a waybill the
 * buyer filled a minute ago is found. Never throws: offline, it answers `refreshed: false`.
 */
export async function targetedRefresh(
  ctx: SyncCtx,
  options: { shopId?: string; lookbackMs?: number } = {},
): Promise<{ refreshed: boolean }> {
  const lookback = options.lookbackMs ?? runtime(ctx).options.targetedLookbackMs;
  let shops: string[];
  try {
    shops = options.shopId ? [options.shopId] : syncShopIds(ctx);
  } catch (error) {
    ctx.logger.warn('targeted refresh: no shops', { error: String(error) });
    return { refreshed: false };
  }
  let refreshed = false;
  for (const shopId of shops) {
    try {
      await targetedShop(ctx, shopId, lookback);
      refreshed = true;
    } catch (error) {
      ctx.logger.warn('targeted refresh failed', { shopId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { refreshed };
}

function afterEnqueue(ctx: WriteCtx, refundId: string): void {
  ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  ctx.events.emit('afterSales.changed', { refundIds: [refundId] });
  runtime(ctx).wake();
}

/** Queues a return-waybill upload for the buyer and shows it locally, in one transaction (nests in the caller's). */
export function enqueueWaybillSubmit(
  ctx: WriteCtx,
  req: { refundId: string; expressNo: string; expressCode: number; operatorId: string | null },
): { outboxId: string } {
  const out = enqueueWaybill(ctx.db, ctx.clock.now(), req);
  afterEnqueue(ctx, req.refundId);
  return out;
}

/** Queues a confirm receipt that may leave only after the undo window; the same refund twice answers the same row. */
export function enqueueConfirm(
  ctx: WriteCtx,
  req: { refundId: string; returnFreight?: ConfirmPayload['returnFreight']; operatorId: string | null },
): { outboxId: string; undoUntil: number } {
  const out = enqueueConfirmRow(ctx.db, ctx.clock.now(), readSettings(ctx).undoWindowMs, req);
  afterEnqueue(ctx, req.refundId);
  return out;
}

/** True when the confirm was cancelled inside its undo window; nothing reached the platform. */
export function undoConfirm(ctx: WriteCtx, refundId: string): boolean {
  const undone = undoConfirmRow(ctx.db, ctx.clock.now(), refundId);
  if (undone) {
    ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
    ctx.events.emit('afterSales.changed', { refundIds: [refundId] });
  }
  return undone;
}

/** Asks the running sync service for a pass now (a shop was just connected); does nothing without the service. */
export function requestSync(ctx: Pick<CoreContext, 'db'>): void {
  runtime(ctx).wakeScheduler();
}
