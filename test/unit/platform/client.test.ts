// The signed client against a stub gateway: wire format, lossless ids, error classes, retries, timeouts, maybeApplied.
import { afterEach, describe, expect, it } from 'vitest';
import { BIG_ORDER, BIG_REFUND, harness, refundWire, SECRETS, withBigIds, type Harness } from './harness';
import { fail, ok } from './stub-platform';
import { caught } from '../../support/platform-error';

let h: Harness;
afterEach(async () => {
  await h?.stub.close();
});

const LIST = '/open/seller/order/refund/pcursor/list';
const DETAIL = '/open/seller/order/refund/detail';
const SUBMIT = '/open/refund/submit/returnInfo';
const CONFIRM = '/open/seller/order/refund/confirm/receipt';
const query = {
  beginTime: 1_700_000_000_000,
  endTime: 1_700_000_060_000,
  pcursor: '',
  pageSize: 50,
  queryType: 2 as const,
  type: 9 as const,
};

describe('wire format', () => {
  it('GETs a list with every common parameter in the query, signed, and parses big ids losslessly', async () => {
    h = await harness();
    h.stub.on(LIST, () => ok(withBigIds({ pcursor: 'next-1', refundOrderInfoList: [refundWire()] })));
    const page = await h.client.listRefunds(query);
    const call = h.stub.calls[0]!;
    expect(call.verb).toBe('GET');
    expect(call.signOk).toBe(true);
    expect(call.params).toMatchObject({
      appkey: SECRETS.appKey,
      method: 'open.seller.order.refund.pcursor.list',
      version: '1',
      signMethod: 'HMAC_SHA256',
      access_token: SECRETS.accessToken,
    });
    expect(JSON.parse(call.params.param!)).toEqual({
      beginTime: query.beginTime,
      endTime: query.endTime,
      type: 9,
      pageSize: 50,
      currentPage: 1,
      pcursor: '',
      queryType: 2,
    });
    expect(Number(call.params.timestamp)).toBe(h.clock.now());
    expect(page.pcursor).toBe('next-1');
    expect(page.items[0]).toMatchObject({
      refundId: BIG_REFUND,
      orderId: BIG_ORDER,
      itemId: '1234567',
      status: 30,
      refundFee: 5990,
      logisticsId: null,
      expireTime: null,
    });
  });

  it('POSTs writes as a form body with ids as bare JSON numbers, exactly the signed string', async () => {
    h = await harness({ signMethod: 'MD5' });
    h.stub.on(SUBMIT, () => ok('null'));
    h.stub.on(CONFIRM, () => ok('null'));
    await h.client.submitReturnWaybill({ refundId: BIG_REFUND, expressNo: 'SF1234567890', expressCode: 4 });
    await h.client.confirmReceipt({ refundId: BIG_REFUND, expectedStatus: 40, returnFreight: { advice: 'agree', amount: 800 } });
    const [submit, confirm] = h.stub.calls;
    expect(submit!.verb).toBe('POST');
    expect(submit!.contentType).toMatch(/application\/x-www-form-urlencoded/);
    expect(submit!.signOk).toBe(true);
    expect(submit!.params.param).toBe(`{"refundId":${BIG_REFUND},"expressNo":"SF1234567890","expressCode":4}`);
    expect(confirm!.path).toBe(CONFIRM);
    expect(confirm!.params.param).toBe(`{"refundId":${BIG_REFUND},"status":40,"returnFreightHandlingAdvice":1,"returnFreightAmount":800}`);
  });

  it('sends only {refundId} when there is no freight claim, and the reject fields when rejecting', async () => {
    h = await harness();
    h.stub.on(CONFIRM, () => ok('null'));
    await h.client.confirmReceipt({ refundId: '5' });
    await h.client.confirmReceipt({ refundId: '6', returnFreight: { advice: 'reject', reason: '无凭证', images: ['https://x/1.jpg'] } });
    expect(h.stub.calls[0]!.params.param).toBe('{"refundId":5}');
    expect(JSON.parse(h.stub.calls[1]!.params.param!)).toEqual({
      refundId: 6,
      returnFreightHandlingAdvice: 2,
      returnFreightRejectDesc: '无凭证',
      returnFreightRejectImages: ['https://x/1.jpg'],
    });
  });

  it('maps a detail: return waybill, postage claim, big ids', async () => {
    h = await harness();
    h.stub.on(DETAIL, () =>
      ok(
        withBigIds(
          refundWire({
            logisticsInfo: { expressNo: 'YT9876543210', expressCode: 7 },
            returnFreightInfo: {
              returnFreightAmount: 1200,
              returnFreightStatus: 10,
              returnFreightApplyDesc: '运费',
              returnFreightApplyImages: ['a.jpg'],
            },
            buyerOpenId: 'f1',
          }),
        ),
      ),
    );
    const detail = await h.client.getRefundDetail(BIG_REFUND);
    expect(h.stub.calls[0]!.params.param).toBe(`{"refundId":${BIG_REFUND}}`);
    expect(detail.refundId).toBe(BIG_REFUND);
    expect(detail.returnWaybill).toEqual({ expressNo: 'YT9876543210', expressCode: 7 });
    expect(detail.returnFreight).toEqual({ amount: 1200, status: 10, applyDesc: '运费', images: ['a.jpg'] });
  });

  it('maps an empty waybill and a missing claim to null', async () => {
    h = await harness();
    h.stub.on(DETAIL, () => ok(withBigIds(refundWire({ logisticsInfo: { expressNo: '', expressCode: 0 }, returnFreightInfo: null }))));
    const detail = await h.client.getRefundDetail('1');
    expect(detail.returnWaybill).toBeNull();
    expect(detail.returnFreight).toBeNull();
  });

  it('maps the order: insurance flag, outbound waybills, refunds', async () => {
    h = await harness();
    h.stub.on('/open/order/detail', () =>
      ok(
        withBigIds({
          orderBaseInfo: { oid: '__ORDER__' },
          orderItemInfo: { itemTitle: 'T恤', skuDesc: '白 L', num: 2, serviceInfo: { freight: true, freightProviderType: 1 } },
          orderLogisticsInfo: [{ expressNo: 'ZT1', expressCode: 9 }],
          orderRefundList: [{ refundId: '__REFUND__', refundStatus: 30 }],
        }),
      ),
    );
    const order = await h.client.getOrder(BIG_ORDER);
    expect(h.stub.calls[0]!.params.param).toBe(`{"oid":${BIG_ORDER}}`);
    expect(order).toEqual({
      orderId: BIG_ORDER,
      itemTitle: 'T恤',
      skuDesc: '白 L',
      quantity: 2,
      freightInsurance: true,
      freightProviderType: 1,
      outboundWaybills: [{ expressNo: 'ZT1', expressCode: 9 }],
      refunds: [{ refundId: BIG_REFUND, refundStatus: 30 }],
    });
  });

  it('maps the negotiation history with raw role codes', async () => {
    h = await harness();
    h.stub.on('/open/refund/comment/basic/list', () =>
      ok([{ title: '买家发起退款', role: 1, createTime: 5, staffAccountId: null, staffAccountName: '' }]),
    );
    expect(await h.client.getNegotiationHistory('7')).toEqual([
      { title: '买家发起退款', role: 1, createTime: 5, staffAccountId: null, staffAccountName: null },
    ]);
  });
});

describe('answers that make no sense', () => {
  it.each([
    ['not JSON', { body: '<html>oops</html>' }],
    ['not an object', { body: '[1,2]' }],
    ['success without data', { body: '{"result":1}' }],
    ['ids that are not integers', { body: '{"result":1,"data":{"refundId":1.5,"oid":2,"handlingWay":1,"status":30,"updateTime":1}}' }],
  ])('%s -> unknown PlatformError, no crash', async (_name, answer) => {
    h = await harness();
    h.stub.on(DETAIL, () => answer);
    const error = await caught(h.client.getRefundDetail('1'));
    expect(error.kind).toBe('unknown');
    expect(h.stub.calls).toHaveLength(1); // an unknown answer is not retried
  });

  it('keeps unknown status codes verbatim', async () => {
    h = await harness();
    h.stub.on(DETAIL, () => ok(withBigIds(refundWire({ status: 77, handlingWay: 99 }))));
    const detail = await h.client.getRefundDetail('1');
    expect(detail.status).toBe(77);
    expect(detail.handlingWay).toBe(99);
  });
});

describe('failures', () => {
  it('a business code becomes its typed kind with requestId and code, without a retry', async () => {
    h = await harness();
    h.stub.on(DETAIL, () => fail(300011, '售后单不存在'));
    const error = await caught(h.client.getRefundDetail('1'));
    expect(error).toMatchObject({ kind: 'not_found', code: '300011', requestId: 'rq-fail', maybeApplied: false });
    expect(h.stub.calls).toHaveLength(1);
  });

  it('a read retries QPS answers and transient faults, then succeeds', async () => {
    h = await harness();
    let n = 0;
    h.stub.on(DETAIL, () => {
      n += 1;
      if (n === 1) return fail(16, 'Exceed qps limit, KEY [open.seller.order.refund.detail], MAX_QPS [100]');
      if (n === 2) return { status: 502, body: 'Bad gateway' };
      return ok(withBigIds(refundWire()));
    });
    const detail = await h.client.getRefundDetail('1');
    expect(detail.refundId).toBe(BIG_REFUND);
    expect(h.stub.calls).toHaveLength(3);
  });

  it('a read gives up after readAttempts', async () => {
    h = await harness({ readAttempts: 2 });
    h.stub.on(DETAIL, () => fail(16, 'Exceed qps limit, KEY [x], MAX_QPS [1]'));
    expect((await caught(h.client.getRefundDetail('1'))).kind).toBe('rate_limited');
    expect(h.stub.calls).toHaveLength(2);
  });

  it('a write is never retried by the client, whatever the fault', async () => {
    h = await harness();
    h.stub.on(SUBMIT, () => fail(16, 'Exceed qps limit, KEY [x], MAX_QPS [1]'));
    h.stub.on(CONFIRM, () => ({ status: 503, body: '{"result":500,"error_msg":"busy"}' }));
    const qps = await caught(h.client.submitReturnWaybill({ refundId: '1', expressNo: 'SF1', expressCode: 4 }));
    expect(qps).toMatchObject({ kind: 'rate_limited', maybeApplied: false });
    const busy = await caught(h.client.confirmReceipt({ refundId: '1' }));
    expect(busy).toMatchObject({ kind: 'transient', maybeApplied: true });
    expect(h.stub.calls).toHaveLength(2);
  });

  it('a quota answer is not retried', async () => {
    h = await harness();
    h.stub.on(LIST, () => fail(1017, '[1017] exceed quota limit'));
    expect((await caught(h.client.listRefunds(query))).kind).toBe('quota_exhausted');
    expect(h.stub.calls).toHaveLength(1);
  });

  it('after a quota answer only that API stays quiet (no network) until the hold ends, then one call probes', async () => {
    h = await harness();
    let exhausted = true;
    h.stub.on(LIST, () =>
      exhausted
        ? fail(1017, 'Exceed quota limit, KEY [app]', { sub_msg: '[1017] exceed quota limit,[apiId:12]' })
        : ok({ pcursor: 'nomore', refundOrderInfoList: [] }),
    );
    h.stub.on(CONFIRM, () => ok('null'));
    expect((await caught(h.client.listRefunds(query))).kind).toBe('quota_exhausted');
    // The capped read does not delay a confirm: the platform counts the quota per API.
    await h.client.confirmReceipt({ refundId: '1' });
    expect(h.stub.calls.map((c) => c.path)).toEqual([LIST, CONFIRM]);
    const held = await caught(h.client.listRefunds(query));
    expect(held).toMatchObject({ kind: 'quota_exhausted', code: '1017', maybeApplied: false });
    expect(held.message).toMatch(/of this API/);
    expect(h.stub.calls).toHaveLength(2);
    exhausted = false;
    h.clock.advance(30 * 60_000 + 1);
    await expect(h.client.listRefunds(query)).resolves.toMatchObject({ pcursor: 'nomore' });
    expect(h.stub.calls).toHaveLength(3);
  });

  it.each([
    ['an HTML page with 200', { body: '<html><body>系统繁忙</body></html>' }],
    ['JSON cut off', { body: '{"result":1,"error_msg":"SUCC' }],
    ['JSON that is not an envelope', { body: '[1]' }],
    ['a refusal nobody documented', { body: '{"result":987654,"error_msg":"something happened"}' }],
  ])('%s to a write: unknown and maybeApplied (re-read before sending again)', async (_name, answer) => {
    h = await harness();
    h.stub.on(CONFIRM, () => answer);
    const error = await caught(h.client.confirmReceipt({ refundId: '1' }));
    expect(error).toMatchObject({ kind: 'unknown', maybeApplied: true });
    expect(h.stub.calls).toHaveLength(1);
  });

  it('window too large and version conflict surface as their kinds', async () => {
    h = await harness();
    h.stub.on(LIST, () => fail(300004, '时间范围过大'));
    h.stub.on(CONFIRM, () => fail(300014, '售后单已更新，请刷新后重试'));
    expect((await caught(h.client.listRefunds(query))).kind).toBe('window_too_large');
    expect((await caught(h.client.confirmReceipt({ refundId: '1' }))).kind).toBe('version_conflict');
  });
});

describe('timeouts and broken connections', () => {
  it('a hanging read times out, is retried, and ends as transient', async () => {
    h = await harness({ timeoutMs: 150, readAttempts: 2 });
    h.stub.on(DETAIL, () => ({ hang: true }));
    const error = await caught(h.client.getRefundDetail('1'));
    expect(error).toMatchObject({ kind: 'transient', maybeApplied: false });
    expect(error.message).toMatch(/timed out/);
    expect(h.stub.calls).toHaveLength(2);
  });

  it('a hanging write times out once and may have been applied', async () => {
    h = await harness({ timeoutMs: 150 });
    h.stub.on(CONFIRM, () => ({ hang: true }));
    const error = await caught(h.client.confirmReceipt({ refundId: '1' }));
    expect(error).toMatchObject({ kind: 'transient', maybeApplied: true });
    expect(h.stub.calls).toHaveLength(1);
  });

  it('a connection reset after sending a write: maybeApplied', async () => {
    h = await harness();
    h.stub.on(SUBMIT, () => ({ destroy: true }));
    const error = await caught(h.client.submitReturnWaybill({ refundId: '1', expressNo: 'SF1', expressCode: 4 }));
    expect(error).toMatchObject({ kind: 'transient', maybeApplied: true });
  });

  it('a refused connection: the write never left, so not maybeApplied', async () => {
    h = await harness();
    await h.stub.close();
    const error = await caught(h.client.confirmReceipt({ refundId: '1' }));
    expect(error).toMatchObject({ kind: 'transient', maybeApplied: false, code: 'ECONNREFUSED' });
  });
});

describe('secrets never leak', () => {
  it('not into log lines or error messages, whatever went wrong', async () => {
    h = await harness({ timeoutMs: 150, readAttempts: 1 });
    // A hostile gateway echoing the token and secrets back in its messages.
    const echo = `bad ${SECRETS.accessToken} ${SECRETS.signSecret} ${SECRETS.appSecret} ${SECRETS.refreshToken}`;
    h.stub.on(DETAIL, () => fail(99, echo));
    h.stub.on(CONFIRM, () => ({ hang: true }));
    h.stub.on(SUBMIT, () => ({ destroy: true }));
    h.stub.on(LIST, () => ({ body: `<html>${echo}</html>`, status: 500 }));
    const errors = [
      await caught(h.client.getRefundDetail('1')),
      await caught(h.client.confirmReceipt({ refundId: '1' })),
      await caught(h.client.submitReturnWaybill({ refundId: '1', expressNo: 'SF1', expressCode: 4 })),
      await caught(h.client.listRefunds(query)),
    ];
    const signs = h.stub.calls.map((c) => c.params.sign!);
    const everything = [...h.logs, ...errors.flatMap((e) => [e.message, e.platformMessage, String(e.stack), JSON.stringify(e)])].join('\n');
    expect(h.logs.length).toBeGreaterThan(0);
    for (const secret of [...Object.values(SECRETS).filter((s) => s !== SECRETS.appKey), ...signs])
      expect(everything).not.toContain(secret);
  });
});

describe('where the public sources disagree: the lenient reading', () => {
  it.each([
    ['an empty cursor', { pcursor: '', refundOrderInfoList: [] as unknown[] }],
    ['a blank cursor', { pcursor: ' ', refundOrderInfoList: [] as unknown[] }],
    ['no cursor', { refundOrderInfoList: [] as unknown[] }],
  ])('%s ends the list, even on a page with rows', async (_name, data) => {
    h = await harness();
    h.stub.on(LIST, () => ok(withBigIds({ ...data, refundOrderInfoList: [refundWire()] })));
    const page = await h.client.listRefunds(query);
    expect(page).toMatchObject({ pcursor: 'nomore' });
    expect(page.items).toHaveLength(1);
  });

  it.each([
    ['data null', ok('null')],
    ['no data at all', { body: '{"result":1,"error_msg":"SUCCESS","requestId":"rq"}' }],
  ])('a successful list answer with %s is an empty last page', async (_name, answer) => {
    h = await harness();
    h.stub.on(LIST, () => answer);
    await expect(h.client.listRefunds(query)).resolves.toEqual({ items: [], pcursor: 'nomore' });
  });

  it('a returnFreightInfo of zeros without a status is no claim; a 0-fen claim with a status is a claim', async () => {
    h = await harness();
    let info: Record<string, unknown> = { returnFreightAmount: 0, returnFreightApplyDesc: '', returnFreightApplyImages: [] };
    h.stub.on(DETAIL, () => ok(withBigIds(refundWire({ returnFreightInfo: info }))));
    expect((await h.client.getRefundDetail('1')).returnFreight).toBeNull();
    info = { returnFreightAmount: 0, returnFreightStatus: 0 };
    expect((await h.client.getRefundDetail('1')).returnFreight).toBeNull();
    info = { returnFreightAmount: 0, returnFreightStatus: 10 };
    expect((await h.client.getRefundDetail('1')).returnFreight).toMatchObject({ amount: 0, status: 10 });
  });

  it('never asks for a window that ends in the future', async () => {
    h = await harness();
    h.stub.on(LIST, () => ok({ pcursor: 'nomore', refundOrderInfoList: [] }));
    const now = h.clock.now();
    await h.client.listRefunds({ ...query, beginTime: now - 60_000, endTime: now + 3_600_000 });
    expect(JSON.parse(h.stub.calls[0]!.params.param!)).toMatchObject({ beginTime: now - 60_000, endTime: now, currentPage: 1 });
    await expect(h.client.listRefunds({ ...query, beginTime: now + 1, endTime: now + 60_000 })).resolves.toEqual({
      items: [],
      pcursor: 'nomore',
    });
    expect(h.stub.calls).toHaveLength(1);
  });

  it('refuses a return-freight rejection without images before the network', async () => {
    h = await harness();
    h.stub.on(CONFIRM, () => ok('null'));
    const error = await caught(
      h.client.confirmReceipt({ refundId: '6', returnFreight: { advice: 'reject', reason: '无凭证', images: [] } }),
    );
    expect(error).toMatchObject({ kind: 'invalid_request', maybeApplied: false });
    expect(error.message).toMatch(/at least one image/);
    expect(h.stub.calls).toHaveLength(0);
  });
});

describe("the platform FAQ's errors on the wire", () => {
  it('a courier refusal of submit.returnInfo (11 快递公司不存在) is a clear refusal, not a maybe-applied write', async () => {
    h = await harness();
    h.stub.on(SUBMIT, () => fail(11, '参数错误', { sub_msg: '快递公司不存在' }));
    const error = await caught(h.client.submitReturnWaybill({ refundId: '1', expressNo: 'SF1234567890123', expressCode: 999 }));
    expect(error).toMatchObject({ kind: 'invalid_request', maybeApplied: false, code: '11' });
  });

  it('验签失败 on a write is a refusal; token中无scope权限 needs re-authorization', async () => {
    h = await harness();
    h.stub.on(CONFIRM, () => fail(40, '验签失败'));
    expect(await caught(h.client.confirmReceipt({ refundId: '1' }))).toMatchObject({ kind: 'invalid_request', maybeApplied: false });
    h.stub.on(DETAIL, () => fail(41, 'token中无scope权限'));
    expect(await caught(h.client.getRefundDetail('1'))).toMatchObject({ kind: 'auth_revoked' });
    expect(h.reauth).toHaveLength(1);
  });
});
