// Managing shops from the back office against the simulator: overview, rename, pause, disconnect with queued work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import { syncShopIds } from '../../../src/main/core/sync/runtime';
import { connectToSimulator } from '../../support/simulator-shop';
import { deskHarness, signInAs, withStaff, type DeskHarness } from '../../unit/desk/support';
import { seed } from '../desk/fixtures';

let h: DeskHarness;
let sim: RunningSimulator;
let shopId: string;
beforeEach(async () => {
  sim = await startSimulator({ seed: 'bo-shops', afterSales: 5 });
  h = deskHarness();
  h.clock.set(Date.now()); // the simulator answers for real time
  await withStaff(h);
  shopId = await connectToSimulator(h.core, sim);
});
afterEach(async () => {
  await h.core.close();
  await sim.close();
});

describe('shops in the back office', () => {
  it('renames and pauses a shop, audited; a paused shop is not synced', async () => {
    expect((await h.ok('shops.rename', { shopId, name: '旗舰店' })).name).toBe('旗舰店');
    const paused = await h.ok('shops.setPaused', { shopId, paused: true });
    expect(paused).toMatchObject({ paused: true, shop: { name: '旗舰店', status: 'connected' } });
    expect(syncShopIds(h.core.context as never)).toEqual([]);
    await h.ok('shops.setPaused', { shopId, paused: false });
    expect(syncShopIds(h.core.context as never)).toEqual([shopId]);
    const audit = await h.ok('audit.search', {});
    expect(audit.entries.map((e) => `${e.action}:${e.outcome}`)).toEqual(
      expect.arrayContaining(['shops.rename:ok', 'shops.setPaused:paused', 'shops.setPaused:resumed']),
    );
    await h.fails('shops.rename', { shopId: 'nope', name: 'x' }, 'not_found');
  });

  it('tells the manager what is still queued before disconnecting, and keeps it queued afterwards', async () => {
    const refundId = seed(h, { status: 30, insurance: false });
    h.core.context.db.prepare('UPDATE after_sales SET shop_id = ? WHERE refund_id = ?').run(shopId, refundId);
    await h.ok('waybills.submit', { refundId, expressNo: 'SF1000000000555', expressCode: 4 });
    const refused = await h.fails('shops.disconnect', { shopId }, 'conflict');
    expect(refused.details).toMatchObject({ reason: 'queued_work', queued: { uploads: 1, confirms: 0, conflicts: 0 } });
    expect((await h.ok('shops.overview', {})).shops[0]).toMatchObject({ queued: { uploads: 1 }, shop: { status: 'connected' } });

    const gone = await h.ok('shops.disconnect', { shopId, keepQueued: true });
    expect(gone).toMatchObject({ shop: { status: 'disconnected' }, queued: { uploads: 1 } });
    expect(syncShopIds(h.core.context as never)).toEqual([]);
    // The cache stays readable.
    expect((await h.ok('afterSales.get', { refundId })).refundId).toBe(refundId);
    expect(() => h.core.context.platform.clientFor(shopId)).toThrow(/disconnected/);
  });

  it('sets a shop’s own sync interval and pacing, audited, shown in the overview and applied to its pacer', async () => {
    const before = (await h.ok('shops.overview', {})).shops[0]!;
    expect(before.sync).toMatchObject({ syncIntervalMs: null, callsPerSecond: null, effectiveSyncIntervalMs: 60_000 });
    const pacer = h.core.context.platform.pacerFor(shopId);
    const set = await h.ok('shops.setSyncSettings', { shopId, syncIntervalMs: 45_000, callsPerSecond: 7 });
    expect(set).toEqual({ shopId, syncIntervalMs: 45_000, callsPerSecond: 7, effectiveSyncIntervalMs: 45_000, effectiveCallsPerSecond: 7 });
    // The very pacer the shop's client uses now spaces every API at 7 calls per second.
    expect(h.core.context.platform.pacerFor(shopId)).toBe(pacer);
    expect(pacer.rateOf('open.seller.order.refund.pcursor.list')).toBe(7);
    expect((await h.ok('shops.overview', {})).shops[0]!.sync).toMatchObject({ syncIntervalMs: 45_000, callsPerSecond: 7 });
    // Only the pacing changes when only the pacing is given.
    await h.ok('shops.setSyncSettings', { shopId, callsPerSecond: null });
    expect((await h.ok('shops.overview', {})).shops[0]!.sync).toMatchObject({ syncIntervalMs: 45_000, callsPerSecond: null });
    expect(pacer.rateOf('open.seller.order.refund.pcursor.list')).toBe(before.sync.effectiveCallsPerSecond);
    const audit = await h.ok('audit.search', { action: 'shops.setSyncSettings' });
    expect(audit.entries.map((e) => e.details)).toEqual([
      expect.objectContaining({ shopId, to: { syncIntervalMs: 45_000, callsPerSecond: null } }),
      expect.objectContaining({
        shopId,
        from: { syncIntervalMs: null, callsPerSecond: null },
        to: { syncIntervalMs: 45_000, callsPerSecond: 7 },
      }),
    ]);
    await h.fails('shops.setSyncSettings', { shopId, callsPerSecond: 101 }, 'invalid_input');
    await h.fails('shops.setSyncSettings', { shopId: 'nope', callsPerSecond: 5 }, 'not_found');
  });

  it('is refused to operators without manage_shops', async () => {
    await signInAs(h, 'Kefu');
    await h.fails('shops.overview', {}, 'forbidden');
    await h.fails('shops.setPaused', { shopId, paused: true }, 'forbidden');
    await h.fails('shops.disconnect', { shopId, keepQueued: true }, 'forbidden');
    await h.fails('shops.setSyncSettings', { shopId, syncIntervalMs: 20_000 }, 'forbidden');
  });
});
