// The background service of the pull: the sync scheduler (the outbox worker is outbox/service.ts).
import type { BackgroundService, RunningService } from '../context/services';
import { wakeableSleep } from '../kernel/sleep';
import { readSettings } from '../settings/settings';
import { syncShop } from './engine';
import { pulledShopIds, runtime, type SyncCtx, type SyncOptions } from './runtime';
import { syncIntervalOf } from './shop-settings';

/** Syncs every connected shop this desk pulls (the sync gate), side by side; failures are recorded per shop, never thrown. */
export async function syncAll(ctx: SyncCtx): Promise<void> {
  await Promise.allSettled(listShops(ctx).map((shopId) => syncShop(ctx, shopId)));
}

/** The shops this desk pulls on its schedule: connected, not paused, and let through by the sync gate. */
function listShops(ctx: SyncCtx): string[] {
  try {
    return pulledShopIds(ctx);
  } catch (error) {
    ctx.logger.warn('sync: cannot list shops', { error: String(error) });
    return [];
  }
}

/** How the scheduler waits; tests give one driven by a manual clock. */
export interface SchedulerSleep {
  sleep(ms: number): Promise<void>;
  wake(): void;
}

/**
 * The scheduler: each shop runs on its own, again once its own interval (or the desk's) has passed since its last run
 * ended, so a slow shop never holds back another. It sleeps until the next shop is due; a run ending, a settings change
 * (`reschedule`) or `wakeScheduler` (every shop now: one was just connected) wakes it early.
 */
export function startSyncScheduler(
  ctx: SyncCtx,
  tunables: Partial<SyncOptions> = {},
  sleeper: SchedulerSleep = wakeableSleep(),
): RunningService {
  const r = runtime(ctx);
  r.options = { ...r.options, ...tunables };
  r.stopping = false;
  const lastEnded = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  let everyShopNow = true;
  r.wakeScheduler = () => {
    everyShopNow = true;
    sleeper.wake();
  };
  r.reschedule = () => sleeper.wake();

  const start = (shopId: string) => {
    const run = syncShop(ctx, shopId)
      .catch(() => {}) // recorded in sync_state and the log by the engine
      .finally(() => {
        running.delete(shopId);
        lastEnded.set(shopId, ctx.clock.now());
        sleeper.wake();
      });
    running.set(shopId, run);
  };

  const loop = (async () => {
    while (!r.stopping) {
      const now = ctx.clock.now();
      const all = everyShopNow;
      everyShopNow = false;
      let nextDue = Number.POSITIVE_INFINITY;
      for (const shopId of listShops(ctx)) {
        if (running.has(shopId)) continue;
        const ended = lastEnded.get(shopId);
        const due = all || ended === undefined ? now : ended + syncIntervalOf(ctx, shopId);
        if (due <= now) start(shopId);
        else nextDue = Math.min(nextDue, due);
      }
      if (r.stopping) break;
      await sleeper.sleep(Number.isFinite(nextDue) ? nextDue - now : readSettings(ctx).syncIntervalMs);
    }
  })();
  return {
    async stop() {
      r.stopping = true;
      sleeper.wake();
      await Promise.allSettled([loop, ...running.values(), ...[...r.shops.values()].map((s) => s.running)]);
      r.wakeScheduler = () => {};
      r.reschedule = () => {};
    },
  };
}

export const syncService: BackgroundService = (ctx) => startSyncScheduler(ctx);
