// The real client, through a real core, against the Kuaishou simulator: ids, writes, tokens, faults, pacing, demo shop.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import type { PlatformClient } from '../../../src/main/core/platform/types';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import { signedInTestCore } from '../../support/core';
import { rawLogger } from '../../unit/platform/harness';
import { caught } from '../../support/platform-error';

let sim: RunningSimulator | null = null;
let core: Core | null = null;
let logs: string[] = [];

afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = null;
  sim = null;
});

/** Simulator time the test can move (token expiry, refresh grace), starting at the real now. */
function movableNow() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
}

async function connected(
  options: { refresh?: boolean; qps?: number; timeoutMs?: number; now?: () => number; afterSales?: number; readAttempts?: number } = {},
) {
  sim = await startSimulator({ seed: 'platform-it', afterSales: options.afterSales ?? 30, now: options.now });
  logs = [];
  core = signedInTestCore({
    logger: rawLogger(logs),
    platform: {
      qps: options.qps ?? 200,
      timeoutMs: options.timeoutMs ?? 3000,
      retryBaseMs: 5,
      rateLimitBackoffMs: 20,
      readAttempts: options.readAttempts,
    },
  });
  const c = sim.credentials;
  const input = {
    name: 'sim',
    baseUrl: sim.baseUrl,
    appKey: c.appKey,
    signSecret: c.signSecret,
    accessToken: c.accessToken,
    ...(options.refresh === false ? {} : { appSecret: c.appSecret, refreshToken: c.refreshToken }),
  };
  const answer = await core.dispatch('shops.connect', input, 'http');
  if (!answer.ok) throw new Error(`connect failed: ${answer.error.code} ${answer.error.message}`);
  const shopId = (answer.data as { id: string }).id;
  return { shopId, client: core.context.platform.clientFor(shopId), sim, core };
}

const recent = (client: PlatformClient, pageSize = 100) => {
  const now = Date.now();
  return client.listRefunds({ beginTime: now - 3600_000, endTime: now + 60_000, pcursor: '', pageSize, queryType: 2, type: 9 });
};

describe('against the simulator', () => {
  it('a refund id above 2^53 survives list -> detail -> submit waybill -> confirm unchanged', async () => {
    const { client, sim } = await connected();
    const made = sim.control.addAfterSale({ bigIds: true, status: 30, handlingWay: 1, returnWaybill: null, returnFreight: null });
    expect(BigInt(made.refundId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);

    const page = await recent(client);
    const listed = page.items.find((item) => item.refundId === made.refundId);
    expect(listed).toBeDefined();
    const detail = await client.getRefundDetail(listed!.refundId);
    expect(detail.refundId).toBe(made.refundId);
    expect(detail.orderId).toBe(made.oid);
    expect(detail.returnWaybill).toBeNull();

    await client.submitReturnWaybill({
      refundId: detail.refundId,
      expressNo: 'SF1234567890123',
      expressCode: detail.returnWaybill?.expressCode ?? 4,
    });
    const afterSubmit = await client.getRefundDetail(detail.refundId);
    expect(afterSubmit.status).toBe(40);
    expect(afterSubmit.returnWaybill?.expressNo).toBe('SF1234567890123');
    await client.confirmReceipt({ refundId: afterSubmit.refundId, expectedStatus: 40 });

    const writes = sim.control.stats().writes;
    expect(writes.map((w) => [w.method, w.refundId])).toEqual([
      ['submitReturnInfo', made.refundId],
      ['confirmReceipt', made.refundId],
    ]);
    const order = await client.getOrder(detail.orderId);
    expect(order.orderId).toBe(made.oid);
    expect(order.refunds.some((r) => r.refundId === made.refundId)).toBe(true);
    const history = await client.getNegotiationHistory(made.refundId);
    expect(history.length).toBeGreaterThan(0);
  });

  it('pages through the list with the cursor until nomore, each id once', async () => {
    const { client, sim } = await connected();
    for (let i = 0; i < 7; i += 1) sim.control.addAfterSale({ bigIds: i % 2 === 0 });
    const seen: string[] = [];
    let pcursor = '';
    const now = Date.now();
    for (let guard = 0; guard < 20; guard += 1) {
      const page = await client.listRefunds({
        beginTime: now - 3600_000,
        endTime: now + 60_000,
        pcursor,
        pageSize: 3,
        queryType: 2,
        type: 9,
      });
      seen.push(...page.items.map((i) => i.refundId));
      if (page.pcursor === 'nomore') break;
      pcursor = page.pcursor;
    }
    expect(seen.length).toBeGreaterThanOrEqual(7);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('business refusals are typed: not found, window too large, invalid state', async () => {
    const { client, sim } = await connected();
    expect((await caught(client.getRefundDetail('9223372036854775000'))).kind).toBe('not_found');
    sim.control.setMaxWindowMs(3600_000);
    const now = Date.now();
    const wide = await caught(
      client.listRefunds({ beginTime: now - 2 * 3600_000, endTime: now, pcursor: '', pageSize: 10, queryType: 2, type: 9 }),
    );
    expect(wide.kind).toBe('window_too_large');
    expect(wide.requestId).toMatch(/\w+/);
    const refundOnly = sim.control.addAfterSale({ handlingWay: 10, status: 10 });
    const refused = await caught(client.confirmReceipt({ refundId: refundOnly.refundId }));
    expect(refused.kind).toBe('invalid_state');
    expect(refused.maybeApplied).toBe(false);
    expect(sim.control.stats().writes).toHaveLength(0);
  });

  it('an expired token is refreshed once, the rotated pair is persisted, and the old refresh token is dead after the grace', async () => {
    const clock = movableNow();
    const { client, sim, core, shopId } = await connected({ now: clock.now });
    sim.control.expireAccessToken();
    sim.control.resetStats();
    await recent(client, 1);
    expect(sim.control.stats().calls['oauth2.refresh_token']).toBe(1);
    const stored = core.context.platform.store.readSecrets(shopId);
    expect(stored.refreshToken).not.toBe(sim.credentials.refreshToken);
    expect(stored.accessToken).not.toBe(sim.credentials.accessToken);

    // The old refresh token is discarded after the platform's grace: reusing it would be refused...
    clock.advance(6 * 60_000);
    const reuse = await fetch(`${sim.baseUrl}/oauth2/refresh_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: sim.credentials.refreshToken,
        app_id: sim.credentials.appKey,
        app_secret: sim.credentials.appSecret,
      }),
    });
    expect(((await reuse.json()) as { result: number }).result).toBe(100200102);
    // ...while the desk, holding the persisted new one, keeps refreshing fine.
    sim.control.expireAccessToken();
    await recent(client, 1);
    expect(sim.control.stats().calls['oauth2.refresh_token']).toBe(3);
    expect(await core.dispatch('shops.list', {}, 'http')).toMatchObject({ ok: true, data: { shops: [{ status: 'connected' }] } });
  });

  it('a client rebuilt from the database (restart) uses the persisted rotated tokens', async () => {
    const { client, sim, core, shopId } = await connected();
    sim.control.expireAccessToken();
    await recent(client, 1);
    core.context.platform.forget(shopId);
    sim.control.resetStats();
    await recent(core.context.platform.clientFor(shopId), 1);
    expect(sim.control.stats().calls['oauth2.refresh_token'] ?? 0).toBe(0);
  });

  it('a revoked authorization: needs_reauthorization, visible in shops.list, no loop', async () => {
    const { client, sim, core } = await connected();
    sim.control.revokeAuthorization();
    sim.control.resetStats();
    expect((await caught(recent(client, 1))).kind).toBe('auth_revoked');
    expect((await caught(recent(client, 1))).kind).toBe('auth_revoked');
    const calls = sim.control.stats().calls;
    expect(Object.values(calls).reduce((a, b) => a + b, 0)).toBe(1);
    expect(await core.dispatch('shops.list', {}, 'http')).toMatchObject({
      ok: true,
      data: { shops: [{ status: 'needs_reauthorization' }] },
    });
  });

  it('a pasted token without refresh: fine until it expires, then needs re-authorization', async () => {
    const { client, sim, core } = await connected({ refresh: false });
    await recent(client, 1);
    sim.control.expireAccessToken();
    expect((await caught(recent(client, 1))).kind).toBe('auth_revoked');
    expect(sim.control.stats().calls['oauth2.refresh_token'] ?? 0).toBe(0);
    expect(await core.dispatch('shops.list', {}, 'http')).toMatchObject({
      ok: true,
      data: { shops: [{ status: 'needs_reauthorization', canRefresh: false }] },
    });
  });

  it('connects with an authorization code issued by the platform', async () => {
    sim = await startSimulator({ seed: 'platform-it', afterSales: 5 });
    core = signedInTestCore({ platform: { qps: 200 } });
    const c = sim.credentials;
    const answer = await core.dispatch(
      'shops.connect',
      { baseUrl: sim.baseUrl, appKey: c.appKey, appSecret: c.appSecret, signSecret: c.signSecret, code: sim.control.issueAuthCode() },
      'http',
    );
    expect(answer).toMatchObject({ ok: true, data: { authMode: 'oauth', canRefresh: true, status: 'connected' } });
    const again = await core.dispatch(
      'shops.connect',
      { baseUrl: sim.baseUrl, appKey: c.appKey, appSecret: c.appSecret, signSecret: c.signSecret, code: 'code_never_issued' },
      'http',
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'platform_rejected' } });
  });

  it('a wrong sign secret fails verification and saves nothing', async () => {
    sim = await startSimulator({ seed: 'platform-it', afterSales: 5 });
    core = signedInTestCore({ platform: { qps: 200 } });
    const c = sim.credentials;
    const answer = await core.dispatch(
      'shops.connect',
      { baseUrl: sim.baseUrl, appKey: c.appKey, signSecret: 'wrong-sign-secret', accessToken: c.accessToken },
      'http',
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'platform_rejected', details: { kind: 'invalid_request' } } });
    expect(core.context.db.prepare('SELECT count(*) FROM shops').pluck().get()).toBe(0);
  });

  it('a write whose answer never comes times out as maybeApplied, and the platform did apply it', async () => {
    const { client, sim } = await connected({ timeoutMs: 300 });
    const made = sim.control.addAfterSale({ bigIds: true, status: 40, handlingWay: 1, returnFreight: null });
    sim.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 5000, methods: ['open.seller.order.refund.confirm.receipt'] });
    const error = await caught(client.confirmReceipt({ refundId: made.refundId }));
    expect(error).toMatchObject({ kind: 'transient', maybeApplied: true });
    expect(sim.control.stats().writes.map((w) => w.refundId)).toEqual([made.refundId]);
    expect(sim.control.stats().calls['open.seller.order.refund.confirm.receipt']).toBe(1);
  });

  it('reads ride out injected 5xx, resets and QPS answers', async () => {
    const { client, sim } = await connected({ readAttempts: 6 });
    // About one attempt in three fails; six attempts make a lost read a one-in-a-thousand event (and the dice are seeded).
    sim.control.setFaults({
      serverErrorRate: 0.15,
      resetRate: 0.1,
      qpsErrorRate: 0.1,
      seed: 11,
      methods: ['open.seller.order.refund.pcursor.list'],
    });
    sim.control.resetStats();
    for (let i = 0; i < 10; i += 1) await recent(client, 5);
    expect(sim.control.stats().calls['open.seller.order.refund.pcursor.list']).toBeGreaterThan(10);
  });

  it('pacing: a shop never exceeds its QPS, so a tight platform limit is never hit', async () => {
    const { client, sim } = await connected({ qps: 20 });
    sim.control.setQpsPerApi(25);
    sim.control.resetStats();
    const started = performance.now();
    await Promise.all(Array.from({ length: 40 }, () => recent(client, 1)));
    const elapsed = performance.now() - started;
    // 40 calls at 20/s take at least 39 intervals of 50 ms; a QPS answer would have shown up as a retry.
    expect(elapsed).toBeGreaterThanOrEqual(39 * 50 - 5);
    expect(sim.control.stats().calls['open.seller.order.refund.pcursor.list']).toBe(40);
    logs.push(`pacing: 40 calls at qps 20 took ${Math.round(elapsed)} ms`);
  });

  it('no secret in any log line of all of the above kinds of trouble', async () => {
    const { client, sim } = await connected({ timeoutMs: 300 });
    sim.control.setFaults({ serverErrorRate: 0.5, seed: 3 });
    await recent(client, 1).catch(() => undefined);
    sim.control.expireAccessToken();
    sim.control.setFaults({});
    await recent(client, 1);
    sim.control.revokeAuthorization();
    await recent(client, 1).catch(() => undefined);
    const all = logs.join('\n');
    expect(logs.length).toBeGreaterThan(2);
    for (const secret of [sim.credentials.appSecret, sim.credentials.signSecret, sim.credentials.accessToken, sim.credentials.refreshToken])
      expect(all).not.toContain(secret);
    expect(all).not.toMatch(/ChFvYXV0aC5hY2Nlc3NUb2tlbh/); // no rotated access token either
  });
});
