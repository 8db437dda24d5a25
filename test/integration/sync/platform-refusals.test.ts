// The outbox against the simulator's quota, version races and garbage answers: no loops, no double writes.
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/main/core/clock';
import type { Core } from '../../../src/main/core/core';
import { getRow, outboxCounts } from '../../../src/main/core/outbox/store';
import { drainOnce } from '../../../src/main/core/outbox/worker';
import { quotaWaitMs } from '../../../src/main/core/platform/errors';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { enqueueConfirm, getAfterSale, targetedRefresh } from '../../../src/main/core/sync/api';
import { syncShop } from '../../../src/main/core/sync/engine';
import { configureSync, runtime } from '../../../src/main/core/sync/runtime';
import type { RunningSimulator } from '../../../src/main/sim';
import { tempDir, signedInTestCore } from '../../support/core';
import { connectToSimulator } from '../../support/simulator-shop';
import { connectCore, FAST_PLATFORM, FAST_SYNC, simulator } from './support';

const CONFIRM = 'open.seller.order.refund.confirm.receipt';
const DETAIL = 'open.seller.order.refund.detail';

let sim: RunningSimulator | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = null;
  sim = null;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Drains until nothing is pending (or the rounds run out), the way the worker loop would. */
async function drain(c: Core, rounds = 50): Promise<void> {
  for (let round = 0; round < rounds && outboxCounts(c.context.db).pending > 0; round += 1) {
    await drainOnce(c.context);
    await pause(5);
  }
}

describe('outbox against platform refusals', () => {
  it('a confirm refused for the daily quota stays queued without a resend loop, and goes out once when the quota is back', async () => {
    sim = await simulator({ seed: 'sync-quota', afterSales: 20, qpsPerApi: 10_000 });
    const made = sim.control.addAfterSale({ status: 40, handlingWay: 1, returnFreight: null });
    // The desk's clock stands still unless the test moves it; a second ahead so the sync sees the new after-sale.
    const clock = manualClock(Date.now() + 1_000);
    core = signedInTestCore({ dataDir: tempDir('returndesk-sync-'), clock, platform: FAST_PLATFORM });
    const shopId = await connectToSimulator(core, sim);
    configureSync(core.context, FAST_SYNC);
    const ctx = core.context;
    await syncShop(ctx, shopId);
    saveSettings(ctx, { undoWindowMs: 0 });

    // The day's quota of every API is used up from now on (the platform caps each API on its own).
    sim.control.setDailyQuota(0);
    sim.control.resetStats();
    const { outboxId } = enqueueConfirm(ctx, { refundId: made.refundId, operatorId: 'op' });
    const queuedAt = clock.now();
    await drainOnce(ctx);
    expect(sim.control.stats().calls[CONFIRM]).toBe(1);
    const parked = getRow(ctx.db, outboxId)!;
    expect(parked).toMatchObject({ state: 'retrying', needs_recheck: 0 });
    const wait = quotaWaitMs(queuedAt);
    expect(parked.not_before).toBeGreaterThanOrEqual(queuedAt + wait);

    // Time passes (short of the wait), the worker keeps passing, the sync runs and a scan misses: the confirm is
    // not sent again, the list meets its own cap once and is then held too, nothing turns into a conflict, the desk
    // still answers from its cache.
    for (let step = 0; step < 10; step += 1) {
      clock.advance(Math.floor(wait / 11));
      await drainOnce(ctx);
      await pause(2);
    }
    await expect(syncShop(ctx, shopId)).rejects.toMatchObject({ kind: 'quota_exhausted' });
    expect(await targetedRefresh(ctx)).toEqual({ refreshed: false });
    await expect(syncShop(ctx, shopId)).rejects.toMatchObject({ kind: 'quota_exhausted' });
    expect(sim.control.stats().calls[CONFIRM]).toBe(1);
    for (const [api, n] of Object.entries(sim.control.stats().calls)) expect(n, api).toBe(1);
    expect(getRow(ctx.db, outboxId)).toMatchObject({ state: 'retrying', sends: 1, attempts: 1 }); // not even tried again
    expect(outboxCounts(ctx.db)).toEqual({ pending: 1, conflicts: 0 });
    expect(getAfterSale(ctx, made.refundId)).toMatchObject({ refundId: made.refundId, status: 40 });
    expect(runtime(ctx).online).toBe(true); // the platform answered; it is not a network problem

    // The platform's midnight: the quota is back; once the wait is over the confirm goes out, once.
    sim.control.resetQuotaDay();
    sim.control.setDailyQuota(null);
    clock.advance(wait);
    await drain(core);
    expect(getRow(ctx.db, outboxId)).toMatchObject({ state: 'done' });
    expect(sim.control.stats().writes.map((w) => [w.method, w.refundId])).toEqual([['confirmReceipt', made.refundId]]);
    expect(sim.control.stats().calls[CONFIRM]).toBe(2);
  }, 60_000);

  it('a confirm whose status moved meets 300014, is re-read and sent again with the fresh status, applied once', async () => {
    sim = await simulator({ seed: 'sync-version', afterSales: 20, qpsPerApi: 10_000 });
    const cc = await connectCore(sim);
    core = cc.core;
    const ctx = core.context;
    const waiting = sim.control.addAfterSale({ status: 30, handlingWay: 1, returnWaybill: null, returnFreight: null });
    await syncShop(ctx, cc.shopId);
    saveSettings(ctx, { undoWindowMs: 0 });
    sim.control.buyerShips(waiting.refundId); // 40 on the platform, still 30 in the cache
    expect(getAfterSale(ctx, waiting.refundId)!.status).toBe(30);
    sim.control.resetStats();
    const { outboxId } = enqueueConfirm(ctx, { refundId: waiting.refundId, operatorId: 'op' });
    await drain(core);
    expect(getRow(ctx.db, outboxId)).toMatchObject({ state: 'done', sends: 2 });
    const writes = sim.control.stats().writes;
    expect(writes).toHaveLength(1);
    expect(writes[0]!.params).toMatchObject({ status: 40 });
    expect(sim.control.stats().calls[CONFIRM]).toBe(2);
  }, 60_000);

  it('a write that keeps losing version races becomes a conflict after a bounded number of tries', async () => {
    sim = await simulator({ seed: 'sync-race', afterSales: 20, qpsPerApi: 10_000 });
    const cc = await connectCore(sim);
    core = cc.core;
    const ctx = core.context;
    const made = sim.control.addAfterSale({ status: 40, handlingWay: 1, returnFreight: null });
    await syncShop(ctx, cc.shopId);
    saveSettings(ctx, { undoWindowMs: 0 });
    sim.control.setFaults({ versionConflictRate: 1, methods: [CONFIRM] });
    sim.control.resetStats();
    const { outboxId } = enqueueConfirm(ctx, { refundId: made.refundId, operatorId: 'op' });
    await drain(core);
    expect(getRow(ctx.db, outboxId)).toMatchObject({ state: 'conflict' });
    expect(outboxCounts(ctx.db)).toEqual({ pending: 0, conflicts: 1 });
    const sends = sim.control.stats().calls[CONFIRM] ?? 0;
    expect(sends).toBeGreaterThan(1); // it was retried after re-reading...
    expect(sends).toBeLessThanOrEqual(runtime(ctx).options.maxVersionRetries + 1); // ...but not forever
    expect(sim.control.stats().writes).toHaveLength(0);
  }, 60_000);

  it('a garbage answer to an applied confirm: re-read, seen applied, never sent twice', async () => {
    sim = await simulator({ seed: 'sync-garbage', afterSales: 20, qpsPerApi: 10_000 });
    const cc = await connectCore(sim);
    core = cc.core;
    const ctx = core.context;
    const made = sim.control.addAfterSale({ status: 40, handlingWay: 1, returnFreight: null });
    await syncShop(ctx, cc.shopId);
    saveSettings(ctx, { undoWindowMs: 0 });
    sim.control.setFaults({ garbageRate: 1, seed: 'g', methods: [CONFIRM] });
    sim.control.resetStats();
    const { outboxId } = enqueueConfirm(ctx, { refundId: made.refundId, operatorId: 'op' });
    await drain(core);
    expect(getRow(ctx.db, outboxId)).toMatchObject({ state: 'done', sends: 1 });
    expect(sim.control.stats().writes.map((w) => w.refundId)).toEqual([made.refundId]);
    expect(sim.control.stats().calls[CONFIRM]).toBe(1);
    expect(sim.control.stats().calls[DETAIL]).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
