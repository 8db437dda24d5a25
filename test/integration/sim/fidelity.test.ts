// Where the public sources disagree or are strict: currentPage required, images with a freight rejection,
// the verbs real clients use, and the wire variants the simulator can answer in (docs/platform.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim/index';
import { call, oauth, testClock } from './signed-request';

const LIST = 'open.seller.order.refund.pcursor.list';
const DETAIL = 'open.seller.order.refund.detail';
const CONFIRM = 'open.seller.order.refund.confirm.receipt';
const SUBMIT = 'open.refund.submit.returnInfo';
const HOUR = 3_600_000;
let sim: RunningSimulator;
const clock = testClock();

beforeAll(async () => {
  sim = await startSimulator({ seed: 'fidelity', afterSales: 300, now: clock.now, qpsPerApi: 100_000 });
});
afterAll(async () => {
  await sim.close();
});

const window = (extra: Record<string, unknown> = {}) => ({
  beginTime: clock.now() - HOUR,
  endTime: clock.now(),
  type: 9,
  queryType: 2,
  pageSize: 10,
  pcursor: '',
  ...extra,
});

describe('list: currentPage', () => {
  it('refuses a list call without currentPage, and one below 1', async () => {
    const missing = await call(sim, LIST, window());
    expect(missing.body).toMatchObject({ result: 11, sub_code: 'MISSING_CURRENT_PAGE' });
    expect((await call(sim, LIST, window({ currentPage: 0 }))).body.result).toBe(11);
    expect((await call(sim, LIST, window({ currentPage: 1 }))).body.result).toBe(1);
  });
});

describe('confirm: a return-freight rejection needs images', () => {
  const claim = { returnFreightAmount: 900, returnFreightStatus: 10, returnFreightApplyDesc: '运费', returnFreightApplyImages: [] };
  it.each([
    ['no images field', {}],
    ['an empty list', { returnFreightRejectImages: [] }],
  ])('refuses a rejection with %s and changes nothing', async (_name, images) => {
    const a = sim.control.addAfterSale({ status: 40, returnFreight: claim });
    const r = await call(sim, CONFIRM, {
      refundId: a.refundId,
      returnFreightHandlingAdvice: 2,
      returnFreightRejectDesc: '已使用',
      ...images,
    });
    expect(r.body).toMatchObject({ result: 11, sub_code: 'INVALID_RETURN_FREIGHT' });
    expect(sim.control.getAfterSale(a.refundId)!.status).toBe(40);
  });

  it('takes one with a single image', async () => {
    const a = sim.control.addAfterSale({ status: 40, returnFreight: claim });
    const r = await call(sim, CONFIRM, {
      refundId: a.refundId,
      returnFreightHandlingAdvice: 2,
      returnFreightRejectDesc: '已使用',
      returnFreightRejectImages: ['https://img.example/1.jpg'],
    });
    expect(r.body.result, r.text).toBe(1);
  });
});

describe('verbs real clients use', () => {
  it('takes a read as a POST form (SDKs that POST every call), still refuses a GET write and other verbs', async () => {
    const a = sim.control.addAfterSale({ status: 40 });
    const posted = await call(sim, DETAIL, { refundId: a.refundId }, { verb: 'POST' });
    expect(posted.body.result, posted.text).toBe(1);
    expect(String(posted.body.data.refundId)).toBe(a.refundId);
    expect((await call(sim, LIST, window({ currentPage: 1 }), { verb: 'POST' })).body.result).toBe(1);
    expect((await call(sim, SUBMIT, '{}', { verb: 'GET' })).body.result).toBe(12);
    expect((await call(sim, DETAIL, { refundId: a.refundId }, { verb: 'PUT' })).body.result).toBe(12);
  });

  it('refreshes a token with GET and query parameters (as the platform demo does), and with the documented POST form', async () => {
    const s = await startSimulator({ seed: 'fidelity-oauth', afterSales: 5, now: clock.now });
    try {
      const params = (token: string) => ({
        grant_type: 'refresh_token',
        refresh_token: token,
        app_id: s.credentials.appKey,
        app_secret: s.credentials.appSecret,
      });
      const viaGet = await oauth(s, 'refresh_token', params(s.credentials.refreshToken), 'GET');
      expect(viaGet).toMatchObject({ result: 1 });
      const viaPost = await oauth(s, 'refresh_token', params(viaGet.refresh_token as string), 'POST');
      expect(viaPost).toMatchObject({ result: 1 });
      expect(viaPost.refresh_token).not.toBe(viaGet.refresh_token);
    } finally {
      await s.close();
    }
  });
});

describe('wire variants', () => {
  afterAll(() => sim.control.setVariants({}));

  it('ends a list with an empty cursor when asked to', async () => {
    sim.control.setVariants({ endCursor: '' });
    sim.control.addAfterSale({ status: 40 });
    const r = await call(sim, LIST, window({ currentPage: 1, pageSize: 100 }));
    expect(r.body.data.refundOrderInfoList.length).toBeGreaterThan(0);
    expect(r.body.data.pcursor).toBe('');
  });

  it('answers an empty page with data null or without data', async () => {
    const empty = { ...window({ currentPage: 1 }), beginTime: clock.now() - 89 * 86_400_000, endTime: clock.now() - 89 * 86_400_000 + 1 };
    sim.control.setVariants({ emptyListData: 'null' });
    const nul = await call(sim, LIST, empty);
    expect(nul.body.result).toBe(1);
    expect(nul.text).toMatch(/"data":null/);
    sim.control.setVariants({ emptyListData: 'absent' });
    const absent = await call(sim, LIST, empty);
    expect(absent.body.result).toBe(1);
    expect('data' in absent.body).toBe(false);
  });

  it('spells "no postage claim" as a returnFreightInfo of zeros when asked to, and still treats it as no claim', async () => {
    sim.control.setVariants({ noClaimFreight: 'zeros' });
    const a = sim.control.addAfterSale({ status: 40 });
    const detail = await call(sim, DETAIL, { refundId: a.refundId });
    expect(detail.body.data.returnFreightInfo).toEqual({
      returnFreightAmount: 0,
      returnFreightApplyDesc: '',
      returnFreightApplyImages: [],
    });
    const withFreight = await call(sim, CONFIRM, { refundId: a.refundId, returnFreightHandlingAdvice: 1, returnFreightAmount: 0 });
    expect(withFreight.body.result).toBe(11);
    expect((await call(sim, CONFIRM, { refundId: a.refundId })).body.result).toBe(1);
  });

  it('refuses a variant it does not know', () => {
    expect(() => sim.control.setVariants({ endCursor: 'done' as 'nomore' })).toThrow(/endCursor/);
  });
});
