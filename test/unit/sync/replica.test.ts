// After-sales as records shared between desks (warehouse mode): exported from one desk's cache, applied to another's
// idempotently, never over a newer or more complete row, leaving the desk's own pending work alone.
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyReplicatedAfterSales,
  exportAfterSale,
  isNewerRecord,
  replicaKeys,
  replicaRefundIds,
  type ReplicatedAfterSale,
} from '../../../src/main/core/replica/after-sales';
import { adoptSharedPullPosition, exportPullPosition, mirrorSharedPullPosition } from '../../../src/main/core/replica/pull-position';
import { readState } from '../../../src/main/core/sync/state';
import { replicaDeskId, replicaPosition, saveReplicaPosition } from '../../../src/main/core/replica/state';
import { applyDelegated } from '../../../src/main/core/outbox/delegated';
import { findByCode } from '../../../src/main/core/after-sales/lookup';
import { syncShop } from '../../../src/main/core/sync/engine';
import { signedInTestCore } from '../../support/core';
import { DAY } from './fake-platform';
import { harness, SHOP, T0 } from './harness';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function pulledDesk() {
  const h = harness();
  closers.push(() => h.core.close());
  for (let i = 0; i < 40; i += 1) {
    h.fake.add({
      refundId: String(9_300_000_000_000_000_000n + BigInt(i)),
      updateTime: T0 - Math.floor(((i + 0.5) / 40) * 80 * DAY),
      handlingWay: 1,
      status: i % 2 === 0 ? 40 : 60,
      returnWaybill: i % 2 === 0 ? { expressNo: `YT${7000000000 + i}`, expressCode: 2 } : null,
    });
  }
  await syncShop(h.ctx, SHOP);
  return h;
}

function emptyDesk() {
  const core = signedInTestCore();
  closers.push(() => core.close());
  const changed: string[][] = [];
  core.events.subscribe((name, payload) => {
    if (name === 'afterSales.changed') changed.push((payload as { refundIds: string[] }).refundIds);
  });
  return { core, ctx: core.context, changed };
}

describe('replicated after-sales', () => {
  it('a desk applying another desk records holds the same after-sales, finds them by scan, and says what changed once', async () => {
    const a = await pulledDesk();
    const records = replicaRefundIds(a.ctx, SHOP).map((id) => exportAfterSale(a.ctx, id)!);
    expect(records).toHaveLength(40);
    const b = emptyDesk();
    expect(applyReplicatedAfterSales(b.ctx, records).sort()).toEqual(records.map((r) => r.refundId).sort());
    for (const record of records) expect(exportAfterSale(b.ctx, record.refundId)).toEqual(record);
    const withWaybill = records.find((r) => r.returnWaybill !== null)!;
    expect(findByCode(b.ctx, replicaKeys(withWaybill).find((k) => k.kind === 'waybill')!.key)?.refundIds).toEqual([withWaybill.refundId]);
    expect(b.changed).toHaveLength(1);
    // The same batch again (a follower's crash between apply and saving its position): nothing changes.
    expect(applyReplicatedAfterSales(b.ctx, records)).toEqual([]);
    expect(b.changed).toHaveLength(1);
  });

  it('never goes back: an older version, or the same version with less in it, is not taken', async () => {
    const a = await pulledDesk();
    const open = exportAfterSale(
      a.ctx,
      replicaRefundIds(a.ctx, SHOP).find((id) => exportAfterSale(a.ctx, id)!.returnWaybill !== null)!,
    )!;
    expect(open.detailVersion).toBe(open.updateTime);
    const b = emptyDesk();
    applyReplicatedAfterSales(b.ctx, [open]);
    const older: ReplicatedAfterSale = { ...open, updateTime: open.updateTime - 1_000, status: 10 };
    const summaryOnly: ReplicatedAfterSale = { ...open, detailVersion: null, returnWaybill: null };
    expect(isNewerRecord(older, open)).toBe(false);
    expect(isNewerRecord(summaryOnly, open)).toBe(false);
    expect(applyReplicatedAfterSales(b.ctx, [older, summaryOnly])).toEqual([]);
    expect(exportAfterSale(b.ctx, open.refundId)).toEqual(open);
    const newer: ReplicatedAfterSale = { ...open, updateTime: open.updateTime + 1_000, detailVersion: open.updateTime + 1_000, status: 50 };
    expect(applyReplicatedAfterSales(b.ctx, [newer])).toEqual([open.refundId]);
    expect(exportAfterSale(b.ctx, open.refundId)?.status).toBe(50);
  });

  it("an after-sale new here takes the local state of another desk's outbox row that came before it", async () => {
    const a = await pulledDesk();
    const record = exportAfterSale(a.ctx, replicaRefundIds(a.ctx, SHOP)[0]!)!;
    const b = emptyDesk();
    // The outbox feed and the after-sales feed are not ordered with each other: the done confirm arrives first.
    const now = b.ctx.clock.now();
    applyDelegated(
      b.ctx.db,
      {
        id: 'confirm-from-a',
        kind: 'confirm_receipt',
        shopId: record.shopId,
        refundId: record.refundId,
        payload: '{}',
        state: 'done',
        attempts: 1,
        lastError: null,
        conflictReason: null,
        conflictState: null,
        operatorId: null,
        createdAt: now,
        notBefore: now,
        doneAt: now,
      },
      now,
    );
    applyReplicatedAfterSales(b.ctx, [record]);
    expect(b.ctx.db.prepare('SELECT local_state FROM after_sales WHERE refund_id = ?').pluck().get(record.refundId)).toBe('confirmed');
  });

  it("keeps the desk's own pending work on the row (its local state and the waybill it is uploading)", async () => {
    const a = await pulledDesk();
    const record = exportAfterSale(a.ctx, replicaRefundIds(a.ctx, SHOP)[0]!)!;
    const b = emptyDesk();
    applyReplicatedAfterSales(b.ctx, [record]);
    b.ctx.db
      .prepare(
        "UPDATE after_sales SET local_state = 'waybill_pending', local_express_no = 'SF1234567890', local_express_code = 4, local_waybill_norm = 'SF1234567890' WHERE refund_id = ?",
      )
      .run(record.refundId);
    applyReplicatedAfterSales(b.ctx, [{ ...record, updateTime: record.updateTime + 1, detailVersion: record.updateTime + 1 }]);
    const row = b.ctx.db.prepare('SELECT local_state, local_express_no FROM after_sales WHERE refund_id = ?').get(record.refundId);
    expect(row).toEqual({ local_state: 'waybill_pending', local_express_no: 'SF1234567890' });
  });

  it('hands a pull position over and keeps the desk id and feed positions with the data', async () => {
    const a = await pulledDesk();
    const position = exportPullPosition(a.ctx, SHOP)!;
    expect(position.backfillDone).toBe(true);
    const b = emptyDesk();
    expect(exportPullPosition(b.ctx, SHOP)).toBeNull();
    adoptSharedPullPosition(b.ctx, SHOP, position);
    expect(exportPullPosition(b.ctx, SHOP)).toEqual(position);
    expect(() => adoptSharedPullPosition(b.ctx, SHOP, { ...position, windowMs: 0 })).toThrow();
    // A desk that does not pull the shop shows the puller's position and time in its sync status.
    mirrorSharedPullPosition(b.ctx, 'shop-2', position, T0 - 5_000);
    expect(readState(b.ctx.db, 'shop-2')).toMatchObject({ backfillDone: true, lastSyncAt: T0 - 5_000, lastError: null });
    const id = replicaDeskId(b.ctx);
    expect(replicaDeskId(b.ctx)).toBe(id);
    expect(replicaDeskId(a.ctx)).not.toBe(id);
    expect(replicaPosition(b.ctx, 'warehouse.after_sales')).toBe('0');
    saveReplicaPosition(b.ctx, 'warehouse.after_sales', '12345678901234567890');
    expect(replicaPosition(b.ctx, 'warehouse.after_sales')).toBe('12345678901234567890');
    expect(() => saveReplicaPosition(b.ctx, 'warehouse.after_sales', '-1')).toThrow();
  });
});
