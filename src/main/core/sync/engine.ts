// The pull: per-shop incremental and newest-first backfill by update time, windows that shrink, details and orders.
import {
  applyFetched,
  detailMatters,
  dueDetails,
  dueOrders,
  isFinal,
  readRow,
  upsertSummaries,
  type FetchedBatch,
} from '../after-sales/store';
import { closeReachedConflicts, outboxCounts } from '../outbox/store';
import { PlatformError, type PlatformClient } from '../platform/types';
import { checkPulling, checkStopping, clientFor, runtime, shopRuntime, SyncGateClosed, type SyncCtx } from './runtime';
import { initState, readState, saveBackfill, saveHighWaterMark, saveOutcome, saveWindow, setHighWaterMark, type SyncState } from './state';
import { statement } from '../sql/statements';

const HOUR = 3_600_000;

function loadState(ctx: SyncCtx, shopId: string): SyncState {
  const { options } = runtime(ctx);
  const now = ctx.clock.now();
  const state = readState(ctx.db, shopId) ?? initState(ctx.db, shopId, now, options.horizonMs, options.maxWindowMs);
  const windowMs = Math.min(state.windowMs, options.maxWindowMs);
  const shrunkAt = shopRuntime(ctx, shopId).windowShrunkAt;
  // A refusal costs one call, so after a quiet spell (or a restart) the window is allowed to grow back.
  if (windowMs < options.maxWindowMs && (shrunkAt === null || now - shrunkAt >= options.windowRegrowMs)) {
    const grown = Math.min(options.maxWindowMs, windowMs * 2);
    saveWindow(ctx.db, shopId, grown, now);
    return { ...state, windowMs: grown };
  }
  return { ...state, windowMs };
}

function emitChanged(ctx: SyncCtx, refundIds: string[]): void {
  if (refundIds.length === 0) return;
  // A conflict whose goal the platform now shows as reached (confirmed or uploaded some other way) closes itself.
  let closed = 0;
  for (const refundId of refundIds) closed += closeReachedConflicts(ctx.db, refundId, ctx.clock.now());
  if (closed > 0) ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  ctx.events.emit('afterSales.changed', { refundIds });
}

/**
 * Lists one window completely, page by page (each page upserted in its own transaction), shrinking the window
 * when the platform says the range is too large. Answers the end actually covered and the refunds that changed.
 */
async function listWindow(
  ctx: SyncCtx,
  client: PlatformClient,
  state: SyncState,
  begin: number,
  end: number,
  anchor: 'begin' | 'end',
  check: () => void,
): Promise<{ begin: number; end: number; changed: string[]; newestUpdateTime: number | null }> {
  const { options } = runtime(ctx);
  for (;;) {
    const changed: string[] = [];
    let newestUpdateTime: number | null = null;
    try {
      let pcursor = '';
      for (let page = 0; page < 10_000; page += 1) {
        check();
        const result = await client.listRefunds({
          beginTime: begin,
          endTime: end,
          pcursor,
          pageSize: options.pageSize,
          queryType: 2,
          type: 9,
        });
        for (const item of result.items) newestUpdateTime = Math.max(newestUpdateTime ?? item.updateTime, item.updateTime);
        const ids = upsertSummaries(ctx.db, state.shopId, result.items, ctx.clock.now());
        changed.push(...ids);
        emitChanged(ctx, ids);
        if (result.pcursor === 'nomore' || result.items.length === 0) break;
        pcursor = result.pcursor;
      }
      return { begin, end, changed, newestUpdateTime };
    } catch (error) {
      if (!(error instanceof PlatformError) || error.kind !== 'window_too_large' || state.windowMs <= options.minWindowMs) throw error;
      state.windowMs = Math.max(options.minWindowMs, Math.floor(state.windowMs / 2));
      saveWindow(ctx.db, state.shopId, state.windowMs, ctx.clock.now());
      shopRuntime(ctx, state.shopId).windowShrunkAt = ctx.clock.now();
      ctx.logger.info('sync window shrunk', { shopId: state.shopId, windowMs: state.windowMs });
      // Keep the side of the range that anchors progress: the end for the backfill, the begin otherwise.
      if (end - begin > state.windowMs) {
        if (anchor === 'end') begin = end - state.windowMs;
        else end = begin + state.windowMs;
      }
    }
  }
}

/**
 * Fetches one batch of details and orders side by side (separate API lanes in the pacer) and writes everything
 * that came back in one transaction. A failure stops handing out new fetches; what was fetched is still written
 * before the error is rethrown, so no call is wasted.
 */
async function fetchBatch(ctx: SyncCtx, client: PlatformClient, shopId: string, detailIds: string[], orderIds: string[]): Promise<void> {
  const { options } = runtime(ctx);
  const batch: FetchedBatch = { details: [], goneDetails: [], orders: [] };
  const jobs: (() => Promise<void>)[] = [
    ...detailIds.map((refundId) => async () => {
      try {
        batch.details.push(await client.getRefundDetail(refundId));
      } catch (error) {
        if (error instanceof PlatformError && error.kind === 'not_found') batch.goneDetails.push(refundId);
        else throw error;
      }
    }),
    ...orderIds.map((orderId) => async () => {
      try {
        batch.orders.push({ orderId, order: await client.getOrder(orderId) });
      } catch (error) {
        if (error instanceof PlatformError && error.kind === 'not_found') batch.orders.push({ orderId, order: null });
        else throw error;
      }
    }),
  ];
  let failure: unknown = null;
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(options.fetchConcurrency, jobs.length)) }, async () => {
    while (next < jobs.length && failure === null && !runtime(ctx).stopping) {
      const job = jobs[next++]!;
      await job().catch((error: unknown) => {
        failure ??= error;
      });
    }
  });
  await Promise.all(lanes);
  if (batch.details.length + batch.goneDetails.length + batch.orders.length > 0) {
    emitChanged(ctx, applyFetched(ctx.db, shopId, batch, ctx.clock.now()));
  }
  if (failure !== null) throw failure;
  checkStopping(ctx);
}

/** Fetches every detail and order that can matter and is not current, newest first, one transaction per batch.
 *  Resumable by construction: what is due is read from the cache itself, so after a crash the same query finds the rest.
 *  `check` runs before each batch (a scheduled pull also stops when the sync gate closes). */
export async function fillShop(
  ctx: SyncCtx,
  shopId: string,
  only?: Set<string>,
  check: () => void = () => checkStopping(ctx),
): Promise<void> {
  const { options } = runtime(ctx);
  const client = clientFor(ctx, shopId);
  const tried = new Set<string>();
  const triedOrders = new Set<string>();
  const batch = Math.max(1, options.fetchConcurrency) * 8;
  for (;;) {
    check();
    const details = (only ? [...only].filter((id) => isDetailDue(ctx, id)) : dueDetails(ctx.db, shopId, batch + tried.size))
      .filter((id) => !tried.has(id))
      .slice(0, batch);
    const orders = (only ? ordersOf(ctx, only) : dueOrders(ctx.db, shopId, batch + triedOrders.size))
      .filter((id) => !triedOrders.has(id))
      .slice(0, batch);
    if (details.length === 0 && orders.length === 0) break;
    for (const id of details) tried.add(id);
    for (const id of orders) triedOrders.add(id);
    await fetchBatch(ctx, client, shopId, details, orders);
  }
}

function isDetailDue(ctx: SyncCtx, refundId: string): boolean {
  const row = readRow(ctx.db, refundId);
  return (
    row !== undefined &&
    detailMatters({ handlingWay: row.handling_way, status: row.status }) &&
    (row.detail_version === null || row.detail_version < row.update_time)
  );
}

function ordersOf(ctx: SyncCtx, refundIds: Set<string>): string[] {
  const out = new Set<string>();
  for (const id of refundIds) {
    const row = readRow(ctx.db, id);
    if (!row || isFinal(row.status)) continue;
    if (!statement(ctx.db, `SELECT 1 FROM orders WHERE order_id = ?`).get(row.order_id)) out.add(row.order_id);
  }
  return [...out];
}

/** From the high-water mark (minus the overlap) up to now, oldest window first, moving the mark after each. */
async function incremental(ctx: SyncCtx, state: SyncState): Promise<void> {
  const { options } = runtime(ctx);
  const check = () => checkPulling(ctx, state.shopId);
  const client = clientFor(ctx, state.shopId);
  const now = ctx.clock.now();
  if (state.highWaterMark > now) repairFutureMark(ctx, state, now);
  let begin = Math.max(state.highWaterMark - options.overlapMs, now - options.horizonMs);
  while (begin < now) {
    const end = Math.min(begin + state.windowMs, now);
    const covered = await listWindow(ctx, client, state, begin, end, 'begin', check);
    // The mark follows what the platform returned, never our clock: a clock running ahead cannot push it
    // past changes the platform has not made yet. A window that returned nothing leaves it where it was.
    if (covered.newestUpdateTime !== null) {
      const mark = Math.min(covered.end, covered.newestUpdateTime);
      saveHighWaterMark(ctx.db, state.shopId, mark, ctx.clock.now());
      state.highWaterMark = Math.max(state.highWaterMark, mark);
    }
    await fillShop(ctx, state.shopId, undefined, check);
    begin = covered.end;
  }
}

/**
 * A mark in the future (left by a run with the clock ahead, or by first contact at such a time) would hide
 * every later change: bring it back to the newest platform updateTime the cache holds that is not in the
 * future (or to now), and say so in sync.status and the log.
 */
function repairFutureMark(ctx: SyncCtx, state: SyncState, now: number): void {
  const newest = statement(ctx.db, `SELECT max(update_time) FROM after_sales WHERE shop_id = ? AND update_time <= ?`)
    .pluck()
    .get(state.shopId, now) as number | null;
  const repaired = { from: state.highWaterMark, to: newest ?? now, at: now };
  setHighWaterMark(ctx.db, state.shopId, repaired.to, now);
  state.highWaterMark = repaired.to;
  shopRuntime(ctx, state.shopId).markRepaired = repaired;
  ctx.logger.warn('sync: the high-water mark was in the future (clock ahead?); repaired', { shopId: state.shopId, ...repaired });
}

/** Newest window first, back to the horizon; details of each window are fetched before the next older one. */
async function backfill(ctx: SyncCtx, state: SyncState, maxWindows: number): Promise<void> {
  const client = clientFor(ctx, state.shopId);
  const check = () => checkPulling(ctx, state.shopId);
  const total = Math.max(1, Math.ceil((state.backfillStart - state.backfillHorizon) / HOUR));
  for (let n = 0; n < maxWindows && !state.backfillDone; n += 1) {
    const end = state.backfillNextEnd;
    const begin = Math.max(state.backfillHorizon, end - state.windowMs);
    const covered = await listWindow(ctx, client, state, begin, end, 'end', check);
    await fillShop(ctx, state.shopId, undefined, check);
    state.backfillNextEnd = covered.begin;
    state.backfillDone = covered.begin <= state.backfillHorizon;
    saveBackfill(ctx.db, state.shopId, state.backfillNextEnd, state.backfillDone, ctx.clock.now());
    const done = Math.min(total, Math.round((state.backfillStart - state.backfillNextEnd) / HOUR));
    ctx.events.emit('sync.progress', { shopId: state.shopId, phase: 'backfill', done, total });
  }
}

export interface SyncRunOptions {
  /** Backfill windows to walk in this run (the scheduler walks them all; tests may stop early). */
  maxBackfillWindows?: number;
}

/** One sync run of one shop; concurrent requests for the same shop join the running one and queue one more. */
export function syncShop(ctx: SyncCtx, shopId: string, run: SyncRunOptions = {}): Promise<void> {
  const shop = shopRuntime(ctx, shopId);
  if (shop.running) {
    shop.again = true;
    return shop.running;
  }
  const go = async (): Promise<void> => {
    do {
      shop.again = false;
      await runOnce(ctx, shopId, run);
    } while (shop.again);
  };
  shop.running = go().finally(() => {
    shop.running = null;
  });
  return shop.running;
}

async function runOnce(ctx: SyncCtx, shopId: string, run: SyncRunOptions): Promise<void> {
  const shop = shopRuntime(ctx, shopId);
  checkPulling(ctx, shopId);
  const state = loadState(ctx, shopId);
  try {
    shop.phase = 'incremental';
    ctx.events.emit('sync.progress', { shopId, phase: 'incremental', done: 0 });
    await incremental(ctx, state);
    if (!state.backfillDone) {
      shop.phase = 'backfill';
      await backfill(ctx, state, run.maxBackfillWindows ?? Number.MAX_SAFE_INTEGER);
    }
    // Details left over from an interrupted run (crash, offline) are due whatever the windows said.
    await fillShop(ctx, shopId, undefined, () => checkPulling(ctx, shopId));
    const now = ctx.clock.now();
    saveOutcome(ctx.db, shopId, now, null);
    runtime(ctx).lastSyncAt = now;
    ctx.events.emit('sync.progress', { shopId, phase: 'idle', done: 1, total: 1 });
  } catch (error) {
    // Another desk pulls the shop now (the gate closed): not a failure of the shop's sync.
    if (error instanceof SyncGateClosed) throw error;
    const message = error instanceof Error ? error.message : String(error);
    saveOutcome(ctx.db, shopId, ctx.clock.now(), message);
    ctx.logger.warn('sync run failed', { shopId, error: message });
    throw error;
  } finally {
    shop.phase = 'idle';
  }
}

/** The last few minutes of one shop: a scan that found nothing may be a waybill the buyer filled a minute ago. */
export async function targetedShop(ctx: SyncCtx, shopId: string, lookbackMs: number): Promise<void> {
  const state = loadState(ctx, shopId);
  const client = clientFor(ctx, shopId);
  const shop = shopRuntime(ctx, shopId);
  const previous = shop.phase;
  if (previous === 'idle') shop.phase = 'targeted';
  try {
    const now = ctx.clock.now();
    const changed = new Set<string>();
    let begin = now - lookbackMs;
    while (begin < now) {
      const end = Math.min(begin + state.windowMs, now);
      const covered = await listWindow(ctx, client, state, begin, end, 'begin', () => checkStopping(ctx));
      for (const id of covered.changed) changed.add(id);
      begin = covered.end;
    }
    // Details left over from an interrupted fill are the sync pass's work, not a scan's: this stays small.
    await fillShop(ctx, shopId, changed);
  } finally {
    if (previous === 'idle') shop.phase = 'idle';
  }
}
