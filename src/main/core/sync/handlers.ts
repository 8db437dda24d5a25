// sync.* handlers: start a run, report status (online state, progress per shop, call counts, what the outbox holds).
import { DeskError } from '../../../common/contract/errors';
import type { SyncStatus } from '../../../common/contract/sync';
import { recordAudit } from '../audit-log/audit';
import { defineHandlers } from '../context/handlers';
import { requireOperator } from '../operators/session';
import { outboxCounts } from '../outbox/store';
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
    online: ctx.platform.health.online,
    offlineSince: ctx.platform.health.offlineSince,
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
        calls: { ...ctx.platform.health.callsOf(shopId) },
      };
    }),
  };
}

export const syncHandlers = defineHandlers({
  'sync.run': (ctx, input) => {
    requireOperator(ctx);
    if (input.shopId && !syncShopIds(ctx).includes(input.shopId)) {
      throw new DeskError('not_found', `No connected shop ${input.shopId.slice(0, 64)}`, { shopId: input.shopId });
    }
    // A shop another desk pulls (warehouse mode) is not pulled here: its rows arrive from that desk.
    const shops = (input.shopId ? [input.shopId] : syncShopIds(ctx)).filter((shopId) => ctx.sync.gate.pulls(shopId));
    recordAudit(ctx, { action: 'sync.run', outcome: 'ok', details: { shopIds: shops } });
    for (const shopId of shops) {
      // Runs in the background; the outcome lands in sync.status and the sync.progress events.
      syncShop(ctx, shopId).catch(() => {});
    }
    return { started: shops.length > 0 };
  },
  'sync.status': (ctx) => syncStatus(ctx),
});
