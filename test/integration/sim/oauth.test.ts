// OAuth: one-time 2-minute codes, refresh rotation with a 5-minute grace, the 180-day deadline, revocation.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim/index';
import { call, oauth, testClock } from './signed-request';

let sim: RunningSimulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const MIN = 60_000;
function refresh(s: RunningSimulator, token: string) {
  return oauth(
    s,
    'refresh_token',
    { grant_type: 'refresh_token', refresh_token: token, app_id: s.credentials.appKey, app_secret: s.credentials.appSecret },
    'POST',
  );
}

describe('sim oauth', () => {
  it('rotates refresh tokens; the old one dies 5 minutes after its first use', async () => {
    const clock = testClock();
    sim = await startSimulator({ afterSales: 5, now: clock.now });
    const first = await refresh(sim, sim.credentials.refreshToken);
    expect(first.result).toBe(1);
    expect(first.refresh_token).not.toBe(sim.credentials.refreshToken);
    expect(first.expires_in).toBe(172800);
    expect(first.scopes).toEqual(['merchant_refund', 'merchant_order']);
    // The new access token works.
    const ok = await call(sim, 'open.seller.order.refund.detail', '{"refundId":1}', { accessToken: first.access_token });
    expect(ok.body.result).toBe(300011);
    // Within the grace period the old refresh token still works.
    clock.advance(4 * MIN);
    expect((await refresh(sim, sim.credentials.refreshToken)).result).toBe(1);
    clock.advance(MIN + 1);
    expect(await refresh(sim, sim.credentials.refreshToken)).toEqual({
      result: 100200102,
      error: 'access_denied',
      error_msg: 'refreshToken.discarded',
    });
    // The new one keeps the original 180-day deadline.
    const second = await refresh(sim, first.refresh_token);
    expect(second.result).toBe(1);
    expect(second.refresh_token_expires_in).toBe(Math.floor((180 * 86_400_000 - (5 * MIN + 1)) / 1000));
    clock.advance(180 * 86_400_000);
    const dead = await refresh(sim, second.refresh_token);
    expect(dead.result).toBe(100200102);
    expect(dead.error).toBe('access_denied');
  });

  it('access tokens expire after 48 hours', async () => {
    const clock = testClock();
    sim = await startSimulator({ afterSales: 5, now: clock.now });
    clock.advance(48 * 3_600_000);
    const r = await call(sim, 'open.seller.order.refund.detail', '{"refundId":1}');
    expect(r.body.error_msg).toBe('鉴权失败/TOKEN过期');
  });

  it('codes are one-time, live 2 minutes, and need the right app secret and verb', async () => {
    const clock = testClock();
    sim = await startSimulator({ afterSales: 5, now: clock.now });
    const p = (code: string, secret = sim!.credentials.appSecret) => ({
      app_id: sim!.credentials.appKey,
      grant_type: 'code',
      code,
      app_secret: secret,
    });
    const code = sim.control.issueAuthCode();
    expect((await oauth(sim, 'access_token', p(code, 'wrong'), 'GET')).result).toBe(100200101);
    const tokens = await oauth(sim, 'access_token', p(code), 'GET');
    expect(tokens.result).toBe(1);
    expect(tokens.refresh_token_expires_in).toBe(180 * 86_400);
    expect((await oauth(sim, 'access_token', p(code), 'GET')).result).toBe(100200105);
    const late = sim.control.issueAuthCode();
    clock.advance(2 * MIN);
    expect((await oauth(sim, 'access_token', p(late), 'GET')).result).toBe(100200105);
    // Documented as GET; a POST form is taken too (some SDKs POST every call).
    expect((await oauth(sim, 'access_token', p(sim.control.issueAuthCode()), 'POST')).result).toBe(1);
    expect((await refresh(sim, 'nope')).error_msg).toBe('refreshToken.unknown');
  });
});
