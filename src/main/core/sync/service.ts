// The background service of the pull: the sync scheduler (the outbox worker is outbox/service.ts).
import type { BackgroundService, RunningService } from '../context/services';
import { wakeableSleep } from '../kernel/sleep';
import { readSettings } from '../settings/settings';
import { syncShop } from './engine';
import { pulledShopIds, runtime, type SyncCtx, type SyncOptions } from './runtime';

/** Syncs every connected shop this desk pulls (the sync gate), side by side; failures are recorded per shop, never thrown. */
export async function syncAll(ctx: SyncCtx): Promise<void> {
  let shops: string[] = [];
  try {
    shops = pulledShopIds(ctx);
  } catch (error) {
    ctx.logger.warn('sync: cannot list shops', { error: String(error) });
  }
  await Promise.allSettled(shops.map((shopId) => syncShop(ctx, shopId)));
}

/** The scheduler: a pass over every shop, then a sleep of the desk's sync interval (cut short by `wakeScheduler`). */
export function startSyncScheduler(ctx: SyncCtx, tunables: Partial<SyncOptions> = {}): RunningService {
  const r = runtime(ctx);
  r.options = { ...r.options, ...tunables };
  r.stopping = false;
  const sleep = wakeableSleep();
  r.wakeScheduler = () => sleep.wake();
  const loop = (async () => {
    while (!r.stopping) {
      await syncAll(ctx);
      if (r.stopping) break;
      await sleep.sleep(readSettings(ctx).syncIntervalMs);
    }
  })();
  return {
    async stop() {
      r.stopping = true;
      sleep.wake();
      await Promise.allSettled([loop, ...[...r.shops.values()].map((s) => s.running)]);
      r.wakeScheduler = () => {};
    },
  };
}

export const syncService: BackgroundService = (ctx) => startSyncScheduler(ctx);
