// Outbox claims across desks: each row claimed once under concurrency, leases renewed, an expired lease taken over safely.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWarehouseError } from '../../../src/main/warehouse/errors';
import {
  claimOutbox,
  completeOutbox,
  enqueueOutbox,
  readOutboxRow,
  releaseOutbox,
  renewLease,
  workUnderLease,
  type NewOutboxAction,
} from '../../../src/main/warehouse/outbox';
import { uuidv7 } from '../../../src/main/warehouse/uuid7';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
let pool: pg.Pool;
beforeAll(async () => {
  warehouse = await startTestWarehouse();
  pool = warehouse.pool();
});
afterAll(async () => warehouse?.stop());

let nextAfterSale = 1_000_000_000_000_000_000n;
function confirmAction(shopId = '501', overrides: Partial<NewOutboxAction> = {}): NewOutboxAction {
  nextAfterSale += 1n;
  return {
    outboxId: uuidv7(),
    shopId,
    afterSaleId: nextAfterSale.toString(),
    action: 'confirm_receipt',
    payload: { refundFen: 1999 },
    originDeskId: 'desk-a',
    ...overrides,
  };
}

async function databaseTimePassed(outboxId: string): Promise<void> {
  for (;;) {
    const result = await pool.query('SELECT lease_until < now() AS expired FROM outbox WHERE outbox_id = $1', [outboxId]);
    if ((result.rows[0] as { expired: boolean }).expired) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('shared outbox', () => {
  it('takes a repeated push as a no-op and reports a second desk queueing the same action as a conflict', async () => {
    const action = confirmAction();
    expect(await enqueueOutbox(pool, action)).toEqual({ outcome: 'queued' });
    expect(await enqueueOutbox(pool, action)).toEqual({ outcome: 'already_pushed' });
    const fromDeskB = await enqueueOutbox(pool, { ...action, outboxId: uuidv7(), originDeskId: 'desk-b' });
    expect(fromDeskB.outcome).toBe('conflict');
    expect(fromDeskB.outcome === 'conflict' && fromDeskB.existing.outbox_id).toBe(action.outboxId);
  });

  it('four desks claiming concurrently: every row is claimed exactly once', async () => {
    const shopId = '777';
    const actions = Array.from({ length: 160 }, () => confirmAction(shopId));
    for (const action of actions) await enqueueOutbox(pool, action);
    const desks = ['desk-1', 'desk-2', 'desk-3', 'desk-4'].map((name) => ({ name, pool: warehouse.pool({ maxConnections: 2 }) }));
    const claimedBy = new Map<string, string[]>();
    await Promise.all(
      desks.map(async (desk) => {
        for (;;) {
          const claims = await claimOutbox(desk.pool, desk.name, { limit: 4, leaseMs: 30_000, shopIds: [shopId] });
          if (claims.length === 0) return;
          for (const claim of claims) {
            claimedBy.set(claim.outboxId, [...(claimedBy.get(claim.outboxId) ?? []), desk.name]);
            await completeOutbox(desk.pool, claim, { state: 'done', result: { by: desk.name } });
          }
        }
      }),
    );
    expect(claimedBy.size).toBe(actions.length);
    expect([...claimedBy.values()].filter((owners) => owners.length !== 1)).toEqual([]);
    const rows = await pool.query('SELECT state, epoch, attempts FROM outbox WHERE shop_id = $1 GROUP BY 1, 2, 3', [shopId]);
    expect(rows.rows).toEqual([{ state: 'done', epoch: '1', attempts: 1 }]);
    // More than one desk did work (SKIP LOCKED lets them run side by side).
    expect(new Set([...claimedBy.values()].flat()).size).toBeGreaterThan(1);
  });

  it('renews a lease on the database clock, so a slow platform call keeps its row', async () => {
    const action = confirmAction('601');
    await enqueueOutbox(pool, action);
    const [claim] = await claimOutbox(pool, 'desk-a', { leaseMs: 300, shopIds: ['601'] });
    expect(claim).toBeDefined();
    expect(await renewLease(pool, claim!, 60_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await claimOutbox(pool, 'desk-b', { leaseMs: 300, shopIds: ['601'] })).toEqual([]);
    await completeOutbox(pool, claim!, { state: 'done', result: { ok: true } });
    expect((await readOutboxRow(pool, action.outboxId))?.state).toBe('done');
  });

  it("takes over an expired lease and refuses the old owner's renewal and result", async () => {
    const action = confirmAction('602');
    await enqueueOutbox(pool, action);
    const [stale] = await claimOutbox(pool, 'desk-a', { leaseMs: 150, shopIds: ['602'] });
    await databaseTimePassed(action.outboxId);
    const [fresh] = await claimOutbox(pool, 'desk-b', { leaseMs: 30_000, shopIds: ['602'] });
    expect(fresh?.outboxId).toBe(action.outboxId);
    expect(BigInt(fresh!.epoch)).toBe(BigInt(stale!.epoch) + 1n);

    expect(await renewLease(pool, stale!, 30_000)).toBe(false);
    const late = await completeOutbox(pool, stale!, { state: 'done', result: { by: 'desk-a' } }).catch((error: unknown) => error);
    expect(isWarehouseError(late, 'warehouse_lease_lost')).toBe(true);
    await completeOutbox(pool, fresh!, { state: 'done', result: { by: 'desk-b' } });
    expect(await readOutboxRow(pool, action.outboxId)).toMatchObject({ state: 'done', result: { by: 'desk-b' }, attempts: 2 });
  });

  it('a released row waits for its retry time before anyone claims it again', async () => {
    const action = confirmAction('603');
    await enqueueOutbox(pool, action);
    const [claim] = await claimOutbox(pool, 'desk-a', { leaseMs: 30_000, shopIds: ['603'] });
    await releaseOutbox(pool, claim!, { afterMs: 60_000, error: 'platform_unavailable' });
    expect(await claimOutbox(pool, 'desk-b', { leaseMs: 30_000, shopIds: ['603'] })).toEqual([]);
    expect(await readOutboxRow(pool, action.outboxId)).toMatchObject({ state: 'pending', owner: null, last_error: 'platform_unavailable' });
  });

  it('keeps renewing while the work runs, and aborts the work when another desk takes the row', async () => {
    const shopId = '604';
    const action = confirmAction(shopId);
    await enqueueOutbox(pool, action);
    const [claim] = await claimOutbox(pool, 'desk-a', { leaseMs: 600, shopIds: [shopId] });
    // Work two leases long: the renewals (every 200 ms) keep desk B away.
    const result = await workUnderLease(pool, claim!, 600, async (signal) => {
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await claimOutbox(pool, 'desk-b', { leaseMs: 300, shopIds: [shopId] })).toEqual([]);
      return signal.aborted;
    });
    expect(result).toBe(false);

    // Another desk takes the row over (as after an expired lease): the next renewal is refused and aborts the work.
    await pool.query('UPDATE outbox SET epoch = epoch + 1, owner = $2 WHERE outbox_id = $1', [action.outboxId, 'desk-b']);
    const aborted = await workUnderLease(
      pool,
      claim!,
      300,
      (signal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason))),
    );
    expect(isWarehouseError(aborted, 'warehouse_lease_lost')).toBe(true);
  });
});
