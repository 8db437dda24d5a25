// The sync gate (CoreOptions.syncGate): a desk pulls on its schedule only the shops the gate lets through, a run
// stops between calls once it closes, and the targeted refresh after a scan miss is never gated.
import { describe, expect, it } from 'vitest';
import { syncShop } from '../../../src/main/core/sync/engine';
import { targetedRefresh } from '../../../src/main/core/sync/refresh';
import { SyncGateClosed } from '../../../src/main/core/sync/runtime';
import { readState } from '../../../src/main/core/sync/state';
import { DAY } from './fake-platform';
import { harnessPerTest, SHOP, T0 } from './harness';

const openHarness = harnessPerTest();

function setup() {
  const h = openHarness();
  for (let i = 0; i < 120; i += 1) {
    h.fake.add({
      refundId: String(9_200_000_000_000_000_000n + BigInt(i)),
      updateTime: T0 - Math.floor(((i + 0.5) / 120) * 89 * DAY),
      handlingWay: 1,
      status: 40,
      returnWaybill: { expressNo: `SF${2000000000 + i}`, expressCode: 4 },
    });
  }
  let open = true;
  h.ctx.sync.gate = { pulls: () => open };
  return { ...h, setOpen: (value: boolean) => (open = value) };
}

const totalCalls = (calls: Record<string, number>) => Object.values(calls).reduce((sum, n) => sum + n, 0);

describe('sync gate', () => {
  it('a closed gate: no scheduled pull and no sync.run of the shop, not a single platform call', async () => {
    const h = setup();
    h.setOpen(false);
    await expect(syncShop(h.ctx, SHOP)).rejects.toBeInstanceOf(SyncGateClosed);
    const answer = await h.core.dispatch('sync.run', {}, 'http');
    expect(answer).toMatchObject({ ok: true, data: { started: false } });
    expect(totalCalls(h.fake.calls)).toBe(0);
    // Not a failure of the shop's sync: nothing is recorded as its last error.
    expect(readState(h.ctx.db, SHOP)?.lastError ?? null).toBeNull();
  });

  it('a gate that closes mid-backfill stops the run between calls; reopened, the run goes on from where it stopped', async () => {
    const h = setup();
    let lists = 0;
    h.core.events.subscribe((name) => {
      if (name === 'afterSales.changed' && ++lists === 3) h.setOpen(false);
    });
    await expect(syncShop(h.ctx, SHOP)).rejects.toBeInstanceOf(SyncGateClosed);
    const stoppedAt = totalCalls(h.fake.calls);
    const state = readState(h.ctx.db, SHOP)!;
    expect(state.backfillDone).toBe(false);
    expect(state.lastError).toBeNull();
    h.setOpen(true);
    await syncShop(h.ctx, SHOP);
    expect(readState(h.ctx.db, SHOP)!.backfillDone).toBe(true);
    expect(h.ctx.db.prepare('SELECT count(*) FROM after_sales').pluck().get()).toBe(120);
    expect(stoppedAt).toBeLessThan(totalCalls(h.fake.calls));
  });

  it('the targeted refresh after a scan miss runs whatever the gate says', async () => {
    const h = setup();
    h.setOpen(false);
    h.fake.add({
      refundId: '9200000000000009999',
      updateTime: T0 - 60_000,
      handlingWay: 1,
      status: 40,
      returnWaybill: { expressNo: 'SF2999999999', expressCode: 4 },
    });
    expect(await targetedRefresh(h.ctx)).toEqual({ refreshed: true });
    expect(h.ctx.db.prepare('SELECT count(*) FROM after_sales WHERE refund_id = ?').pluck().get('9200000000000009999')).toBe(1);
  });
});
