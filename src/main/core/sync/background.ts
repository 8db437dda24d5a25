// Targeted refreshes off the scan path: a miss answers from the cache at once, and this runs the refresh in the
// background, coalescing a burst of misses into at most one running refresh plus one queued behind it.
import { interactive } from '../platform/pacer';
import { targetedRefresh } from './refresh';
import { runtime, syncShopIds, type SyncCtx } from './runtime';

type Waiter = (refreshed: boolean) => void;

interface RefreshQueue {
  running: Promise<void> | null;
  /** Misses that came while a refresh ran: they need one that starts after them (the buyer's fill may be newer). */
  next: Waiter[];
}

const queues = new WeakMap<object, RefreshQueue>();

function queueOf(ctx: SyncCtx): RefreshQueue {
  let q = queues.get(ctx.db);
  if (!q) queues.set(ctx.db, (q = { running: null, next: [] }));
  return q;
}

function hasShops(ctx: SyncCtx): boolean {
  try {
    return syncShopIds(ctx).length > 0;
  } catch {
    return false;
  }
}

/**
 * Starts (or joins the next) targeted refresh in the background; `then` runs after it with whether it reached
 * the platform. Answers false, and does nothing, when there is no shop to refresh or the core is closing.
 */
export function refreshInBackground(ctx: SyncCtx, then: Waiter): boolean {
  const r = runtime(ctx);
  if (r.stopping || !hasShops(ctx)) return false;
  const q = queueOf(ctx);
  q.next.push(then);
  if (!q.running) pump(ctx, q);
  return true;
}

function pump(ctx: SyncCtx, q: RefreshQueue): void {
  const waiters = q.next.splice(0);
  if (waiters.length === 0) return;
  const run = (async () => {
    // Interactive: the pacer serves these calls ahead of the backfill's queue.
    const { refreshed } = await interactive(() => targetedRefresh(ctx));
    for (const waiter of waiters) {
      try {
        waiter(refreshed && !runtime(ctx).stopping);
      } catch (error) {
        ctx.logger.warn('scan refresh follow-up failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  })();
  const tracked = run.finally(() => {
    runtime(ctx).background.delete(tracked);
    q.running = null;
    if (!runtime(ctx).stopping) pump(ctx, q);
  });
  q.running = tracked;
  runtime(ctx).background.add(tracked);
}

/** Waits for background refreshes (the core closes after them, so none writes to a closed database). */
export async function settleBackground(ctx: SyncCtx): Promise<void> {
  const r = runtime(ctx);
  r.stopping = true;
  await whenBackgroundIdle(ctx);
}

/** Resolves once no background refresh is running or queued (tests and the benchmark wait on it). */
export async function whenBackgroundIdle(ctx: SyncCtx): Promise<void> {
  const r = runtime(ctx);
  while (r.background.size > 0) await Promise.allSettled([...r.background]);
}
