// The push of a desk's confirm into the shared outbox when another desk's confirm of the same after-sale finishes at
// that very moment: the push must end as an explained conflict, never as a second row that is sent, re-read and
// recorded as "already applied" (found by the outage acceptance test; staged here step by step).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxRow as LocalOutboxRow } from '../../../src/main/core/outbox/store';
import { claimSendable } from '../../../src/main/warehouse/link/outbox-claim';
import { pushRow } from '../../../src/main/warehouse/link/outbox-push';
import { claimOutbox, enqueueOutbox } from '../../../src/main/warehouse/outbox';
import { uuidv7 } from '../../../src/main/warehouse/uuid7';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
beforeAll(async () => {
  warehouse = await startTestWarehouse();
});
afterAll(async () => {
  await warehouse.stop();
});

const SHOP = '1001';

/** Desk B's local confirm row, as the worker hands it to the push. */
function localConfirm(refundId: string): LocalOutboxRow {
  return {
    id: uuidv7(),
    kind: 'confirm_receipt',
    shop_id: SHOP,
    refund_id: refundId,
    payload: '{}',
    idempotency_key: `confirm_receipt:${refundId}#1`,
    created_at: Date.now(),
    operator_id: null,
    sends: 0,
    needs_recheck: 0,
  } as unknown as LocalOutboxRow;
}

describe('pushing a confirm while another desk finishes the same one', () => {
  it('ends as a conflict naming the other desk’s row, and adds no row', async () => {
    const pool = warehouse.pool();
    const refundId = '2160000000000042';
    const first = uuidv7();
    await enqueueOutbox(pool, {
      outboxId: first,
      shopId: SHOP,
      afterSaleId: refundId,
      action: 'confirm_receipt',
      payload: { v: 1, payload: {}, idempotencyKey: 'a', createdAt: Date.now(), operatorId: null, recheck: false, originOnly: false },
      originDeskId: 'desk-a',
    });
    expect(await claimOutbox(pool, 'desk-a/1', { leaseMs: 30_000 })).toHaveLength(1);

    // Desk A records its confirm as done, in a transaction still open while desk B pushes its own confirm.
    const deskA = await pool.connect();
    try {
      await deskA.query('BEGIN');
      await deskA.query("UPDATE outbox SET state = 'done', owner = NULL, lease_until = NULL, updated_at = now() WHERE outbox_id = $1", [
        first,
      ]);
      const row = localConfirm(refundId);
      const pushing = pushRow(pool, row, 'desk-b');
      let settled = false;
      void pushing.finally(() => (settled = true)).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Desk A's row is still live to everyone else: B's insert waits on the one-live-action index.
      expect(settled).toBe(false);
      await deskA.query('COMMIT');

      const outcome = await pushing;
      expect(outcome).toMatchObject({ outcome: 'conflict', existing: { outbox_id: first, state: 'done', origin_desk_id: 'desk-a' } });
      const rows = await pool.query('SELECT outbox_id FROM outbox WHERE after_sale_id = $1', [refundId]);
      expect(rows.rows).toEqual([{ outbox_id: first }]);
    } finally {
      await deskA.query('ROLLBACK').catch(() => undefined);
      deskA.release();
    }
  });

  it('a waybill upload (not a one-time action) after another desk’s finished one is queued as before', async () => {
    const pool = warehouse.pool();
    const refundId = '2160000000000043';
    const first = uuidv7();
    await enqueueOutbox(pool, {
      outboxId: first,
      shopId: SHOP,
      afterSaleId: refundId,
      action: 'submit_waybill',
      payload: {},
      originDeskId: 'desk-a',
    });
    await pool.query("UPDATE outbox SET state = 'done' WHERE outbox_id = $1", [first]);
    const row = { ...localConfirm(refundId), kind: 'submit_waybill' } as LocalOutboxRow;
    expect(await pushRow(pool, row, 'desk-b')).toMatchObject({ outcome: 'pushed', row: { outbox_id: row.id, state: 'pending' } });
  });

  it('a row a desk cannot send (it holds its own of the same action) is left to the other desks, not held back', async () => {
    const pool = warehouse.pool();
    const refundId = '2160000000000044';
    // A shop of its own: the rows of the tests above are not in the way.
    const row = { ...localConfirm(refundId), shop_id: '1002' } as LocalOutboxRow;
    expect(await pushRow(pool, row, 'desk-a')).toMatchObject({ outcome: 'pushed' });
    const options = { deskId: 'desk-b', shopIds: ['1002'], limit: 10, leaseMs: 30_000 };
    // Desk B skips it: nothing claimed, the row stays pending and due for desk A at once.
    expect(await claimSendable(pool, { ...options, owner: 'desk-b/1', skip: [row.id] })).toEqual([]);
    expect(await claimSendable(pool, { ...options, deskId: 'desk-a', owner: 'desk-a/1' })).toMatchObject([
      { outboxId: row.id, row: { attempts: 1 } },
    ]);
  });
});
