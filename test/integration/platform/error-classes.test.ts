// Every PlatformError kind, produced by the simulator over real loopback HTTP and seen through the real client of a connected core.
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, type Clock } from '../../../src/main/core/clock';
import type { Core } from '../../../src/main/core/core';
import { QUOTA_PROBE_MS } from '../../../src/main/core/platform/errors';
import type { PlatformClient } from '../../../src/main/core/platform/types';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import { signedInTestCore } from '../../support/core';
import { connectToSimulator } from '../../support/simulator-shop';
import { caught } from '../../support/platform-error';

const LIST = 'open.seller.order.refund.pcursor.list';
const DETAIL = 'open.seller.order.refund.detail';
const SUBMIT = 'open.refund.submit.returnInfo';
const CONFIRM = 'open.seller.order.refund.confirm.receipt';

let sim: RunningSimulator | null = null;
let core: Core | null = null;

afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = null;
  sim = null;
});

async function connected(options: { clock?: Clock } = {}) {
  sim = await startSimulator({ seed: 'error-classes', afterSales: 20 });
  core = signedInTestCore({
    clock: options.clock,
    platform: { qps: 200, timeoutMs: 3000, retryBaseMs: 5, rateLimitBackoffMs: 20, readAttempts: 3 },
  });
  const shopId = await connectToSimulator(core, sim);
  sim.control.resetStats();
  return { shopId, client: core.context.platform.clientFor(shopId), sim, core };
}

const calls = (s: RunningSimulator, method: string) => s.control.stats().calls[method] ?? 0;
const totalCalls = (s: RunningSimulator) => Object.values(s.control.stats().calls).reduce((a, b) => a + b, 0);
const recent = (client: PlatformClient) => {
  const now = Date.now();
  return client.listRefunds({ beginTime: now - 3600_000, endTime: now + 60_000, pcursor: '', pageSize: 10, queryType: 2, type: 9 });
};
/** A status-40 return-and-refund without a postage claim: confirmable as it stands. */
const returned = (s: RunningSimulator) => s.control.addAfterSale({ status: 40, handlingWay: 1, returnFreight: null });

describe('every error class over loopback', () => {
  it('auth_expired: escapes only when the token is refused again right after a successful refresh', async () => {
    const { client, sim, core } = await connected();
    const made = returned(sim);
    sim.control.setFaults({ tokenExpiryRate: 1, methods: [DETAIL] });
    const error = await caught(client.getRefundDetail(made.refundId));
    expect(error).toMatchObject({ kind: 'auth_expired', code: '25', maybeApplied: false });
    expect(calls(sim, 'oauth2.refresh_token')).toBe(1);
    expect(calls(sim, DETAIL)).toBe(2);
    // Not a dead authorization: the shop stays connected and works once the platform behaves.
    sim.control.setFaults({});
    await expect(client.getRefundDetail(made.refundId)).resolves.toMatchObject({ refundId: made.refundId });
    expect(await core.dispatch('shops.list', {}, 'http')).toMatchObject({ ok: true, data: { shops: [{ status: 'connected' }] } });
  });

  it('auth_revoked: code 24, for reads and writes, and later calls do not reach the platform', async () => {
    const { client, sim } = await connected();
    const made = returned(sim);
    sim.control.revokeAuthorization();
    expect(await caught(client.confirmReceipt({ refundId: made.refundId }))).toMatchObject({
      kind: 'auth_revoked',
      code: '24',
      maybeApplied: false,
    });
    expect((await caught(recent(client))).kind).toBe('auth_revoked');
    expect(totalCalls(sim)).toBe(1);
    expect(sim.control.stats().writes).toHaveLength(0);
  });

  it('rate_limited: a write meets the real per-API QPS limit and surfaces at once; a read after its attempts', async () => {
    const { client, sim } = await connected();
    const a = returned(sim);
    const b = returned(sim);
    sim.control.setQpsPerApi(1);
    const outcomes = await Promise.allSettled([
      client.confirmReceipt({ refundId: a.refundId }),
      client.confirmReceipt({ refundId: b.refundId }),
    ]);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatchObject({ kind: 'rate_limited', code: '16', maybeApplied: false });
    expect(calls(sim, CONFIRM)).toBe(2);
    expect(sim.control.stats().writes).toHaveLength(1);

    sim.control.setQpsPerApi(100);
    sim.control.setFaults({ qpsErrorRate: 1, methods: [LIST] });
    expect((await caught(recent(client))).kind).toBe('rate_limited');
    expect(calls(sim, LIST)).toBe(3);
  });

  it('quota_exhausted: [1017] once an API has used its daily quota; only that API is held, then the next day works', async () => {
    const clock = manualClock(Date.now());
    const { client, sim } = await connected({ clock });
    const made = returned(sim);
    // The connect's check used the list; the other APIs have not been called today.
    const used = sim.control.quota().usedByApi;
    expect(used[LIST]).toBeGreaterThan(0);
    expect([used[DETAIL] ?? 0, used[CONFIRM] ?? 0]).toEqual([0, 0]);
    sim.control.setDailyQuota(used[LIST]!);
    const error = await caught(recent(client));
    expect(error).toMatchObject({ kind: 'quota_exhausted', code: '1017', maybeApplied: false });
    expect(error.platformMessage).toMatch(/Exceed quota limit, KEY \[/);
    expect(error.platformMessage).toContain(`[1017] exceed quota limit,[apiId:${LIST}]`);
    expect(sim.control.quota().usedByApi[LIST]).toBe(used[LIST]); // a refused call is not counted

    // The capped list stays quiet (no network, no loop of retries)...
    expect((await caught(recent(client))).kind).toBe('quota_exhausted');
    expect(calls(sim, LIST)).toBe(1);
    // ...but a capped read does not delay a confirm: the other APIs still reach the platform.
    await client.getRefundDetail(made.refundId);
    await client.confirmReceipt({ refundId: made.refundId });
    expect(sim.control.stats().writes.map((w) => w.refundId)).toEqual([made.refundId]);

    // The platform's midnight: the quota is back, and once the hold is over the list is called again.
    sim.control.resetQuotaDay();
    clock.advance(QUOTA_PROBE_MS + 61_000);
    await expect(recent(client)).resolves.toMatchObject({ pcursor: 'nomore' });
    expect(calls(sim, LIST)).toBe(2);
  });

  it('window_too_large: 300004 when the list window exceeds the platform limit', async () => {
    const { client, sim } = await connected();
    sim.control.setMaxWindowMs(30 * 60_000);
    expect(await caught(recent(client))).toMatchObject({ kind: 'window_too_large', code: '300004' });
  });

  it('version_conflict: 300014 for a confirm whose expected status moved, and for a write that lost a race', async () => {
    const { client, sim } = await connected();
    const waiting = sim.control.addAfterSale({ status: 30, handlingWay: 1, returnWaybill: null, returnFreight: null });
    sim.control.buyerShips(waiting.refundId); // 30 -> 40 while the desk still believes 30
    const moved = await caught(client.confirmReceipt({ refundId: waiting.refundId, expectedStatus: 30 }));
    expect(moved).toMatchObject({ kind: 'version_conflict', code: '300014', maybeApplied: false });

    const other = sim.control.addAfterSale({ status: 30, handlingWay: 1, returnWaybill: null, returnFreight: null });
    const version = sim.control.getAfterSale(other.refundId)!.updateTime;
    sim.control.setFaults({ versionConflictRate: 1, methods: [SUBMIT] });
    const raced = await caught(client.submitReturnWaybill({ refundId: other.refundId, expressNo: 'SF1234567890123', expressCode: 4 }));
    expect(raced).toMatchObject({ kind: 'version_conflict', code: '300014', maybeApplied: false });
    const after = sim.control.getAfterSale(other.refundId)!;
    expect(after.status).toBe(30);
    expect(after.updateTime).toBeGreaterThan(version);
    expect(sim.control.stats().writes).toHaveLength(0);

    // Refresh and retry, as the message says: both go through.
    sim.control.setFaults({});
    const fresh = await client.getRefundDetail(waiting.refundId);
    await client.confirmReceipt({ refundId: waiting.refundId, expectedStatus: fresh.status });
    await client.submitReturnWaybill({ refundId: other.refundId, expressNo: 'SF1234567890123', expressCode: 4 });
    expect(sim.control.stats().writes.map((w) => w.method)).toEqual(['confirmReceipt', 'submitReturnInfo']);
  });

  it('not_found: 300011 for a read and a write', async () => {
    const { client } = await connected();
    expect(await caught(client.getRefundDetail('9223372036854775000'))).toMatchObject({ kind: 'not_found', code: '300011' });
    expect(await caught(client.confirmReceipt({ refundId: '9223372036854775000' }))).toMatchObject({
      kind: 'not_found',
      maybeApplied: false,
    });
  });

  it('invalid_state: refund-only (300010), confirmed twice (300018), cancelled by the buyer (300013)', async () => {
    const { client, sim } = await connected();
    const refundOnly = sim.control.addAfterSale({ handlingWay: 10, status: 10 });
    expect(await caught(client.confirmReceipt({ refundId: refundOnly.refundId }))).toMatchObject({ kind: 'invalid_state', code: '300010' });
    const made = returned(sim);
    await client.confirmReceipt({ refundId: made.refundId });
    expect(await caught(client.confirmReceipt({ refundId: made.refundId }))).toMatchObject({
      kind: 'invalid_state',
      code: '300018',
      maybeApplied: false,
    });
    const cancelled = sim.control.addAfterSale({ status: 30, handlingWay: 1, returnWaybill: null });
    sim.control.buyerCancels(cancelled.refundId);
    expect(
      await caught(client.submitReturnWaybill({ refundId: cancelled.refundId, expressNo: 'SF1234567890123', expressCode: 4 })),
    ).toMatchObject({ kind: 'invalid_state', code: '300013' });
    expect(sim.control.stats().writes).toHaveLength(1);
  });

  it('invalid_request: end before begin (300003) and an unknown courier code (11)', async () => {
    const { client, sim } = await connected();
    const now = Date.now();
    expect(
      await caught(client.listRefunds({ beginTime: now, endTime: now - 1, pcursor: '', pageSize: 10, queryType: 2, type: 9 })),
    ).toMatchObject({ kind: 'invalid_request', code: '300003' });
    const waiting = sim.control.addAfterSale({ status: 30, handlingWay: 1, returnWaybill: null });
    expect(
      await caught(client.submitReturnWaybill({ refundId: waiting.refundId, expressNo: 'SF1234567890123', expressCode: 987654 })),
    ).toMatchObject({ kind: 'invalid_request', code: '11', maybeApplied: false });
    expect(calls(sim, LIST)).toBe(1); // a refusal is not retried
  });

  it('transient: a 502 to a write is maybeApplied; resets to a read are retried, then surface', async () => {
    const { client, sim } = await connected();
    const made = returned(sim);
    sim.control.setFaults({ serverErrorRate: 1, methods: [CONFIRM] });
    expect(await caught(client.confirmReceipt({ refundId: made.refundId }))).toMatchObject({ kind: 'transient', maybeApplied: true });
    expect(calls(sim, CONFIRM)).toBe(1);
    sim.control.setFaults({ resetRate: 1, methods: [DETAIL] });
    expect(await caught(client.getRefundDetail(made.refundId))).toMatchObject({ kind: 'transient', maybeApplied: false });
    expect(calls(sim, DETAIL)).toBe(3);
    expect(sim.control.stats().writes).toHaveLength(0);
  });

  it('unknown: a 200 that is not the envelope; to a write it is maybeApplied, and indeed the platform applied it', async () => {
    const { client, sim } = await connected();
    const made = returned(sim);
    sim.control.setFaults({ garbageRate: 1, seed: 'garbage', methods: [DETAIL, CONFIRM] });
    for (let i = 0; i < 4; i += 1) {
      expect(await caught(client.getRefundDetail(made.refundId))).toMatchObject({ kind: 'unknown', maybeApplied: false });
    }
    expect(calls(sim, DETAIL)).toBe(4); // not retried
    const write = await caught(client.confirmReceipt({ refundId: made.refundId }));
    expect(write).toMatchObject({ kind: 'unknown', maybeApplied: true });
    expect(sim.control.stats().writes.map((w) => w.refundId)).toEqual([made.refundId]);
  });
});
