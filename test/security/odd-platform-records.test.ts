// Finding 5: one platform record with a negative refundFee or createTime made afterSales.list, scan.lookup and
// afterSales.get answer `internal` for the whole desk. Such a record is stored as received, every read
// answers, and the odd fields are named.
import { describe, expect, it } from 'vitest';
import { syncShop } from '../../src/main/core/sync/engine';
import { oddFields } from '../../src/common/contract';
import { harnessPerTest, SHOP } from '../unit/sync/harness';

const openHarness = harnessPerTest();

describe('odd platform records', () => {
  it('a negative refundFee and createTime are stored as received and never break a read', async () => {
    const h = openHarness();
    h.fake.add({ refundId: '7001', status: 40, refundFee: -100, createTime: -86_400_000 });
    h.fake.add({ refundId: '7002', status: 40 });
    await syncShop(h.ctx, SHOP);
    const stored = h.ctx.db.prepare('SELECT refund_fee, create_time FROM after_sales WHERE refund_id = ?').get('7001');
    expect(stored).toEqual({ refund_fee: -100, create_time: -86_400_000 });

    const list = await h.core.dispatch('afterSales.list', {}, 'http');
    expect(list.ok).toBe(true);
    if (list.ok) expect((list.data as { total: number }).total).toBe(2);
    const one = await h.core.dispatch('afterSales.get', { refundId: '7001' }, 'http');
    expect(one).toMatchObject({ ok: true, data: { refundFee: -100, createTime: -86_400_000, oddFields: ['refundFee', 'createTime'] } });
    const sane = await h.core.dispatch('afterSales.get', { refundId: '7002' }, 'http');
    expect(sane).toMatchObject({ ok: true, data: { oddFields: [] } });
    const scan = await h.core.dispatch('scan.lookup', { code: '7001', source: 'scanner' }, 'http');
    expect(scan).toMatchObject({ ok: true, data: { afterSale: { refundId: '7001', refundFee: -100 } } });
    expect((await h.core.dispatch('afterSales.history', { refundId: '7001' }, 'http')).ok).toBe(true);
  });

  it('the odd-field rule', () => {
    expect(oddFields({ refundFee: 0, returnFreightAmount: null, createTime: 0, updateTime: 1 })).toEqual([]);
    expect(oddFields({ refundFee: -1, returnFreightAmount: -5, createTime: -1, updateTime: -1 })).toEqual([
      'refundFee',
      'returnFreightAmount',
      'createTime',
      'updateTime',
    ]);
  });
});
