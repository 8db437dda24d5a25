// Write methods: submit.returnInfo (30 -> 40 + merchant history) and confirm.receipt (freight rules, once only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startSimulator, type RunningSimulator } from '../../../src/main/sim/index';
import { call, testClock } from './signed-request';

const SUBMIT = 'open.refund.submit.returnInfo';
const CONFIRM = 'open.seller.order.refund.confirm.receipt';
let sim: RunningSimulator;
const clock = testClock();

beforeAll(async () => {
  sim = await startSimulator({ seed: 'writes', afterSales: 200, now: clock.now, settleDelayMs: 5000 });
});
afterAll(async () => {
  await sim.close();
});

const claim = {
  returnFreightAmount: 1200,
  returnFreightStatus: 10,
  returnFreightApplyDesc: '运费申请',
  returnFreightApplyImages: ['https://x/1.jpg'],
};

describe('sim submit.returnInfo', () => {
  it('moves 30 -> 40, records the waybill and a MERCHANT history entry, bumps updateTime', async () => {
    const a = sim.control.addAfterSale({ status: 30, bigIds: true, freightInsurance: true });
    expect(a.logisticsInfo).toBeNull();
    clock.advance(1000);
    const r = await call(sim, SUBMIT, `{"refundId":${a.refundId},"expressNo":"SF1234567890123","expressCode":4}`);
    expect(r.body.result, r.text).toBe(1);
    expect(r.body.data).toBeUndefined();
    const detail = await call(sim, 'open.seller.order.refund.detail', `{"refundId":${a.refundId}}`);
    expect(detail.body.data.status).toBe(40);
    expect(detail.body.data.logisticsInfo).toEqual({ expressNo: 'SF1234567890123', expressCode: 4 });
    expect(detail.body.data.updateTime).toBeGreaterThan(a.updateTime);
    const hist = await call(sim, 'open.refund.comment.basic.list', `{"refundId":${a.refundId}}`);
    const last = hist.body.data[hist.body.data.length - 1];
    expect(last.role).toBe(ROLE.MERCHANT);
    expect(last.title).toContain('SF1234567890123');
    const writes = sim.control.stats().writes.filter((w) => w.refundId === a.refundId);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.method).toBe('submitReturnInfo');
    expect(writes[0]!.params).toMatchObject({ refundId: a.refundId, expressNo: 'SF1234567890123', expressCode: 4 });
    // Duplicate submission: refused, state unchanged.
    const again = await call(sim, SUBMIT, `{"refundId":${a.refundId},"expressNo":"SF1234567890123","expressCode":4}`);
    expect(again.body.result).toBe(300018);
    expect(sim.control.stats().writes.filter((w) => w.refundId === a.refundId)).toHaveLength(1);
  });

  it('refuses unknown courier codes, bad numbers, refund-only and cancelled after-sales', async () => {
    const a = sim.control.addAfterSale({ status: 30 });
    expect((await call(sim, SUBMIT, `{"refundId":${a.refundId},"expressNo":"SF1234567890123","expressCode":16}`)).body.result).toBe(11);
    expect((await call(sim, SUBMIT, `{"refundId":${a.refundId},"expressNo":"顺丰123","expressCode":4}`)).body.result).toBe(11);
    const only = sim.control.addAfterSale({ status: 10, handlingWay: 10 });
    expect((await call(sim, SUBMIT, `{"refundId":${only.refundId},"expressNo":"SF1234567890123","expressCode":4}`)).body.result).toBe(
      300002,
    );
    sim.control.buyerCancels(a.refundId);
    expect((await call(sim, SUBMIT, `{"refundId":${a.refundId},"expressNo":"SF1234567890123","expressCode":4}`)).body.result).toBe(300013);
    expect(sim.control.getAfterSale(a.refundId)!.status).toBe(70);
  });
});

describe('sim confirm.receipt', () => {
  it('confirms once: 40 -> 50 -> 60 after the settle delay; a second confirm is refused', async () => {
    const a = sim.control.addAfterSale({ status: 40, returnWaybill: { expressNo: 'YT2123456789012', expressCode: 6 } });
    sim.control.resetStats();
    const r = await call(sim, CONFIRM, { refundId: a.refundId, status: 40 });
    expect(r.body.result, r.text).toBe(1);
    expect(sim.control.getAfterSale(a.refundId)!.status).toBe(50);
    const second = await call(sim, CONFIRM, { refundId: a.refundId });
    expect(second.body.result).toBe(300018);
    clock.advance(4000);
    expect(sim.control.getAfterSale(a.refundId)!.status).toBe(50);
    clock.advance(2000);
    const detail = await call(sim, 'open.seller.order.refund.detail', { refundId: a.refundId });
    expect(detail.body.data.status).toBe(60);
    expect(detail.body.data.receiptStatus).toBe(2);
    expect((await call(sim, CONFIRM, { refundId: a.refundId })).body.result).toBe(300018);
    const confirms = sim.control.stats().writes.filter((w) => w.method === 'confirmReceipt');
    expect(confirms).toHaveLength(1);
    expect(confirms[0]!.refundId).toBe(a.refundId);
  });

  it('checks handlingWay, status and the expected status', async () => {
    const only = sim.control.addAfterSale({ status: 10, handlingWay: 10 });
    expect((await call(sim, CONFIRM, { refundId: only.refundId })).body.result).toBe(300010);
    const early = sim.control.addAfterSale({ status: 11 });
    expect((await call(sim, CONFIRM, { refundId: early.refundId })).body.result).toBe(300018);
    const s30 = sim.control.addAfterSale({ status: 30 });
    expect((await call(sim, CONFIRM, { refundId: s30.refundId, status: 40 })).body.result).toBe(300014);
    sim.control.buyerCancels(s30.refundId);
    expect((await call(sim, CONFIRM, { refundId: s30.refundId })).body.result).toBe(300013);
    const s22 = sim.control.addAfterSale({ status: 22 });
    expect((await call(sim, CONFIRM, { refundId: s22.refundId, status: 22 })).body.result).toBe(1);
  });

  it('applies the return-freight field rules', async () => {
    const plain = sim.control.addAfterSale({ status: 40 });
    const noClaim = await call(sim, CONFIRM, { refundId: plain.refundId, returnFreightHandlingAdvice: 1, returnFreightAmount: 1200 });
    expect(noClaim.body.result).toBe(11);
    expect(sim.control.getAfterSale(plain.refundId)!.status).toBe(40);

    const c = sim.control.addAfterSale({ status: 30, returnFreight: claim });
    const detail = await call(sim, 'open.seller.order.refund.detail', { refundId: c.refundId });
    expect(detail.body.data.returnFreightInfo.returnFreightAmount).toBe(1200);
    const bad = [
      { refundId: c.refundId },
      { refundId: c.refundId, returnFreightHandlingAdvice: 1 },
      { refundId: c.refundId, returnFreightHandlingAdvice: 1, returnFreightAmount: 1100 },
      { refundId: c.refundId, returnFreightHandlingAdvice: 2 },
      { refundId: c.refundId, returnFreightHandlingAdvice: 2, returnFreightRejectDesc: '长'.repeat(300), returnFreightRejectImages: ['a'] },
      // "拒绝原因和图片必填": a rejection without images is refused.
      { refundId: c.refundId, returnFreightHandlingAdvice: 2, returnFreightRejectDesc: '理由' },
      { refundId: c.refundId, returnFreightHandlingAdvice: 2, returnFreightRejectDesc: '理由', returnFreightRejectImages: [] },
      {
        refundId: c.refundId,
        returnFreightHandlingAdvice: 2,
        returnFreightRejectDesc: '理由',
        returnFreightRejectImages: Array.from({ length: 7 }, (_, k) => `u${k}`),
      },
      { refundId: c.refundId, returnFreightHandlingAdvice: 3 },
    ];
    for (const p of bad) expect((await call(sim, CONFIRM, p)).body.result, JSON.stringify(p)).toBe(11);
    expect(sim.control.getAfterSale(c.refundId)!.status).toBe(30);
    const ok = await call(sim, CONFIRM, {
      refundId: c.refundId,
      returnFreightHandlingAdvice: 2,
      returnFreightRejectDesc: '商品已使用，不承担运费',
      returnFreightRejectImages: ['a', 'b', 'c', 'd', 'e', 'f'],
    });
    expect(ok.body.result, ok.text).toBe(1);
    expect(sim.control.getAfterSale(c.refundId)!.returnFreightInfo!.returnFreightStatus).toBe(50);

    const agree = sim.control.addAfterSale({ status: 40, returnFreight: claim });
    expect(
      (await call(sim, CONFIRM, { refundId: agree.refundId, returnFreightHandlingAdvice: 1, returnFreightAmount: 1200 })).body.result,
    ).toBe(1);
    expect(sim.control.settleRefunds()).toContain(agree.refundId);
    expect(sim.control.getAfterSale(agree.refundId)!.returnFreightInfo!.returnFreightStatus).toBe(40);
  });

  it('order detail shows freight insurance, outbound waybills and the order refunds', async () => {
    const a = sim.control.addAfterSale({
      status: 30,
      freightInsurance: true,
      freightProviderType: 2,
      outboundWaybills: [{ expressNo: '73123456789012', expressCode: 9 }],
    });
    const r = await call(sim, 'open.order.detail', `{"oid":${a.oid}}`);
    expect(r.body.data.orderItemInfo.serviceInfo).toEqual({ freight: true, freightProviderType: 2 });
    expect(r.body.data.orderLogisticsInfo).toEqual([{ expressNo: '73123456789012', expressCode: 9 }]);
    expect(r.body.data.orderRefundList.map((x: { refundId: unknown }) => String(x.refundId))).toEqual([a.refundId]);
    const none = sim.control.addAfterSale({ status: 30, freightInsurance: null });
    const r2 = await call(sim, 'open.order.detail', `{"oid":${none.oid}}`);
    expect(r2.body.data.orderItemInfo.serviceInfo).toEqual({});
  });
});
