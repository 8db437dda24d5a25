// Finding 6: one run with the clock two days ahead put the sync high-water mark in the future, and later
// changes were never pulled while sync reported success. The mark now follows the platform's updateTimes,
// and a mark found in the future is repaired and reported in sync.status.
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/main/core/kernel/clock';
import { syncShop } from '../../src/main/core/sync/engine';
import { configureSync } from '../../src/main/core/sync/runtime';
import { readState } from '../../src/main/core/sync/state';
import { harnessPerTest, SHOP, T0, type Harness } from '../unit/sync/harness';
import { FakePlatform } from '../unit/sync/fake-platform';

const DAY = 86_400_000;
const MIN = 60_000;

const openHarness = harnessPerTest();

/** The desk's clock and the platform's clock move separately here. */
async function twoClocks() {
  const h = openHarness();
  const platformClock = manualClock(T0);
  const fake = new FakePlatform(platformClock.now);
  configureSync(h.ctx, { clientFor: () => fake });
  fake.add({ refundId: '8001', status: 30, updateTime: T0 - 3_600_000 });
  fake.add({ refundId: '8002', status: 30, updateTime: T0 - 3_600_000 });
  await syncShop(h.ctx, SHOP);
  return { h, fake, platformClock };
}

const statusOf = (h: Harness, refundId: string) =>
  h.ctx.db.prepare('SELECT status FROM after_sales WHERE refund_id = ?').pluck().get(refundId);

describe('sync high-water mark', () => {
  it('a run with the clock two days ahead leaves the mark at the newest updateTime, and later changes still arrive', async () => {
    const { h, fake, platformClock } = await twoClocks();
    h.clock.set(T0 + 2 * DAY); // the desk's clock jumps ahead for one run
    platformClock.set(T0 + MIN);
    fake.change('8001', { status: 40 });
    await syncShop(h.ctx, SHOP);
    const mark = readState(h.ctx.db, SHOP)!.highWaterMark;
    expect(mark).toBeLessThanOrEqual(T0 + MIN);

    h.clock.set(T0 + 10 * MIN); // clock fixed
    platformClock.set(T0 + 5 * MIN);
    fake.change('8002', { status: 40 });
    await syncShop(h.ctx, SHOP);
    expect(statusOf(h, '8002')).toBe(40);
    expect(readState(h.ctx.db, SHOP)!.highWaterMark).toBeLessThanOrEqual(T0 + 10 * MIN);
  });

  it('a mark already in the future is repaired, reported in sync.status, and sync pulls again', async () => {
    const { h, fake, platformClock } = await twoClocks();
    h.ctx.db.prepare('UPDATE sync_state SET high_water_mark = ? WHERE shop_id = ?').run(T0 + 2 * DAY, SHOP);
    h.clock.set(T0 + 10 * MIN);
    platformClock.set(T0 + 5 * MIN);
    fake.change('8001', { status: 40 });
    await syncShop(h.ctx, SHOP);
    expect(statusOf(h, '8001')).toBe(40);
    const status = await h.core.dispatch('sync.status', {}, 'http');
    expect(status).toMatchObject({
      ok: true,
      data: { shops: [{ shopId: SHOP, highWaterMarkRepaired: { from: T0 + 2 * DAY, at: T0 + 10 * MIN } }] },
    });
    if (status.ok) {
      const repaired = (status.data as { shops: { highWaterMarkRepaired: { to: number } }[] }).shops[0]!.highWaterMarkRepaired;
      expect(repaired.to).toBeLessThanOrEqual(T0 + 10 * MIN);
    }
  });
});
