// stats.summary across desks (warehouse mode): confirms and waybills queued at other desks, kept from the shared
// outbox (SQLite migration 13), count beside this desk's own; a row mirrored here is counted once, an undone one never.
import { describe, expect, it } from 'vitest';
import { applyReplicatedOutbox, type ReplicatedOutboxRow } from '../../../src/main/core/replica/outbox';
import { signInAs, staffedDeskPerTest, T0, type DeskHarness } from './support';

let h: DeskHarness;
staffedDeskPerTest(async (harness) => {
  h = harness;
  await signInAs(h, 'Boss', '1234');
});

function afterSale(refundId: string, refundFee: number): void {
  h.core.context.db
    .prepare(
      `INSERT INTO after_sales (refund_id, shop_id, order_id, item_id, sku_id, sku_nick, handling_way, status, negotiate_status,
         refund_type, receipt_status, refund_fee, refund_reason_desc, refund_desc, submit_time, create_time, update_time, synced_at)
       VALUES (?, 's1', '1', '1', '1', '', 1, 10, 0, 1, 0, ?, '', '', 0, 0, 0, 0)`,
    )
    .run(refundId, refundFee);
}

/** A row of this desk's own outbox (made here, or another desk's row mirrored here under its shared id). */
function local(id: string, kind: string, refundId: string, state: string, at: number, conflictReason: string | null = null): void {
  h.core.context.db
    .prepare(
      `INSERT INTO outbox (id, idempotency_key, kind, shop_id, refund_id, payload, state, not_before, created_at, updated_at, conflict_reason)
       VALUES (?, ?, ?, 's1', ?, '{}', ?, 0, ?, ?, ?)`,
    )
    .run(id, `key-${id}`, kind, refundId, state, at, at, conflictReason);
}

const shared = (
  outboxId: string,
  kind: string,
  refundId: string,
  state: ReplicatedOutboxRow['state'],
  at: number,
): ReplicatedOutboxRow => ({
  outboxId,
  deskId: 'desk-b',
  kind,
  refundId,
  state,
  createdAt: at,
});

describe('stats.summary across desks', () => {
  it('counts other desks’ confirms, amounts and waybills once each, and never an undone confirm', async () => {
    for (const [id, fee] of [
      ['101', 100],
      ['102', 200],
      ['103', 400],
      ['104', 800],
      ['105', 1600],
      ['106', 3200],
    ] as const)
      afterSale(id, fee);
    local('own-done', 'confirm_receipt', '101', 'done', T0 + 1_000);
    local('own-undone', 'confirm_receipt', '102', 'cancelled', T0 + 1_000);
    // Another desk's row this desk mirrors (a shop both desks have): in the local outbox and in the replica.
    local('b-mirrored', 'confirm_receipt', '103', 'done', T0 + 2_000);
    // This desk confirmed 106 too, refused because desk B had it first: it stands for B's confirm (one, not two).
    local('own-refused', 'confirm_receipt', '106', 'conflict', T0 + 2_500, 'other_desk');
    const before = await h.ok('stats.summary', { from: T0, to: T0 + 10_000 });
    expect(before).toMatchObject({ confirms: 3, confirmedAmountFen: 3700, confirmsAccepted: 2, waybillsUploaded: 0 });

    expect(
      applyReplicatedOutbox(h.core.context, [
        shared('b-mirrored', 'confirm_receipt', '103', 'done', T0 + 2_000),
        shared('b-pending', 'confirm_receipt', '104', 'pending', T0 + 3_000),
        shared('b-refused', 'confirm_receipt', '105', 'failed', T0 + 3_000),
        shared('b-waybill', 'submit_waybill', '105', 'done', T0 + 3_000),
        shared('b-first', 'confirm_receipt', '106', 'done', T0 + 2_400),
        // Outside the range.
        shared('b-late', 'confirm_receipt', '999', 'done', T0 + 20_000),
      ]),
    ).toBe(6);
    const after = await h.ok('stats.summary', { from: T0, to: T0 + 10_000 });
    expect(after).toMatchObject({ confirms: 5, confirmedAmountFen: 3700 + 800 + 1600, confirmsAccepted: 2, waybillsUploaded: 1 });

    // The shared row is sent later: its new state is taken, a repeat changes nothing, and nothing is counted twice.
    expect(applyReplicatedOutbox(h.core.context, [shared('b-pending', 'confirm_receipt', '104', 'done', T0 + 3_000)])).toBe(1);
    expect(applyReplicatedOutbox(h.core.context, [shared('b-pending', 'confirm_receipt', '104', 'done', T0 + 3_000)])).toBe(0);
    expect(await h.ok('stats.summary', { from: T0, to: T0 + 10_000 })).toMatchObject({ confirms: 5, confirmsAccepted: 3 });
    // The outbox now (waiting / conflicts) stays this desk's own.
    expect(after.outboxPending).toBe(before.outboxPending);
  });

  it('refuses a replica row it cannot read, keeping nothing of the batch', () => {
    expect(() =>
      applyReplicatedOutbox(h.core.context, [
        shared('ok', 'confirm_receipt', '101', 'done', T0),
        { ...shared('bad', 'confirm_receipt', 'not-an-id', 'done', T0) },
      ]),
    ).toThrow();
    expect(h.count('warehouse_outbox')).toBe(0);
  });
});
