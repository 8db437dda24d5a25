// Shops applied from the warehouse: created or updated quietly (never reported back), unchanged when equal, and a
// shop disconnected at this desk left disconnected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { applyReplicatedShop, exportShop, type ReplicatedShop } from '../../../src/main/core/replica/shops';
import { testCore } from '../../support/core';

let core: Core;
let saved: string[];
beforeEach(() => {
  core = testCore();
  saved = [];
  core.context.shops.onSaved((shopId) => saved.push(shopId));
});
afterEach(async () => core.close());

const shop = (over: Partial<ReplicatedShop['secrets']> = {}): ReplicatedShop => ({
  name: 'Shop A',
  profile: {
    baseUrl: 'https://openapi.example.test',
    appKey: 'ks_app_1',
    signMethod: 'HMAC_SHA256',
    authMode: 'oauth',
    openId: null,
    scopes: ['merchant_refund'],
    accessTokenExpiresAt: 1_800_000_000_000,
    refreshTokenExpiresAt: null,
  },
  secrets: { appSecret: 'app-secret', signSecret: 'sign-secret', accessToken: 'token-1', refreshToken: 'refresh-1', ...over },
});

describe('applyReplicatedShop', () => {
  it('creates the shop once, quietly, and takes rotated tokens', () => {
    const created = applyReplicatedShop(core.context, shop());
    expect(created.outcome).toBe('created');
    expect(exportShop(core.context, created.shopId)).toEqual(shop());
    expect(applyReplicatedShop(core.context, shop())).toEqual({ outcome: 'unchanged', shopId: created.shopId });
    expect(applyReplicatedShop(core.context, shop({ accessToken: 'token-2' }))).toEqual({ outcome: 'updated', shopId: created.shopId });
    expect(core.context.shops.readSecrets(created.shopId).accessToken).toBe('token-2');
    expect(saved).toEqual([]);
  });

  it('leaves a shop disconnected at this desk as it is, and refuses a malformed profile', () => {
    const { shopId } = applyReplicatedShop(core.context, shop());
    core.context.shops.setStatus(shopId, 'disconnected', 'disconnected_at_desk');
    expect(applyReplicatedShop(core.context, shop({ accessToken: 'token-3' }))).toEqual({ outcome: 'disconnected_here', shopId });
    expect(core.context.shops.readSecrets(shopId).accessToken).toBe('token-1');
    expect(() => applyReplicatedShop(core.context, { ...shop(), profile: { ...shop().profile, baseUrl: 'not a url' } })).toThrow();
  });
});
