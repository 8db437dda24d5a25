// sync.* and outbox.* handlers: start a run, report status and call counts, list queued actions, retry or dismiss a conflict.
import { DeskError } from '../../../shared/contract/errors';
import type { SyncStatus } from '../../../shared/contract/sync';
import { recordAudit } from '../audit/audit';
import { defineHandlers } from '../handlers';
import { requireOperator } from '../operators/session';
import { requirePermission } from '../operators/permissions';
import { dismissConflict, getRow, listRows, outboxCounts, reopen, toItem, type OutboxRow } from '../outbox/store';
import { audited } from '../desk/audited';
import { getOperator } from '../operators/store';
import type { CoreContext } from '../context';
import { syncShop } from './engine';
import { runtime, shopRuntime, syncShopIds, type SyncCtx } from './runtime';
import { allStates } from './state';

export function syncStatus(ctx: SyncCtx): SyncStatus {
  const r = runtime(ctx);
  const states = new Map(allStates(ctx.db).map((s) => [s.shopId, s]));
  let ids: string[] = [];
  try {
    ids = syncShopIds(ctx);
  } catch {
    ids = [];
  }
  const shopIds = [...new Set([...ids, ...states.keys()])];
  const now = ctx.clock.now();
  const counts = outboxCounts(ctx.db);
  const lastSyncs = [...states.values()].map((s) => s.lastSyncAt).filter((t): t is number => t !== null);
  return {
    online: r.online,
    offlineSince: r.offlineSince,
    lastSyncAt: lastSyncs.length > 0 ? Math.max(...lastSyncs) : r.lastSyncAt,
    pendingUploads: counts.pending,
    conflicts: counts.conflicts,
    shops: shopIds.map((shopId) => {
      const state = states.get(shopId);
      const shop = shopRuntime(ctx, shopId);
      return {
        shopId,
        phase: shop.phase,
        backfill: {
          done: state?.backfillDone ?? false,
          coveredFrom: state ? state.backfillNextEnd : null,
          horizon: state?.backfillHorizon ?? now - r.options.horizonMs,
        },
        highWaterMark: state?.highWaterMark ?? null,
        highWaterMarkRepaired: shop.markRepaired,
        windowMs: state?.windowMs ?? r.options.maxWindowMs,
        lastSyncAt: state?.lastSyncAt ?? null,
        lastError: state?.lastError ?? null,
        calls: { ...shop.calls },
      };
    }),
  };
}

/** The outbox keeps the operator's id; the operator sees the name (or the id of an operator since removed). */
function itemWithOperator(ctx: Pick<CoreContext, 'db'>, row: OutboxRow) {
  const item = toItem(row);
  return row.operator_id ? { ...item, operatorName: getOperator(ctx, row.operator_id)?.name ?? row.operator_id } : item;
}

export const syncHandlers = defineHandlers({
  'sync.run': (ctx, input) => {
    requireOperator(ctx);
    const shops = input.shopId ? [input.shopId] : syncShopIds(ctx);
    if (input.shopId && !syncShopIds(ctx).includes(input.shopId)) {
      throw new DeskError('not_found', `No connected shop ${input.shopId.slice(0, 64)}`, { shopId: input.shopId });
    }
    recordAudit(ctx, { action: 'sync.run', outcome: 'ok', details: { shopIds: shops } });
    for (const shopId of shops) {
      // Runs in the background; the outcome lands in sync.status and the sync.progress events.
      syncShop(ctx, shopId).catch(() => {});
    }
    return { started: shops.length > 0 };
  },
  'sync.status': (ctx) => syncStatus(ctx),
  'outbox.list': (ctx, input) => listRows(ctx.db, input.states, input.limit ?? 200).map((row) => itemWithOperator(ctx, row)),
  'outbox.retry': (ctx, input) => {
    requirePermission(ctx, 'agree_refund');
    const row = getRow(ctx.db, input.id);
    if (!row) throw new DeskError('not_found', `No outbox item ${input.id}`, { id: input.id });
    if (row.state !== 'conflict' && row.state !== 'retrying') {
      throw new DeskError('invalid_state', `Only a conflict or a retrying item can be retried; this one is ${row.state}`, {
        id: row.id,
        state: row.state,
      });
    }
    // Reopened with a re-read owed: the worker looks at the platform's state before anything is sent.
    const reopened = ctx.db.transaction(() => {
      if (!reopen(ctx.db, row, ctx.clock.now())) return false;
      recordAudit(ctx, {
        action: 'outbox.retry',
        outcome: 'ok',
        refundId: row.refund_id,
        details: { id: row.id, kind: row.kind, from: row.state },
      });
      return true;
    })();
    if (!reopened) throw new DeskError('conflict', 'The item changed meanwhile; reload it', { id: row.id });
    ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
    ctx.events.emit('afterSales.changed', { refundIds: [row.refund_id] });
    runtime(ctx).wake();
    return itemWithOperator(ctx, getRow(ctx.db, row.id)!);
  },
  'outbox.dismiss': (ctx, input) =>
    audited(ctx, { action: 'outbox.dismiss', refundId: null }, () => {
      requirePermission(ctx, 'agree_refund');
      const row = getRow(ctx.db, input.id);
      if (!row) throw new DeskError('not_found', `No outbox item ${input.id}`, { id: input.id });
      if (row.state !== 'conflict') {
        throw new DeskError('invalid_state', `Only a conflict can be dismissed; this one is ${row.state}`, {
          id: row.id,
          state: row.state,
        });
      }
      // The operator's own words only: the desk words "dismissed" itself (typed note), the audit names the operator.
      const note = input.reason.trim();
      ctx.db.transaction(() => {
        if (!dismissConflict(ctx.db, row, ctx.clock.now(), note))
          throw new DeskError('conflict', 'The item changed meanwhile; reload it', { id: row.id });
        recordAudit(ctx, {
          action: 'outbox.dismiss',
          outcome: 'dismissed',
          refundId: row.refund_id,
          details: {
            outboxId: row.id,
            kind: row.kind,
            reason: input.reason,
            conflict: row.last_error,
            conflictReason: row.conflict_reason,
          },
        });
      })();
      ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
      ctx.events.emit('afterSales.changed', { refundIds: [row.refund_id] });
      return itemWithOperator(ctx, getRow(ctx.db, row.id)!);
    }),
});
