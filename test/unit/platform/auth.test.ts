// Tokens: refresh on expiry and before it, one shared refresh, rotated pair persisted before use, dead auth made visible.
import { afterEach, describe, expect, it } from 'vitest';
import { harness, refundWire, SECRETS, withBigIds, type Harness } from './harness';
import { fail, ok, type StubCall } from './stub-platform';
import { caught } from '../../support/platform-error';

let h: Harness;
afterEach(async () => {
  await h?.stub.close();
});

const DETAIL = '/open/seller/order/refund/detail';
const CONFIRM = '/open/seller/order/refund/confirm/receipt';
const REFRESH = '/oauth2/refresh_token';

/** A platform where exactly one access token is valid at a time and refresh rotates both tokens. */
function rotatingPlatform(h: Harness) {
  let generation = 0;
  let access = SECRETS.accessToken;
  let refresh = SECRETS.refreshToken;
  const usedRefreshTokens: string[] = [];
  const persistedWhenFirstUsed: number[] = [];
  const api = (call: StubCall) => {
    if (call.params.access_token !== access) return fail(25, '鉴权失败: TOKEN过期');
    if (call.params.access_token !== SECRETS.accessToken && persistedWhenFirstUsed.length < generation) {
      persistedWhenFirstUsed.push(h.saved.length); // how many rotations were persisted when the new token first arrived
    }
    return ok(withBigIds(refundWire()));
  };
  h.stub.on(DETAIL, api);
  h.stub.on(CONFIRM, (call) => (call.params.access_token === access ? ok('null') : fail(25, '鉴权失败: TOKEN过期')));
  h.stub.on(REFRESH, (call) => {
    usedRefreshTokens.push(call.params.refresh_token!);
    if (
      call.params.refresh_token !== refresh ||
      call.params.app_secret !== SECRETS.appSecret ||
      call.params.grant_type !== 'refresh_token'
    ) {
      return { body: '{"result":100200102,"error":"access_denied","error_msg":"refreshToken.discarded"}' };
    }
    generation += 1;
    access = `ACCESS-gen${generation}-xxxx`;
    refresh = `REFRESH-gen${generation}-yyyy`;
    return {
      body: JSON.stringify({
        result: 1,
        access_token: access,
        expires_in: 172800,
        refresh_token: refresh,
        refresh_token_expires_in: 15552000,
        open_id: 'o1',
        scopes: ['merchant_refund'],
      }),
    };
  });
  return {
    expireNow: () => {
      access = 'nobody-has-this';
    },
    usedRefreshTokens,
    persistedWhenFirstUsed,
    get generation() {
      return generation;
    },
  };
}

describe('token refresh', () => {
  it('on an expired answer: refreshes once, persists the rotated pair BEFORE using it, retries the call', async () => {
    h = await harness();
    const platform = rotatingPlatform(h);
    platform.expireNow();
    const detail = await h.client.getRefundDetail('1');
    expect(detail.status).toBe(30);
    expect(platform.generation).toBe(1);
    expect(h.saved).toHaveLength(1);
    expect(h.saved[0]).toMatchObject({ accessToken: 'ACCESS-gen1-xxxx', refreshToken: 'REFRESH-gen1-yyyy', openId: 'o1' });
    expect(h.saved[0]!.accessTokenExpiresAt).toBe(h.clock.now() + 172_800_000);
    expect(platform.persistedWhenFirstUsed).toEqual([1]);
  });

  it('the next refresh spends the NEW refresh token; the old one is never sent again', async () => {
    h = await harness();
    const platform = rotatingPlatform(h);
    platform.expireNow();
    await h.client.getRefundDetail('1');
    platform.expireNow();
    await h.client.getRefundDetail('1');
    expect(platform.usedRefreshTokens).toEqual([SECRETS.refreshToken, 'REFRESH-gen1-yyyy']);
    expect(h.reauth).toEqual([]);
  });

  it('a write that met an expired token is sent again after the refresh (it was provably not applied)', async () => {
    h = await harness();
    const platform = rotatingPlatform(h);
    platform.expireNow();
    await h.client.confirmReceipt({ refundId: '1' });
    const confirms = h.stub.calls.filter((c) => c.path === CONFIRM);
    expect(confirms.map((c) => c.params.access_token)).toEqual(['ACCESS-cccc-3333', 'ACCESS-gen1-xxxx']);
    expect(confirms[0]!.params.param).toBe(confirms[1]!.params.param);
  });

  it('concurrent calls that all meet the expiry share ONE refresh', async () => {
    h = await harness();
    const platform = rotatingPlatform(h);
    platform.expireNow();
    await Promise.all(Array.from({ length: 6 }, () => h.client.getRefundDetail('1')));
    expect(platform.usedRefreshTokens).toHaveLength(1);
    expect(h.saved).toHaveLength(1);
  });

  it('refreshes before a known expiry, without first failing a call', async () => {
    h = await harness({ tokens: { accessTokenExpiresAt: Date.now() + 10 * 60_000 } });
    const platform = rotatingPlatform(h);
    await h.client.getRefundDetail('1');
    expect(platform.usedRefreshTokens).toHaveLength(1);
    const details = h.stub.calls.filter((c) => c.path === DETAIL);
    expect(details.map((c) => c.params.access_token)).toEqual(['ACCESS-gen1-xxxx']);
  });

  it('if persisting the rotated pair fails, the new token is never used', async () => {
    h = await harness({
      store: {
        saveTokens: () => {
          throw new Error('disk full');
        },
      },
    });
    const platform = rotatingPlatform(h);
    platform.expireNow();
    await expect(h.client.getRefundDetail('1')).rejects.toThrow(/disk full/);
    expect(h.stub.calls.filter((c) => c.path === DETAIL).map((c) => c.params.access_token)).toEqual(['ACCESS-cccc-3333']);
  });
});

describe('authorization that cannot be recovered', () => {
  it('a discarded refresh token puts the shop in needs_reauthorization once, then calls fail fast without the network', async () => {
    h = await harness();
    h.stub.on(DETAIL, () => fail(25, '鉴权失败'));
    h.stub.on(REFRESH, () => ({ body: '{"result":100200102,"error":"access_denied","error_msg":"refreshToken.discarded"}' }));
    const first = await caught(h.client.getRefundDetail('1'));
    expect(first.kind).toBe('auth_revoked');
    expect(first.code).toBe('100200102');
    expect(h.reauth).toHaveLength(1);
    const callsBefore = h.stub.calls.length;
    const second = await caught(h.client.getRefundDetail('1'));
    expect(second.kind).toBe('auth_revoked');
    expect(second.message).toMatch(/re-authoriz/);
    expect(h.stub.calls.length).toBe(callsBefore);
    expect(h.reauth).toHaveLength(1);
  });

  it('a pasted token (no refresh possible) works until it expires, then needs re-authorization', async () => {
    h = await harness({ canRefresh: false });
    let expired = false;
    h.stub.on(DETAIL, () => (expired ? fail(25, 'TOKEN过期') : ok(withBigIds(refundWire()))));
    await h.client.getRefundDetail('1');
    expired = true;
    const error = await caught(h.client.getRefundDetail('1'));
    expect(error.kind).toBe('auth_revoked');
    expect(h.reauth).toHaveLength(1);
    expect(h.stub.calls.filter((c) => c.path === REFRESH)).toHaveLength(0);
  });

  it('code 24 AUTHORIZATION_REVOKED marks the shop at once, without trying to refresh', async () => {
    h = await harness();
    h.stub.on(DETAIL, () => fail(24, 'AUTHORIZATION_REVOKED'));
    expect((await caught(h.client.getRefundDetail('1'))).kind).toBe('auth_revoked');
    expect(h.reauth).toHaveLength(1);
    expect(h.stub.calls.filter((c) => c.path === REFRESH)).toHaveLength(0);
  });

  it('an expiry answer that persists after a successful refresh is not looped on', async () => {
    h = await harness();
    rotatingPlatform(h);
    h.stub.on(DETAIL, () => fail(25, '鉴权失败'));
    const error = await caught(h.client.getRefundDetail('1'));
    expect(error.kind).toBe('auth_expired');
    expect(h.stub.calls.filter((c) => c.path === REFRESH)).toHaveLength(1);
    expect(h.stub.calls.filter((c) => c.path === DETAIL)).toHaveLength(2);
  });
});
