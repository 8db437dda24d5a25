// The background service: the sync scheduler and the outbox worker, recovering in-flight rows at start-up.
import { drainOnce } from '../outbox/worker';
import { interactive } from '../platform/pacer';
import { nextDueAt, outboxCounts, recoverInFlight } from '../outbox/store';
import type { BackgroundService, RunningService } from '../services';
import { readSettings } from '../settings/settings';
import { syncShop } from './engine';
import { configureSync, runtime, syncShopIds, type SyncCtx, type SyncOptions } from './runtime';

/** A sleep that `wake()` cuts short; a wake that comes while nobody sleeps makes the next sleep return at once. */
function wakeableSleep(): { sleep(ms: number): Promise<void>; wake(): void } {
  let cut: (() => void) | null = null;
  let woken = false;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
          clearTimeout(timer);
          cut = null;
          resolve();
        }
        cut = done;
      }),
    wake: () => {
      if (cut) cut();
      else woken = true;
    },
  };
}

/** Syncs every connected shop side by side; failures are recorded per shop, never thrown. */
export async function syncAll(ctx: SyncCtx): Promise<void> {
  let shops: string[] = [];
  try {
    shops = syncShopIds(ctx);
  } catch (error) {
    ctx.logger.warn('sync: cannot list shops', { error: String(error) });
  }
  await Promise.allSettled(shops.map((shopId) => syncShop(ctx, shopId)));
}

export interface SyncServiceOptions extends Partial<SyncOptions> {
  /** Run the scheduler (default true); tests of the outbox alone turn it off. */
  scheduler?: boolean;
  /** Run the outbox worker (default true). */
  worker?: boolean;
}

export function startSyncService(ctx: SyncCtx, options: SyncServiceOptions = {}): RunningService {
  const { scheduler = true, worker = true, ...tunables } = options;
  if (Object.keys(tunables).length > 0) configureSync(ctx, tunables);
  const r = runtime(ctx);
  r.stopping = false;
  const recovered = recoverInFlight(ctx.db, ctx.clock.now());
  if (recovered > 0) {
    ctx.logger.info('outbox: rows in flight at the last stop will be re-checked before sending', { recovered });
    ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  }

  const workerSleep = wakeableSleep();
  r.wake = () => workerSleep.wake();
  const workerLoop = (async () => {
    while (worker && !r.stopping) {
      try {
        // Uploads and confirms, and the re-reads that guard them, are the operator's: ahead of the backfill.
        await interactive(() => drainOnce(ctx));
      } catch (error) {
        ctx.logger.error('outbox worker pass failed', { error: error instanceof Error ? error.message : String(error) });
      }
      if (r.stopping) break;
      const next = nextDueAt(ctx.db);
      const idle = r.options.workerIdleMs;
      await workerSleep.sleep(next === null ? idle : Math.min(idle, Math.max(5, next - ctx.clock.now())));
    }
  })();

  const schedulerSleep = wakeableSleep();
  r.wakeScheduler = () => schedulerSleep.wake();
  const schedulerLoop = (async () => {
    while (scheduler && !r.stopping) {
      await syncAll(ctx);
      if (r.stopping) break;
      await schedulerSleep.sleep(readSettings(ctx).syncIntervalMs);
    }
  })();

  return {
    async stop() {
      r.stopping = true;
      workerSleep.wake();
      schedulerSleep.wake();
      await Promise.allSettled([workerLoop, schedulerLoop, ...[...r.shops.values()].map((s) => s.running)]);
      r.wake = () => {};
      r.wakeScheduler = () => {};
    },
  };
}

export const syncService: BackgroundService = (ctx) => startSyncService(ctx);
