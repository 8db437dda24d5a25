// Setting a shop's own sync interval and pacing from the back office: checked, audited, applied live to its pacer and
// to the sync scheduler; and loading every shop's pacing into the platform registry when the core starts.
import {
  callsPerSecondSchema,
  syncIntervalMsSchema,
  type ShopSyncEffective,
  type ShopSyncSettings,
} from '../../../common/contract/shop-sync';
import { DeskError } from '../../../common/contract/errors';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { defineHandlers } from '../context/handlers';
import { requirePermission } from '../operators/permissions';
import type { PlatformRegistry } from '../platform/registry';
import { PUBLISHED_LIMIT_PER_API } from '../platform/pacer';
import { allShopSyncSettings, readShopSyncSettings, syncIntervalOf, writeShopSyncSettings } from '../sync/shop-settings';
import { runtime } from '../sync/runtime';

export interface ShopSyncPatch {
  syncIntervalMs?: number | null;
  callsPerSecond?: number | null;
}

/** The shop's own values and what it runs with now. */
export function shopSyncEffective(ctx: Pick<CoreContext, 'db' | 'platform'>, shopId: string): ShopSyncEffective {
  return {
    ...readShopSyncSettings(ctx.db, shopId),
    effectiveSyncIntervalMs: syncIntervalOf(ctx, shopId),
    effectiveCallsPerSecond: ctx.platform.shopRate(shopId),
  };
}

function refuse(field: keyof ShopSyncPatch, message: string, details: Record<string, unknown>): never {
  throw new DeskError('invalid_input', message, { issues: [{ path: [field], message }], field, ...details });
}

/** The most calls per second this desk may be set to: the platform's limit, or a lower one the desk is configured with. */
export function maxCallsPerSecond(platform: Pick<PlatformRegistry, 'settings'>): number {
  return Math.min(PUBLISHED_LIMIT_PER_API, platform.settings.limitPerApi ?? PUBLISHED_LIMIT_PER_API);
}

/** Checked here too (not only by the contract's schema): in-process callers reach this without dispatch. */
function checkPatch(ctx: Pick<CoreContext, 'platform'>, patch: ShopSyncPatch): void {
  const { syncIntervalMs, callsPerSecond } = patch;
  if (syncIntervalMs !== undefined && syncIntervalMs !== null && !syncIntervalMsSchema.safeParse(syncIntervalMs).success) {
    refuse('syncIntervalMs', 'The sync interval must be a whole number of ms from 10 s to 1 h', { value: syncIntervalMs });
  }
  if (callsPerSecond !== undefined && callsPerSecond !== null) {
    const max = maxCallsPerSecond(ctx.platform);
    if (!callsPerSecondSchema.safeParse(callsPerSecond).success || callsPerSecond > max) {
      refuse('callsPerSecond', `The pacing must be a whole number of calls per second from 1 to ${max}`, { value: callsPerSecond, max });
    }
  }
}

export function setShopSyncSettings(ctx: CoreContext, shopId: string, patch: ShopSyncPatch): ShopSyncEffective {
  const shop = ctx.shops.get(shopId);
  if (shop === null) throw new DeskError('not_found', 'No shop with this id', { shopId });
  checkPatch(ctx, patch);
  const from = readShopSyncSettings(ctx.db, shopId);
  const to: ShopSyncSettings = {
    syncIntervalMs: patch.syncIntervalMs === undefined ? from.syncIntervalMs : patch.syncIntervalMs,
    callsPerSecond: patch.callsPerSecond === undefined ? from.callsPerSecond : patch.callsPerSecond,
  };
  ctx.db.transaction(() => {
    writeShopSyncSettings(ctx.db, shopId, to, ctx.clock.now());
    recordAudit(ctx, { action: 'shops.setSyncSettings', outcome: 'ok', details: { shopId, name: shop.name, from, to } });
  })();
  // Live: the pacer spaces its next calls at the new rate, the scheduler reads the new interval now.
  ctx.platform.setShopRate(shopId, to.callsPerSecond);
  runtime(ctx).reschedule();
  return shopSyncEffective(ctx, shopId);
}

/** Gives the registry every shop's own pacing (the core calls this once it has opened the database). */
export function loadShopPacing(ctx: Pick<CoreContext, 'db' | 'platform'>): void {
  for (const [shopId, settings] of allShopSyncSettings(ctx.db)) ctx.platform.setShopRate(shopId, settings.callsPerSecond);
}

export const shopSyncHandlers = defineHandlers({
  'shops.setSyncSettings': (ctx, input) => {
    requirePermission(ctx, 'manage_shops');
    return { shopId: input.shopId, ...setShopSyncSettings(ctx, input.shopId, input) };
  },
});
