// The outbox's delegate hook (warehouse mode's seam) against a fake platform: hand-off, claimed rows, delegated state.
import { describe, expect, it } from 'vitest';
import { applyDelegated, conflictBeforeSend, markDelegated, readyDelegated } from '../../../src/main/core/outbox/delegated';
import { enqueueConfirm, enqueueWaybillSubmit } from '../../../src/main/core/outbox/queue';
import type { OutboxDelegate } from '../../../src/main/core/outbox/runtime';
import { closeReachedConflicts, getRow, nextDueAt, recoverInFlight, type OutboxRow } from '../../../src/main/core/outbox/store';
import { applyDetail } from '../../../src/main/core/after-sales/store';
import { drainOnce } from '../../../src/main/core/outbox/worker';
import { getAfterSale } from '../../../src/main/core/after-sales/views';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { syncShop } from '../../../src/main/core/sync/engine';
import { isUuidv7 } from '../../../src/main/core/kernel/uuid7';
import { harnessPerTest, SHOP, sharedRow } from './harness';

const openHarness = harnessPerTest();

async function setup() {
  const h = openHarness();
  h.fake.add({ refundId: '7001', status: 40 });
  h.fake.add({ refundId: '7002', status: 40 });
  await syncShop(h.ctx, SHOP);
  saveSettings(h.ctx, { undoWindowMs: 0 });
  return h;
}

describe('outbox delegate', () => {
  it('hands due rows over instead of sending them, and leaves delegated rows to the delegate', async () => {
    const h = await setup();
    const handed: string[] = [];
    h.ctx.outbox.delegate = {
      handOff: (row) => {
        handed.push(row.id);
        markDelegated(h.ctx.db, row.id, h.clock.now());
        return Promise.resolve(true);
      },
      claim: () => Promise.resolve([]),
      run: async (_row, send) => void (await send()),
    };
    const { outboxId } = enqueueConfirm(h.ctx, { refundId: '7001', operatorId: null });
    await drainOnce(h.ctx);
    await drainOnce(h.ctx);
    expect(handed).toEqual([outboxId]);
    // Its id is the one the shared outbox keeps: a UUIDv7 made at this desk.
    expect(isUuidv7(outboxId)).toBe(true);
    expect(h.fake.calls.confirmReceipt).toBeUndefined();
    expect(getRow(h.ctx.db, outboxId)).toMatchObject({ delegated: 1, state: 'waiting' });
    // Not due locally (no busy loop), not recovered at start-up, and shown as being sent.
    expect(nextDueAt(h.ctx.db)).toBeNull();
    h.ctx.db.prepare(`UPDATE outbox SET state = 'sending', owner = 'gone/1/x', lease_until = 0 WHERE id = ?`).run(outboxId);
    expect(recoverInFlight(h.ctx.db, h.clock.now())).toBe(0);
    expect(getAfterSale(h.ctx, '7001')!.local.state).toBe('confirm_sending');
  });

  it('a newer waybill does not cancel one already handed to the shared outbox; it waits behind it', async () => {
    const h = await setup();
    h.fake.add({ refundId: '7003', status: 30 });
    await syncShop(h.ctx, SHOP);
    h.ctx.outbox.delegate = {
      handOff: (row) => Promise.resolve(markDelegated(h.ctx.db, row.id, h.clock.now())),
      claim: () => Promise.resolve([]),
      run: () => Promise.resolve(),
    };
    const first = enqueueWaybillSubmit(h.ctx, { refundId: '7003', expressNo: 'SF1234567890123', expressCode: 4, operatorId: null });
    await drainOnce(h.ctx);
    const second = enqueueWaybillSubmit(h.ctx, { refundId: '7003', expressNo: 'YT9876543210123', expressCode: 3, operatorId: null });
    await drainOnce(h.ctx);
    expect(getRow(h.ctx.db, first.outboxId)).toMatchObject({ state: 'waiting', delegated: 1 });
    expect(getRow(h.ctx.db, second.outboxId)).toMatchObject({ state: 'waiting', delegated: 0 });
    expect(h.fake.writes).toEqual([]);
  });

  it('a delegate that declines leaves the row to the local worker', async () => {
    const h = await setup();
    h.ctx.outbox.delegate = { handOff: () => Promise.resolve(false), claim: () => Promise.resolve([]), run: () => Promise.resolve() };
    enqueueConfirm(h.ctx, { refundId: '7001', operatorId: null });
    await drainOnce(h.ctx);
    expect(h.fake.writes.map((w) => w.method)).toEqual(['confirmReceipt']);
  });

  it('sends claimed rows with the usual re-read discipline and reports the outcome through run', async () => {
    const h = await setup();
    // A row another desk queued, readied as claimed by this desk with a re-read owed (it was claimed before).
    applyDelegated(h.ctx.db, sharedRow({ id: 'a1', refundId: '7001', state: 'sending' }), h.clock.now());
    applyDelegated(h.ctx.db, sharedRow({ id: 'a2', refundId: '7002', state: 'waiting' }), h.clock.now());
    // The first one was in fact applied by the desk that died holding it.
    h.fake.change('7001', { status: 50 });
    const outcomes: (string | undefined)[] = [];
    let claims = 0;
    const delegate: OutboxDelegate = {
      handOff: () => Promise.resolve(true),
      claim: () => {
        claims += 1;
        if (claims > 1) return Promise.resolve([]);
        const rows = [readyDelegated(h.ctx.db, 'a1', h.clock.now(), true), readyDelegated(h.ctx.db, 'a2', h.clock.now(), false)];
        return Promise.resolve(rows.filter((row): row is OutboxRow => row !== null));
      },
      run: async (row, send) => {
        expect(await send()).toBe(true);
        outcomes.push(getRow(h.ctx.db, row.id)?.state);
      },
    };
    h.ctx.outbox.delegate = delegate;
    await drainOnce(h.ctx);
    expect(outcomes).toEqual(['done', 'done']);
    // Re-read first for a1 (already applied: not sent again); a2 sent once.
    expect(h.fake.writes.map((w) => w.refundId)).toEqual(['7002']);
    expect(getRow(h.ctx.db, 'a1')).toMatchObject({ state: 'done', last_error: 'already applied on the platform (seen on re-read)' });
  });

  it("an after-sale first read after another desk's row of it came shows that row's state", async () => {
    const h = await setup();
    h.fake.add({ refundId: '7009', status: 50 });
    // Followed down before this desk had the after-sale (the claimed row's re-read, or the pull, brings it later).
    applyDelegated(h.ctx.db, sharedRow({ id: 'c1', refundId: '7009', state: 'done', doneAt: h.clock.now() }), h.clock.now());
    applyDetail(h.ctx.db, SHOP, await h.fake.getRefundDetail('7009'), h.clock.now());
    expect(getAfterSale(h.ctx, '7009')!.local.state).toBe('confirmed');
  });

  it('applies shared rows idempotently, never beside a confirm of its own, and records a conflict before sending', async () => {
    const h = await setup();
    const now = h.clock.now();
    expect(applyDelegated(h.ctx.db, sharedRow({ id: 'b1', refundId: '7001', state: 'sending' }), now)).toBe('inserted');
    expect(applyDelegated(h.ctx.db, sharedRow({ id: 'b1', refundId: '7001', state: 'sending' }), now)).toBe('unchanged');
    expect(getAfterSale(h.ctx, '7001')!.local.state).toBe('confirm_sending');
    // Confirming here what another desk already queued answers that row: no second confirm.
    expect(enqueueConfirm(h.ctx, { refundId: '7001', operatorId: null }).outboxId).toBe('b1');
    expect(applyDelegated(h.ctx.db, sharedRow({ id: 'b1', refundId: '7001', state: 'done', doneAt: now }), now)).toBe('updated');
    expect(getAfterSale(h.ctx, '7001')!.local.state).toBe('confirmed');

    const own = enqueueConfirm(h.ctx, { refundId: '7002', operatorId: null });
    expect(applyDelegated(h.ctx.db, sharedRow({ id: 'b2', refundId: '7002' }), now)).toBe('skipped');
    const row = getRow(h.ctx.db, own.outboxId)!;
    expect(conflictBeforeSend(h.ctx.db, row, now, 'Desk d1 has already queued confirm receipt', null, 'other_desk')).toBe(true);
    expect(getAfterSale(h.ctx, '7002')!.local).toMatchObject({ state: 'conflict', conflictCode: 'other_desk' });
    // The other desk's confirm shows on the platform: the conflict stays for the operator (two desks, one after-sale).
    h.fake.change('7002', { status: 50 });
    applyDetail(h.ctx.db, SHOP, await h.fake.getRefundDetail('7002'), h.clock.now());
    expect(closeReachedConflicts(h.ctx.db, '7002', h.clock.now())).toBe(0);
    expect(getRow(h.ctx.db, own.outboxId)).toMatchObject({ state: 'conflict', conflict_reason: 'other_desk' });
  });
});
