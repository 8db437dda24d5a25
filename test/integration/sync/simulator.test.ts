// Sync and outbox through the real client against the simulator over loopback: backfill, changes, shrink, faults.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { drainOnce } from '../../../src/main/core/outbox/worker';
import { outboxCounts } from '../../../src/main/core/outbox/store';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { enqueueConfirm, enqueueWaybillSubmit } from '../../../src/main/core/outbox/queue';
import { findByCode } from '../../../src/main/core/after-sales/lookup';
import { getAfterSale } from '../../../src/main/core/after-sales/views';
import { targetedRefresh } from '../../../src/main/core/sync/refresh';
import { syncShop } from '../../../src/main/core/sync/engine';
import { syncStatus } from '../../../src/main/core/sync/handlers';
import { readState } from '../../../src/main/core/sync/state';
import type { RunningSimulator } from '../../../src/main/sim';
import { connectCore, countBy, simulator, worldAfterSales } from './support';

let sim: RunningSimulator | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = null;
  sim = null;
});

const LIST = 'open.seller.order.refund.pcursor.list';
const DETAIL = 'open.seller.order.refund.detail';
const ORDER = 'open.order.detail';

describe('sync against the simulator', () => {
  it('backfills 90 days of a few thousand after-sales, fetching details and orders only where they matter', async () => {
    sim = await simulator({ seed: 'sync-backfill', afterSales: 3_000, qpsPerApi: 10_000 });
    const c = await connectCore(sim);
    core = c.core;
    sim.control.resetStats();
    await syncShop(core.context, c.shopId);

    const state = readState(core.context.db, c.shopId)!;
    expect(state.backfillDone).toBe(true);
    const expected = worldAfterSales(sim).filter((a) => a.updateTime >= state.backfillHorizon);
    expect(expected.length).toBeGreaterThan(2_900);
    const db = core.context.db;
    const cached = new Map(
      (
        db.prepare('SELECT refund_id, update_time, status FROM after_sales').all() as {
          refund_id: string;
          update_time: number;
          status: number;
        }[]
      ).map((r) => [r.refund_id, r]),
    );
    for (const a of expected) expect(cached.get(a.refundId), a.refundId).toMatchObject({ update_time: a.updateTime, status: a.status });

    const wantDetails = db
      .prepare('SELECT count(*) FROM after_sales WHERE handling_way IN (1, 3) AND status NOT IN (60, 70)')
      .pluck()
      .get() as number;
    const wantOrders = db.prepare('SELECT count(DISTINCT order_id) FROM after_sales WHERE status NOT IN (60, 70)').pluck().get() as number;
    const calls = sim.control.stats().calls;
    expect(calls[DETAIL]).toBe(wantDetails);
    expect(calls[ORDER]).toBe(wantOrders);
    const status = syncStatus(core.context).shops[0]!;
    expect(status.calls.listRefunds).toBe(calls[LIST]);
    expect(status.calls.getRefundDetail).toBe(wantDetails);
    // Every open return has its detail, so its return waybill is in the index.
    expect(
      db
        .prepare(
          'SELECT count(*) FROM after_sales WHERE handling_way IN (1, 3) AND status NOT IN (60, 70) AND (detail_version IS NULL OR detail_version < update_time)',
        )
        .pluck()
        .get(),
    ).toBe(0);
    const withWaybill = db
      .prepare('SELECT refund_id, return_waybill_norm FROM after_sales WHERE return_waybill_norm IS NOT NULL LIMIT 1')
      .get() as { refund_id: string; return_waybill_norm: string };
    expect(findByCode(core.context, withWaybill.return_waybill_norm)?.refundIds).toContain(withWaybill.refund_id);
    console.info(
      `[sync] 90-day backfill of ${expected.length} after-sales: ${calls[LIST]} list calls, ${calls[DETAIL]} detail calls, ${calls[ORDER]} order calls ` +
        `(${(calls[LIST] ?? 0) + (calls[DETAIL] ?? 0) + (calls[ORDER] ?? 0)} in all)`,
    );
  }, 120_000);

  it('picks up buyer changes incrementally, and a targeted refresh finds a waybill filled a moment ago', async () => {
    sim = await simulator({ seed: 'sync-incremental', afterSales: 300, qpsPerApi: 10_000 });
    const c = await connectCore(sim);
    core = c.core;
    await syncShop(core.context, c.shopId);
    const waiting = sim.control.findAfterSales({ status: 30, handlingWay: 1, hasReturnWaybill: false }, 3);
    expect(waiting.length).toBe(3);

    // A scan of a waybill the buyer just filled: unknown until the targeted refresh reads the last minutes.
    const shipped = sim.control.buyerShips(waiting[0]!.refundId, { expressNo: 'SF1357924680135', expressCode: 4 });
    expect(shipped.status).toBe(40);
    expect(findByCode(core.context, 'SF1357924680135')).toBeNull();
    await expect(targetedRefresh(core.context)).resolves.toEqual({ refreshed: true });
    expect(findByCode(core.context, 'SF1357924680135')).toEqual({ matchedBy: 'return_waybill', refundIds: [waiting[0]!.refundId] });

    // Buyer behaviour steps: the next incremental run brings every change in, guarded by updateTime.
    sim.control.buyerShips(waiting[1]!.refundId);
    sim.control.buyerCancels(waiting[2]!.refundId);
    const events = sim.control.buyerStep(20);
    // The simulator bumps versions by 1 ms per change, so 20 steps in one tick can lead the clock a little.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await syncShop(core.context, c.shopId);
    const touched = new Set([waiting[1]!.refundId, waiting[2]!.refundId, ...events.map((e) => e.refundId)]);
    for (const refundId of touched) {
      const truth = sim.control.getAfterSale(refundId)!;
      const view = getAfterSale(core.context, refundId);
      expect(view, refundId).not.toBeNull();
      expect(view!.status).toBe(truth.status);
      expect(view!.updateTime).toBe(truth.updateTime);
    }
    expect(getAfterSale(core.context, waiting[1]!.refundId)!.returnWaybill).not.toBeNull();
  }, 60_000);

  it('shrinks the window when the simulator tightens its limit', async () => {
    sim = await simulator({ seed: 'sync-shrink', afterSales: 200, qpsPerApi: 10_000 });
    const c = await connectCore(sim);
    core = c.core;
    sim.control.setMaxWindowMs(4 * 3_600_000);
    await syncShop(core.context, c.shopId);
    const state = readState(core.context.db, c.shopId)!;
    expect(state.windowMs).toBeLessThanOrEqual(4 * 3_600_000);
    expect(state.backfillDone).toBe(true);
    const expected = worldAfterSales(sim).filter((a) => a.updateTime >= state.backfillHorizon);
    expect(core.context.db.prepare('SELECT count(*) FROM after_sales').pluck().get()).toBe(expected.length);
  }, 60_000);

  it('with 30% transient faults, applied-then-lost writes included, every queued action reaches the platform exactly once', async () => {
    sim = await simulator({ seed: 'sync-faults', afterSales: 400, qpsPerApi: 10_000 });
    const c = await connectCore(sim);
    core = c.core;
    const ctx = core.context;
    await syncShop(ctx, c.shopId);
    saveSettings(ctx, { undoWindowMs: 0 });

    const toShip = sim.control.findAfterSales({ status: 30, handlingWay: 1, hasReturnWaybill: false, hasReturnFreight: false }, 12);
    const toConfirm = sim.control
      .findAfterSales({ status: 40, handlingWay: 1, hasReturnFreight: false }, 20)
      .filter((a) => !toShip.some((s) => s.refundId === a.refundId));
    expect(toShip.length).toBeGreaterThanOrEqual(8);
    expect(toConfirm.length).toBeGreaterThanOrEqual(10);
    toShip.forEach((a, i) => {
      enqueueWaybillSubmit(ctx, { refundId: a.refundId, expressNo: `YT${String(8800000000000 + i)}`, expressCode: 3, operatorId: 'op' });
      // Half of them are confirmed right after the upload: the upload must reach the platform first.
      if (i % 2 === 0) enqueueConfirm(ctx, { refundId: a.refundId, operatorId: 'op' });
    });
    for (const a of toConfirm) enqueueConfirm(ctx, { refundId: a.refundId, operatorId: 'op' });
    const confirms = toConfirm.length + Math.ceil(toShip.length / 2);

    sim.control.resetStats();
    sim.control.setFaults({ serverErrorRate: 0.1, resetRate: 0.1, timeoutAfterWriteRate: 0.1, hangMs: 150, seed: 'faults-30' });
    for (let round = 0; round < 400 && outboxCounts(ctx.db).pending > 0; round += 1) {
      await drainOnce(ctx);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    sim.control.setFaults({});
    expect(outboxCounts(ctx.db)).toEqual({ pending: 0, conflicts: 0 });

    const writes = sim.control.stats().writes;
    const perAction = countBy(writes, (w) => `${w.method}:${w.refundId}`);
    expect([...perAction.values()].every((n) => n === 1)).toBe(true);
    expect(writes.filter((w) => w.method === 'confirmReceipt')).toHaveLength(confirms);
    expect(writes.filter((w) => w.method === 'submitReturnInfo')).toHaveLength(toShip.length);
    // Per after-sale, the upload landed before the confirm.
    for (const a of toShip) {
      const mine = writes.filter((w) => w.refundId === a.refundId).map((w) => w.method);
      expect(mine[0]).toBe('submitReturnInfo');
    }
    const rows = ctx.db.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`).all();
    expect(rows).toEqual([{ state: 'done', n: toShip.length + confirms }]);
    const calls = sim.control.stats().calls;
    console.info(
      `[sync] faults 30%: ${toShip.length} uploads + ${confirms} confirms, each applied once; ` +
        `${calls['open.refund.submit.returnInfo']} upload and ${calls['open.seller.order.refund.confirm.receipt']} confirm requests reached the simulator`,
    );
  }, 120_000);
});
