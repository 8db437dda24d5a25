// What the desk queues: a return-waybill upload and a confirm receipt (with its undo), each told to the desk and the worker.
import type { CoreContext } from '../context/context';
import { readSettings } from '../settings/settings';
import {
  enqueueConfirm as enqueueConfirmRow,
  enqueueWaybill,
  outboxCounts,
  undoConfirm as undoConfirmRow,
  type ConfirmPayload,
} from './store';

type WriteCtx = Pick<CoreContext, 'db' | 'clock' | 'events' | 'outbox'>;

function afterEnqueue(ctx: WriteCtx, refundId: string): void {
  ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  ctx.events.emit('afterSales.changed', { refundIds: [refundId] });
  ctx.outbox.wake();
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
