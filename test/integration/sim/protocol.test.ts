// Gateway strictness over real loopback HTTP: signatures, appkey, verbs, tokens, revocation, QPS, 64-bit ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim/index';
import { call, testClock } from './signed-request';

const DETAIL = 'open.seller.order.refund.detail';
let sim: RunningSimulator;
const clock = testClock();

beforeAll(async () => {
  sim = await startSimulator({ seed: 'protocol', afterSales: 300, now: clock.now });
});
afterAll(async () => {
  await sim.close();
});

describe('sim gateway', () => {
  it('accepts both sign methods and answers the envelope', async () => {
    const a = sim.control.findAfterSales({}, 1)[0]!;
    for (const signMethod of ['MD5', 'HMAC_SHA256'] as const) {
      const r = await call(sim, DETAIL, `{"refundId":${a.refundId}}`, { signMethod });
      expect(r.status).toBe(200);
      expect(r.body.result).toBe(1);
      expect(typeof r.body.requestId).toBe('string');
      expect(String(r.body.data.refundId)).toBe(a.refundId);
    }
  });

  it('rejects a wrongly signed request', async () => {
    const bad = await call(sim, DETAIL, '{"refundId":1}', { signSecret: 'not-the-secret' });
    expect(bad.body.result).toBe(28);
    expect(bad.body.error_msg).toMatch(/签名/);
    const tampered = await call(sim, DETAIL, '{"refundId":1}', { sign: 'AAAA' });
    expect(tampered.body.result).toBe(28);
    expect(sim.control.stats().calls[DETAIL]).toBeGreaterThanOrEqual(2);
  });

  it('rejects unknown appkey, wrong verb, bad version, non-JSON param, method mismatch', async () => {
    expect((await call(sim, DETAIL, '{}', { appKey: 'nope' })).body.result).toBe(10);
    expect((await call(sim, DETAIL, '{}', { verb: 'PUT' })).body.result).toBe(12);
    expect((await call(sim, 'open.refund.submit.returnInfo', '{}', { verb: 'GET' })).body.result).toBe(12);
    expect((await call(sim, DETAIL, '{}', { version: '2' })).body.result).toBe(11);
    expect((await call(sim, DETAIL, 'refundId=1')).body.result).toBe(11);
    expect((await call(sim, DETAIL, '{}', { methodParam: 'open.order.detail' })).body.result).toBe(11);
    expect((await call(sim, 'open.no.such.api', '{}')).body.result).toBe(12);
  });

  it('unknown ids are 300011 not found', async () => {
    const r = await call(sim, DETAIL, '{"refundId":2140000000000001}');
    expect(r.body.result).toBe(300011);
    expect(r.body.code).toBe('300011');
    expect((await call(sim, 'open.order.detail', '{"oid":123}')).body.result).toBe(300011);
    expect((await call(sim, 'open.refund.comment.basic.list', '{"refundId":999}')).body.result).toBe(300011);
  });

  it('round-trips ids above 2^53 as bare JSON numbers', async () => {
    const big = sim.control.addAfterSale({ refundId: '21400000099999999', oid: '21700000012345678', status: 30 });
    expect(BigInt(big.refundId) > 2n ** 53n).toBe(true);
    const r = await call(sim, DETAIL, `{"refundId":${big.refundId}}`);
    expect(r.body.result).toBe(1);
    expect(r.text).toContain(`"refundId":${big.refundId}`);
    expect(r.text).toContain(`"oid":21700000012345678`);
    expect(r.body.data.refundId).toBe('21400000099999999');
    // A client that lost precision asks for another id and is told so.
    const lossy = await call(sim, DETAIL, `{"refundId":${Number(big.refundId)}}`);
    expect(lossy.body.result).toBe(300011);
    const order = await call(sim, 'open.order.detail', '{"oid":21700000012345678}');
    expect(order.text).toContain(`"refundId":${big.refundId}`);
  });

  it('token expiry, unknown token, revocation and re-authorization', async () => {
    expect((await call(sim, DETAIL, '{"refundId":1}', { accessToken: 'unknown' })).body.error_msg).toMatch(/鉴权失败/);
    sim.control.expireAccessToken();
    const expired = await call(sim, DETAIL, '{"refundId":1}');
    expect(expired.body.result).toBe(25);
    expect(expired.body.error_msg).toBe('鉴权失败/TOKEN过期');
    sim.control.revokeAuthorization();
    const { oauth } = await import('./signed-request');
    const refused = await oauth(
      sim,
      'refresh_token',
      {
        grant_type: 'refresh_token',
        refresh_token: sim.credentials.refreshToken,
        app_id: sim.credentials.appKey,
        app_secret: sim.credentials.appSecret,
      },
      'POST',
    );
    expect(refused.result).toBe(100200102);
    const code = sim.control.issueAuthCode();
    const tokens = await oauth(
      sim,
      'access_token',
      { app_id: sim.credentials.appKey, grant_type: 'code', code, app_secret: sim.credentials.appSecret },
      'GET',
    );
    expect(tokens.result).toBe(1);
    sim.control.revokeAuthorization();
    const revoked = await call(sim, DETAIL, '{"refundId":1}', { accessToken: tokens.access_token });
    expect(revoked.body.result).toBe(24);
  });
});

describe('sim QPS limit', () => {
  it('refuses calls beyond the per-API limit with the platform message', async () => {
    const s = await startSimulator({ seed: 'qps', afterSales: 10, qpsPerApi: 3 });
    try {
      const results = await Promise.all(Array.from({ length: 8 }, () => call(s, DETAIL, '{"refundId":1}')));
      const limited = results.filter((r) => /^Exceed qps limit, KEY \[.+\], MAX_QPS \[3\]$/.test(r.body.error_msg));
      expect(limited.length).toBeGreaterThanOrEqual(5);
      expect(results.length - limited.length).toBeLessThanOrEqual(3);
      // Another API has its own budget.
      expect((await call(s, 'open.order.detail', '{"oid":1}')).body.result).toBe(300011);
    } finally {
      await s.close();
    }
  });
});
