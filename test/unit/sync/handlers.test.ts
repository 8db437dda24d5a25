// afterSales.*, sync.* and outbox.* through dispatch: filters, the desk queue, history with local entries, status.
import { describe, expect, it } from 'vitest';
import { compareListOrder, cursorOf } from '../../../src/common/contract/after-sales';
import type { Envelope, MethodInput, MethodName, MethodOutput } from '../../../src/common/contract';
import { enqueueWaybillSubmit } from '../../../src/main/core/outbox/queue';
import { syncShop } from '../../../src/main/core/sync/engine';
import { harnessPerTest, SHOP, type Harness } from './harness';

const openHarness = harnessPerTest();

/** dispatch answers with the method's typed output. */
async function call<M extends MethodName>(h: Harness, method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
  return (await h.core.dispatch(method, input, 'http')) as Envelope<MethodOutput<M>>;
}

async function setup() {
  const h = openHarness();
  h.fake.add({ refundId: '1001', status: 30, updateTime: h.clock.now() - 5_000 });
  h.fake.add(
    { refundId: '1002', status: 40, returnWaybill: { expressNo: 'SF1400000000001', expressCode: 4 }, updateTime: h.clock.now() - 4_000 },
    { freightInsurance: false },
  );
  h.fake.add({ refundId: '1003', status: 10, handlingWay: 10, updateTime: h.clock.now() - 3_000 });
  h.fake.add({ refundId: '1004', status: 22, skuNick: '红色 XL', updateTime: h.clock.now() - 2_000 });
  h.fake.history.set('1001', [{ title: '买家申请退货退款', role: 1, createTime: 1, staffAccountId: null, staffAccountName: null }]);
  await syncShop(h.ctx, SHOP);
  return h;
}

describe('afterSales handlers', () => {
  it('lists the desk queue (shipped back first) and applies filters', async () => {
    const h = await setup();
    const queue = await call(h, 'afterSales.list', { filter: { deskQueue: true } });
    if (!queue.ok) throw new Error(queue.error.message);
    expect(queue.data.items.map((a) => a.refundId)).toEqual(['1002', '1004', '1001']);
    expect(queue.data.total).toBe(3);

    const list = async (filter: Record<string, unknown>) => {
      const r = await call(h, 'afterSales.list', { filter });
      if (!r.ok) throw new Error(r.error.message);
      return r.data.items.map((a) => a.refundId).sort();
    };
    expect(await list({ hasWaybill: true })).toEqual(['1002']);
    expect(await list({ insurance: 'no' })).toEqual(['1002']);
    expect(await list({ statuses: [10, 22] })).toEqual(['1003', '1004']);
    expect(await list({ text: 'XL' })).toEqual(['1004']);
    expect(await list({ text: '1400000' })).toEqual(['1002']);
    expect(await list({ courierCode: 4 })).toEqual(['1002']);
    enqueueWaybillSubmit(h.ctx, { refundId: '1001', expressNo: 'YT1234567890123', expressCode: 3, operatorId: null });
    expect(await list({ localStates: ['waybill_pending'] })).toEqual(['1001']);
    const bad = await call(h, 'afterSales.list', { filter: { nope: 1 } } as never);
    expect(bad.ok).toBe(false);
  });

  it('pages the queue by keyset (every row once, in order), and refreshes only named rows still in the filter', async () => {
    const h = await setup();
    const page = async (input: Record<string, unknown>) => {
      const r = await call(h, 'afterSales.list', { filter: { deskQueue: true }, ...input } as never);
      if (!r.ok) throw new Error(r.error.message);
      return r.data;
    };
    const first = await page({ limit: 1 });
    expect(first.items.map((a) => a.refundId)).toEqual(['1002']);
    expect(first.total).toBe(3);
    const seen = [...first.items];
    for (let guard = 0; guard < 5; guard += 1) {
      const last = seen[seen.length - 1]!;
      const next = await page({ limit: 1, after: cursorOf(last) });
      if (next.items.length === 0) break;
      seen.push(...next.items);
    }
    expect(seen.map((a) => a.refundId)).toEqual(['1002', '1004', '1001']);
    // Keyset order is the shared comparison's order.
    const sorted = [...seen].sort((a, b) => compareListOrder(cursorOf(a), cursorOf(b), true));
    expect(sorted.map((a) => a.refundId)).toEqual(['1002', '1004', '1001']);
    const only = await page({ refundIds: ['1001', '1003'] });
    expect(only.items.map((a) => a.refundId)).toEqual(['1001']); // 1003 is not in the queue
    expect(only.total).toBe(3); // the total stays the filter's
  });

  it('answers get and history (platform entries plus our pending upload), not_found for unknown ids', async () => {
    const h = await setup();
    const got = await call(h, 'afterSales.get', { refundId: '1002' });
    expect(got.ok && got.data.returnWaybill?.courierName).toBeTruthy();
    const missing = await call(h, 'afterSales.get', { refundId: '999' });
    expect(!missing.ok && missing.error.code).toBe('not_found');

    enqueueWaybillSubmit(h.ctx, { refundId: '1001', expressNo: 'YT1234567890123', expressCode: 3, operatorId: null });
    const history = await call(h, 'afterSales.history', { refundId: '1001' });
    if (!history.ok) throw new Error(history.error.message);
    expect(history.data.map((e) => [e.source, e.role, e.pending])).toEqual([
      ['platform', 'buyer', false],
      ['local', 'merchant', true],
    ]);
    // The desk's own entry is typed for the renderer to word, not a hard-coded sentence.
    expect(history.data[1]).toMatchObject({
      title: null,
      event: { kind: 'waybill_pending', expressCode: 3, expressNo: 'YT1234567890123' },
    });
    expect(history.data[0]).toMatchObject({ title: '买家申请退货退款', event: null });
    // Cached for the same version: a second read costs no call.
    const calls = h.fake.calls.getNegotiationHistory;
    await call(h, 'afterSales.history', { refundId: '1001' });
    expect(h.fake.calls.getNegotiationHistory).toBe(calls);
  });

  it('reports sync status with call counts, pending uploads and the online state', async () => {
    const h = await setup();
    enqueueWaybillSubmit(h.ctx, { refundId: '1001', expressNo: 'YT1234567890123', expressCode: 3, operatorId: null });
    const status = await call(h, 'sync.status', {});
    if (!status.ok) throw new Error(status.error.message);
    expect(status.data.online).toBe(true);
    expect(status.data.pendingUploads).toBe(1);
    const shop = status.data.shops.find((s) => s.shopId === SHOP)!;
    expect(shop.calls.listRefunds).toBe(h.fake.calls.listRefunds);
    expect(shop.calls.getRefundDetail).toBe(3);
    expect(shop.backfill.done).toBe(true);

    h.fake.fault('listRefunds', 'before', 'before');
    await expect(syncShop(h.ctx, SHOP)).rejects.toThrow();
    const offline = await call(h, 'sync.status', {});
    expect(offline.ok && offline.data.online).toBe(false);
    expect(offline.ok && offline.data.shops[0]!.lastError).toMatch(/reset/);
    const items = await call(h, 'outbox.list', {});
    expect(items.ok && items.data.map((i) => i.kind)).toEqual(['submit_waybill']);
    const retry = await call(h, 'outbox.retry', { id: items.ok ? items.data[0]!.id : '' });
    expect(!retry.ok && retry.error.code).toBe('invalid_state');
  });
});
