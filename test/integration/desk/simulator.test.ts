// The desk end to end against the simulator over loopback: sync, scan, insurance dialog path, upload, confirm, drain.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { drainOnce } from '../../../src/main/core/outbox/worker';
import { syncShop } from '../../../src/main/core/sync/engine';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { whenBackgroundIdle } from '../../../src/main/core/sync/background';
import { nextResolved } from '../../support/scan-events';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import type { Envelope, MethodInput, MethodName, MethodOutput } from '../../../src/common/contract';
import { testCore } from '../../support/core';

let sim: RunningSimulator | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = null;
  sim = null;
});

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
  return (await core!.dispatch(method, input, 'http')) as Envelope<MethodOutput<M>>;
}
async function ok<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const answer = await call(method, input);
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message} ${JSON.stringify(answer.error.details)}`);
  return answer.data;
}

async function setUp(): Promise<{ shopId: string; sim: RunningSimulator }> {
  sim = await startSimulator({ port: 0, seed: 'desk-core', afterSales: 30, qpsPerApi: 10_000 });
  core = testCore({ platform: { qps: 2_000, timeoutMs: 2_000, retryBaseMs: 2, rateLimitBackoffMs: 10, readAttempts: 3 } });
  await ok('operators.bootstrap', { name: 'Boss', pin: '1234' });
  const c = sim.credentials;
  const shop = await ok('shops.connect', {
    name: 'sim',
    baseUrl: sim.baseUrl,
    appKey: c.appKey,
    signSecret: c.signSecret,
    accessToken: c.accessToken,
    appSecret: c.appSecret,
    refreshToken: c.refreshToken,
  });
  configureSync(core.context, { retryBaseMs: 5, retryMaxMs: 40, recheckDelayMs: 0, fetchConcurrency: 8, workerIdleMs: 20 });
  await ok('settings.save', { undoWindowMs: 0 });
  return { shopId: shop.id, sim };
}

describe('desk against the simulator', () => {
  it('insured parcel waiting for the buyer: warned, waybill uploaded for the buyer, confirmed; the platform gets one of each', async () => {
    const { shopId, sim: s } = await setUp();
    const insured = s.control.addAfterSale({ status: 30, handlingWay: 1, returnWaybill: null, freightInsurance: true });
    await syncShop(core!.context, shopId);

    const scanned = await ok('scan.lookup', { code: insured.refundId, source: 'scanner' });
    expect(scanned).toMatchObject({ outcome: 'waiting_for_buyer', insuranceWarning: 'required', matchedBy: 'refund_id' });
    const warned = await call('receipts.confirm', { refundId: insured.refundId, scanId: scanned.scanId });
    expect(warned.ok ? null : warned.error).toMatchObject({
      code: 'conflict',
      details: { reason: 'insurance_warning', warning: 'required' },
    });

    await ok('waybills.submit', { refundId: insured.refundId, expressNo: 'SF1234567890123', expressCode: 4, scanId: scanned.scanId });
    await ok('receipts.confirm', { refundId: insured.refundId, scanId: scanned.scanId });
    // Drain until both rows are done (a slow machine may turn a send into a retry a few ms later).
    const open = () =>
      core!.context.db
        .prepare("SELECT count(*) FROM outbox WHERE refund_id = ? AND state NOT IN ('done', 'cancelled', 'conflict')")
        .pluck()
        .get(insured.refundId) as number;
    for (const until = Date.now() + 20_000; open() > 0 && Date.now() < until;) {
      await drainOnce(core!.context);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(core!.context.db.prepare('SELECT kind, state FROM outbox WHERE refund_id = ? ORDER BY seq').all(insured.refundId)).toEqual([
      { kind: 'submit_waybill', state: 'done' },
      { kind: 'confirm_receipt', state: 'done' },
    ]);

    const writes = s.control.stats().writes.filter((w) => w.refundId === insured.refundId);
    expect(writes.map((w) => w.method)).toEqual(['submitReturnInfo', 'confirmReceipt']);
    expect(s.control.getAfterSale(insured.refundId)?.status).toBe(50);
    expect((await ok('scan.lookup', { code: 'SF1234567890123' })).afterSale?.refundId).toBe(insured.refundId);
  }, 60_000);

  it('a waybill the buyer filled after the last sync is found by the targeted refresh on a scan miss', async () => {
    const { shopId, sim: s } = await setUp();
    await syncShop(core!.context, shopId);
    const shipped = s.control.addAfterSale({ status: 40, handlingWay: 1, returnWaybill: { expressNo: 'YT7777777777777', expressCode: 6 } });
    const resolved = nextResolved(core!.events);
    const miss = await ok('scan.lookup', { code: 'YT7777777777777' });
    expect(miss).toMatchObject({ outcome: 'not_found', refreshPending: true });
    const { scanId, result } = await resolved;
    expect(scanId).toBe(miss.scanId);
    expect(result).toMatchObject({ outcome: 'ready', refreshed: true, matchedBy: 'return_waybill' });
    expect(result.afterSale?.refundId).toBe(shipped.refundId);
    // Now cached: the next scan of it is a plain hit (a duplicate of the resolved one, carrying the after-sale).
    expect((await ok('scan.lookup', { code: 'YT7777777777777' })).afterSale?.refundId).toBe(shipped.refundId);
    const missing = await ok('scan.lookup', { code: 'YT8888888888888' });
    expect(missing).toMatchObject({ outcome: 'not_found', refreshPending: true });
    await whenBackgroundIdle(core!.context);
  }, 60_000);
});
