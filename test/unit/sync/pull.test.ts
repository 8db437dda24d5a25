// The pull against a fake platform: backfill, API economy, incremental pick-up, window shrink, resumability, index.
import { describe, expect, it } from 'vitest';
import { syncShop } from '../../../src/main/core/sync/engine';
import { findByCode, findByReturnWaybill } from '../../../src/main/core/after-sales/lookup';
import { getAfterSale } from '../../../src/main/core/after-sales/views';
import { targetedRefresh } from '../../../src/main/core/sync/refresh';
import { readState } from '../../../src/main/core/sync/state';
import { DAY } from './fake-platform';
import { harnessPerTest, SHOP, T0, type Harness } from './harness';

const setup = harnessPerTest();

/** 200 after-sales spread over 89 days: a quarter open returns, the rest refund-only or finished. */
function populate(h: Harness, count = 200) {
  for (let i = 0; i < count; i += 1) {
    const t = T0 - Math.floor(((i + 0.5) / count) * 89 * DAY);
    const kind = i % 4;
    h.fake.add({
      refundId: String(9_100_000_000_000_000_000n + BigInt(i)),
      updateTime: t,
      handlingWay: kind === 1 ? 10 : 1,
      status: kind === 0 ? 40 : kind === 1 ? 10 : kind === 2 ? 60 : 70,
      returnWaybill: kind === 0 ? { expressNo: `SF${1000000000 + i}`, expressCode: 4 } : null,
    });
  }
}

describe('pull', () => {
  it('backfills 90 days newest first, fetching details and orders only where they matter', async () => {
    const h = setup();
    populate(h);
    await syncShop(h.ctx, SHOP);
    expect(h.ctx.db.prepare('SELECT count(*) FROM after_sales').pluck().get()).toBe(200);
    // Details: only the 50 open return-and-refund ones; orders: every not-final one (50 returns + 50 refund-only).
    expect(h.fake.calls.getRefundDetail).toBe(50);
    expect(h.fake.calls.getOrder).toBe(100);
    const state = readState(h.ctx.db, SHOP)!;
    expect(state.backfillDone).toBe(true);
    expect(state.backfillNextEnd).toBeLessThanOrEqual(T0 - 89 * DAY);
    const progress = h.events.filter((e) => e.name === 'sync.progress' && (e.payload as { phase: string }).phase === 'backfill');
    expect(progress.length).toBeGreaterThanOrEqual(89);
    // The first backfill window is the newest one: its after-sales arrived before any older one.
    const changedOrder = h.events
      .filter((e) => e.name === 'afterSales.changed')
      .flatMap((e) => (e.payload as { refundIds: string[] }).refundIds);
    expect(changedOrder[0]).toBe(String(9_100_000_000_000_000_000n));

    const view = getAfterSale(h.ctx, '9100000000000000000')!;
    expect(view.returnWaybill?.expressNo).toBe('SF1000000000');
    expect(view.freightInsurance).toBe(true);
    expect(view.itemTitle).toMatch(/^title /);
    expect(view.detailSynced).toBe(true);

    // A second run with nothing changed lists again but reads no detail or order.
    const before = { ...h.fake.calls };
    h.clock.advance(60_000);
    await syncShop(h.ctx, SHOP);
    expect(h.fake.calls.getRefundDetail).toBe(before.getRefundDetail);
    expect(h.fake.calls.getOrder).toBe(before.getOrder);
    expect(h.fake.calls.listRefunds).toBeGreaterThan(before.listRefunds!);
  });

  it('picks up a buyer change incrementally, guarded by updateTime', async () => {
    const h = setup();
    const a = h.fake.add({ refundId: '5001', status: 30, updateTime: T0 - 3_600_000 });
    await syncShop(h.ctx, SHOP);
    expect(getAfterSale(h.ctx, a.refundId)!.status).toBe(30);
    h.clock.advance(120_000);
    h.fake.change(a.refundId, { status: 40, returnWaybill: { expressNo: 'YT2000000000001', expressCode: 3 } });
    const details = h.fake.calls.getRefundDetail!;
    await syncShop(h.ctx, SHOP);
    expect(getAfterSale(h.ctx, a.refundId)!.status).toBe(40);
    expect(h.fake.calls.getRefundDetail).toBe(details + 1);
    expect(findByCode(h.ctx, 'YT2000000000001')).toEqual({ matchedBy: 'return_waybill', refundIds: ['5001'] });
    expect(readState(h.ctx.db, SHOP)!.highWaterMark).toBe(T0 + 120_000);
  });

  it('shrinks the window when the platform says the range is too large, and remembers it', async () => {
    const h = setup();
    populate(h, 40);
    h.fake.maxWindowMs = 5 * 3_600_000;
    await syncShop(h.ctx, SHOP);
    expect(h.ctx.db.prepare('SELECT count(*) FROM after_sales').pluck().get()).toBe(40);
    expect(readState(h.ctx.db, SHOP)!.windowMs).toBeLessThanOrEqual(5 * 3_600_000);
    expect(readState(h.ctx.db, SHOP)!.backfillDone).toBe(true);
  });

  it('lets a shrunk window grow back once the platform has stopped refusing for a while', async () => {
    const h = setup();
    populate(h, 40);
    h.fake.maxWindowMs = 5 * 3_600_000;
    await syncShop(h.ctx, SHOP);
    const shrunk = readState(h.ctx.db, SHOP)!.windowMs;
    expect(shrunk).toBeLessThanOrEqual(5 * 3_600_000);
    h.fake.maxWindowMs = DAY; // the promotion is over
    h.clock.advance(30 * 60_000);
    await syncShop(h.ctx, SHOP);
    expect(readState(h.ctx.db, SHOP)!.windowMs).toBe(shrunk); // too soon after the refusal
    h.clock.advance(60 * 60_000);
    await syncShop(h.ctx, SHOP);
    expect(readState(h.ctx.db, SHOP)!.windowMs).toBe(Math.min(DAY, shrunk * 2));
    for (let i = 0; i < 6; i += 1) await syncShop(h.ctx, SHOP);
    expect(readState(h.ctx.db, SHOP)!.windowMs).toBe(DAY);
  });

  it('resumes after a crash mid-backfill without gaps or duplicates', async () => {
    const h = setup();
    populate(h, 120);
    let calls = 0;
    h.fake.onCall = () => {
      calls += 1;
      if (calls === 37) throw new Error('simulated crash');
    };
    await expect(syncShop(h.ctx, SHOP)).rejects.toThrow(/simulated crash/);
    const partial = readState(h.ctx.db, SHOP)!;
    expect(partial.backfillDone).toBe(false);
    h.fake.onCall = () => {};
    await syncShop(h.ctx, SHOP);
    expect(h.ctx.db.prepare('SELECT count(*) FROM after_sales').pluck().get()).toBe(120);
    expect(
      h.ctx.db.prepare('SELECT count(*) FROM after_sales WHERE handling_way = 1 AND status = 40 AND detail_version IS NULL').pluck().get(),
    ).toBe(0);
    expect(readState(h.ctx.db, SHOP)!.backfillDone).toBe(true);
  });

  it('writes each fetched batch of details and orders in one transaction, and keeps what was fetched when a call fails', async () => {
    const h = setup({ fetchConcurrency: 2 });
    // A busy day: all in the newest window, so the fill has full batches (2 lanes × 8 = 16 details + 16 orders).
    for (let i = 0; i < 240; i += 1) {
      h.fake.add({ refundId: String(9_200_000_000_000_000_000n + BigInt(i)), updateTime: T0 - 60_000 * (i + 1), status: 40 });
    }
    const db = h.ctx.db;
    const cachedRows = () =>
      (db.prepare('SELECT count(*) FROM after_sales WHERE detail_version IS NOT NULL').pluck().get() as number) +
      (db.prepare('SELECT count(*) FROM orders').pluck().get() as number);
    let orderCalls = 0;
    h.fake.onCall = (method) => {
      if (method === 'getOrder' && ++orderCalls === 5) throw new Error('order call failed');
    };
    await expect(syncShop(h.ctx, SHOP)).rejects.toThrow(/order call failed/);
    // Details fetched beside the failing order are in the cache all the same.
    expect(db.prepare('SELECT count(*) FROM after_sales WHERE detail_version IS NOT NULL').pluck().get()).toBeGreaterThan(0);
    // What the cache held when each fetch left: the same number within a batch, a new one per committed batch.
    const seen: number[] = [];
    h.fake.onCall = (method) => {
      if (method === 'getRefundDetail' || method === 'getOrder') seen.push(cachedRows());
    };
    await syncShop(h.ctx, SHOP);
    expect(seen.length).toBeGreaterThan(40);
    expect(new Set(seen).size).toBeLessThanOrEqual(Math.ceil(seen.length / 16) + 2);
    expect(
      db.prepare('SELECT count(*) FROM after_sales WHERE handling_way = 1 AND status = 40 AND detail_version IS NULL').pluck().get(),
    ).toBe(0);
  });

  it('indexes outbound waybills, refund ids and order ids; a targeted refresh finds a fresh waybill', async () => {
    const h = setup();
    h.fake.add({ refundId: '7001', orderId: '8001', status: 30 }, { outboundWaybills: [{ expressNo: 'JT0001234567890', expressCode: 5 }] });
    h.fake.add({ refundId: '7002', orderId: '8001', handlingWay: 10, status: 10 });
    await syncShop(h.ctx, SHOP);
    expect(findByCode(h.ctx, 'JT0001234567890')).toEqual({
      matchedBy: 'outbound_waybill',
      refundIds: expect.arrayContaining(['7001', '7002']),
    });
    expect(findByCode(h.ctx, '7001')).toEqual({ matchedBy: 'refund_id', refundIds: ['7001'] });
    expect(findByCode(h.ctx, '8001')!.matchedBy).toBe('order_id');
    expect(findByCode(h.ctx, 'ZZ999')).toBeNull();

    h.clock.advance(30_000);
    h.fake.change('7001', { status: 40, returnWaybill: { expressNo: 'sf 1234-5678-9012', expressCode: 4 } });
    expect(findByCode(h.ctx, 'SF123456789012')).toBeNull();
    await expect(targetedRefresh(h.ctx)).resolves.toEqual({ refreshed: true });
    expect(findByReturnWaybill(h.ctx, 'SF123456789012')).toEqual(['7001']);

    // Offline, it answers instead of throwing.
    h.fake.fault('listRefunds', 'before', 'before', 'before');
    await expect(targetedRefresh(h.ctx)).resolves.toEqual({ refreshed: false });
  });
});
