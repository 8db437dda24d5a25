// The pull on demand: the targeted refresh after a scan miss, and a pass asked for when a shop was just connected.
import type { CoreContext } from '../context/context';
import { targetedShop } from './engine';
import { runtime, syncShopIds, type SyncCtx } from './runtime';

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

/** Asks the running sync service for a pass now (a shop was just connected); does nothing without the service. */
export function requestSync(ctx: Pick<CoreContext, 'sync'>): void {
  runtime(ctx).wakeScheduler();
}
