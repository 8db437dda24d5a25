// The outbox worker as a background service: recovers rows caught in flight (and, without a warehouse, rows handed to
// one before), then drains whatever is due.
import type { BackgroundService, RunningService } from '../context/services';
import { wakeableSleep } from '../kernel/sleep';
import { interactive } from '../platform/pacer';
import { reclaimDelegated } from './delegated';
import { nextDueAt, outboxCounts, recoverInFlight } from './store';
import { drainOnce, type WorkerCtx } from './worker';

export function startOutboxWorker(ctx: WorkerCtx): RunningService {
  const r = ctx.outbox;
  r.stopping = false;
  const recovered = recoverInFlight(ctx.db, ctx.clock.now());
  if (recovered > 0) {
    ctx.logger.info('outbox: rows in flight at the last stop will be re-checked before sending', { recovered });
    ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  }
  const sleep = wakeableSleep();
  r.wake = () => sleep.wake();
  const loop = (async () => {
    // One turn first: an outer layer attached right after createCore (warehouse mode's delegate) is in place for the
    // first pass, so no row goes out on its own before the desk knows it shares its outbox.
    await new Promise((resolve) => setImmediate(resolve));
    if (!r.delegate && !r.stopping) reclaimAtStart(ctx);
    while (!r.stopping) {
      try {
        // Uploads and confirms, and the re-reads that guard them, are the operator's: ahead of the backfill.
        await interactive(() => drainOnce(ctx));
      } catch (error) {
        ctx.logger.error('outbox worker pass failed', { error: error instanceof Error ? error.message : String(error) });
      }
      if (r.stopping) break;
      const next = nextDueAt(ctx.db);
      const idle = r.options.workerIdleMs;
      await sleep.sleep(next === null ? idle : Math.min(idle, Math.max(5, next - ctx.clock.now())));
    }
  })();
  return {
    async stop() {
      r.stopping = true;
      sleep.wake();
      await loop;
      r.wake = () => {};
    },
  };
}

/** No warehouse this time: rows handed to one before (warehouse mode left) are this desk's to send again. */
function reclaimAtStart(ctx: WorkerCtx): void {
  const reclaimed = reclaimDelegated(ctx.db, ctx.clock.now());
  if (reclaimed > 0) {
    ctx.logger.info('outbox: rows handed to a warehouse before are sent from this desk again, re-checked first', { reclaimed });
    ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  }
}

export const outboxService: BackgroundService = (ctx) => startOutboxWorker(ctx);
