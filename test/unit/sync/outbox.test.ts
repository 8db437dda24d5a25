// The outbox against a fake platform: one transaction with the caller, undo, ordering, ambiguity, refusals, recovery.
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../../src/main/core/platform/types';
import { drainOnce } from '../../../src/main/core/outbox/worker';
import { backoffMs } from '../../../src/main/core/outbox/worker';
import { getRow, recoverInFlight } from '../../../src/main/core/outbox/store';
import { enqueueConfirm, enqueueWaybillSubmit, undoConfirm } from '../../../src/main/core/outbox/queue';
import { findByReturnWaybill } from '../../../src/main/core/after-sales/lookup';
import { getAfterSale } from '../../../src/main/core/after-sales/views';
import { syncShop } from '../../../src/main/core/sync/engine';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { harnessPerTest, SHOP, type Harness } from './harness';
import type { Envelope, MethodInput, MethodName, MethodOutput } from '../../../src/common/contract';

/** A typed call over the HTTP path; answers the data or throws with the error. */
async function ok<M extends MethodName>(h: Harness, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = (await h.core.dispatch(method, input, 'http')) as Envelope<MethodOutput<M>>;
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

const openHarness = harnessPerTest();

async function setup(status = 40) {
  const h = openHarness();
  h.fake.add({ refundId: '6001', status });
  h.fake.add({ refundId: '6002', status: 30 });
  await syncShop(h.ctx, SHOP);
  return h;
}

/** Drains until nothing is due, moving the manual clock past every backoff. */
async function drainAll(h: Harness, rounds = 20) {
  for (let i = 0; i < rounds; i += 1) {
    await drainOnce(h.ctx);
    h.clock.advance(1_000);
  }
}

describe('outbox', () => {
  it('writes the row and the local state in the caller transaction, and rolls back with it', async () => {
    const h = await setup();
    expect(() =>
      h.ctx.db.transaction(() => {
        enqueueConfirm(h.ctx, { refundId: '6001', operatorId: 'op1' });
        throw new Error('audit failed');
      })(),
    ).toThrow(/audit failed/);
    expect(h.ctx.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    expect(getAfterSale(h.ctx, '6001')!.local.state).toBe('none');

    const { outboxId, undoUntil } = h.ctx.db.transaction(() => enqueueConfirm(h.ctx, { refundId: '6001', operatorId: 'op1' }))();
    expect(undoUntil).toBe(h.clock.now() + 5_000);
    expect(getAfterSale(h.ctx, '6001')!.local).toMatchObject({ state: 'confirm_pending', undoUntil });
    // A second confirm of the same refund is the same action.
    expect(enqueueConfirm(h.ctx, { refundId: '6001', operatorId: 'op2' }).outboxId).toBe(outboxId);
  });

  it('waits out the undo window; undo inside it cancels without any platform call', async () => {
    const h = await setup();
    saveSettings(h.ctx, { undoWindowMs: 3_000 });
    enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
    await drainOnce(h.ctx);
    expect(h.fake.calls.confirmReceipt).toBeUndefined();
    h.clock.advance(2_000);
    expect(undoConfirm(h.ctx, '6001')).toBe(true);
    expect(getAfterSale(h.ctx, '6001')!.local.state).toBe('none');
    // The desk's own note is typed (the renderer words it); no English sentence reaches the operator as lastError.
    expect((await ok(h, 'outbox.list', { states: ['cancelled'] })).map((i) => [i.note, i.lastError])).toEqual([['undone', null]]);
    await drainAll(h);
    expect(h.fake.calls.confirmReceipt).toBeUndefined();

    // Confirmed again after the undo, and past the window: sent once, and undo is too late.
    enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
    h.clock.advance(3_001);
    expect(undoConfirm(h.ctx, '6001')).toBe(false);
    await drainAll(h);
    expect(h.fake.writes.map((w) => w.method)).toEqual(['confirmReceipt']);
    expect(getAfterSale(h.ctx, '6001')!.local.state).toBe('confirmed');
  });

  it('sends a waybill upload before the confirm of the same after-sale, and shows the pending waybill', async () => {
    const h = await setup();
    saveSettings(h.ctx, { undoWindowMs: 0 });
    h.fake.fault('submitReturnWaybill', 'before');
    enqueueWaybillSubmit(h.ctx, { refundId: '6002', expressNo: 'YT9876543210123', expressCode: 3, operatorId: 'op1' });
    expect(getAfterSale(h.ctx, '6002')!.local.state).toBe('waybill_pending');
    expect(getAfterSale(h.ctx, '6002')!.returnWaybill?.expressNo).toBe('YT9876543210123');
    expect(findByReturnWaybill(h.ctx, 'YT9876543210123')).toEqual(['6002']);
    enqueueConfirm(h.ctx, { refundId: '6002', operatorId: 'op1' });
    await drainAll(h);
    expect(h.fake.writes.map((w) => w.method)).toEqual(['submitReturnWaybill', 'confirmReceipt']);
    expect(h.fake.calls.submitReturnWaybill).toBe(2);
  });

  it('after an ambiguous confirm, re-reads and marks it done instead of sending again', async () => {
    const h = await setup();
    saveSettings(h.ctx, { undoWindowMs: 0 });
    h.fake.fault('confirmReceipt', 'after');
    const { outboxId } = enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
    await drainAll(h);
    expect(h.fake.calls.confirmReceipt).toBe(1);
    expect(h.fake.writes).toHaveLength(1);
    const row = getRow(h.ctx.db, outboxId)!;
    expect(row.state).toBe('done');
    expect(row.last_error).toMatch(/already applied/);
  });

  it('after an ambiguous failure that was NOT applied, re-reads, then sends exactly once more', async () => {
    const h = await setup();
    saveSettings(h.ctx, { undoWindowMs: 0 });
    h.fake.fault('confirmReceipt', new PlatformError({ kind: 'transient', message: 'timeout', maybeApplied: true }));
    const details = h.fake.calls.getRefundDetail!;
    enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
    await drainAll(h);
    expect(h.fake.calls.confirmReceipt).toBe(2);
    // One re-read before the second send, one after the success to refresh the cache.
    expect(h.fake.calls.getRefundDetail).toBe(details + 2);
    expect(getAfterSale(h.ctx, '6001')!.status).toBe(50);
    expect(h.fake.writes).toHaveLength(1);
  });

  it('turns a business refusal into a conflict with the reason and the fresh state; retry re-reads first', async () => {
    const h = await setup();
    saveSettings(h.ctx, { undoWindowMs: 0 });
    h.fake.change('6001', { status: 70 });
    const { outboxId } = enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
    await drainAll(h);
    const row = getRow(h.ctx.db, outboxId)!;
    expect(row.state).toBe('conflict');
    expect(row.last_error).toMatch(/不允许/);
    expect(JSON.parse(row.conflict_state!)).toMatchObject({ refundId: '6001', status: 70 });
    expect(getAfterSale(h.ctx, '6001')!.local).toMatchObject({
      state: 'conflict',
      conflictCode: 'status',
      conflictReason: expect.stringMatching(/不允许/),
    });

    // The buyer's side reopens; the operator retries: the worker re-reads, sees it applicable, sends once.
    h.fake.change('6001', { status: 40 });
    const retried = await h.core.dispatch('outbox.retry', { id: outboxId }, 'http');
    expect(retried.ok).toBe(true);
    await drainAll(h);
    expect(getRow(h.ctx.db, outboxId)!.state).toBe('done');
    expect(h.fake.writes).toHaveLength(1);
  });

  it('says why a conflict happened in typed terms; the operator dismisses it with a reason (audited) or it closes itself once reached', async () => {
    const h = await setup();
    saveSettings(h.ctx, { undoWindowMs: 0 });
    h.fake.change('6001', { status: 70 });
    h.fake.change('6002', { status: 40, returnWaybill: { expressNo: 'SF1112223334445', expressCode: 4 } });
    const confirm = enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null }).outboxId;
    const waybill = enqueueWaybillSubmit(h.ctx, {
      refundId: '6002',
      expressNo: 'YT1234567890123',
      expressCode: 6,
      operatorId: null,
    }).outboxId;
    await drainAll(h);
    const listed = await ok(h, 'outbox.list', { states: ['conflict'] });
    expect(listed.map((i) => [i.refundId, i.conflictReason]).sort()).toEqual([
      ['6001', 'status'],
      ['6002', 'waybill_on_record'],
    ]);
    // The platform's repeated words appear once.
    const text = getRow(h.ctx.db, confirm)!.last_error!;
    expect(text.split('不允许').length - 1).toBe(1);

    // The history says it as a typed event (the platform's words only as its detail), not as a sentence in one language.
    const history = await ok(h, 'afterSales.history', { refundId: '6002' });
    expect(history.filter((e) => e.source === 'local')).toEqual([
      expect.objectContaining({ title: null, event: { kind: 'refused', reason: 'waybill_on_record', platformText: expect.any(String) } }),
    ]);

    // Dismissing needs a reason (and agree_refund); it is audited and clears the conflict.
    expect((await h.core.dispatch('outbox.dismiss', { id: waybill, reason: '  ' }, 'http')).ok).toBe(false);
    const dismissed = await ok(h, 'outbox.dismiss', { id: waybill, reason: 'buyer shipped himself' });
    expect(dismissed.state).toBe('cancelled');
    expect(dismissed).toMatchObject({ note: 'dismissed', lastError: 'buyer shipped himself' });
    const audit = await ok(h, 'audit.list', { limit: 5 });
    expect(audit.find((e) => e.action === 'outbox.dismiss')).toMatchObject({
      refundId: '6002',
      outcome: 'dismissed',
      details: { reason: 'buyer shipped himself', conflictReason: 'waybill_on_record' },
    });
    expect(getAfterSale(h.ctx, '6002')!.local.state).toBe('none');

    // Confirmed by other means (the platform now shows it refunded): the next sync closes the conflict as done.
    h.fake.change('6001', { status: 60 });
    await syncShop(h.ctx, SHOP);
    expect(getRow(h.ctx.db, confirm)!.state).toBe('done');
    expect((await ok(h, 'outbox.list', { states: ['done'] })).find((i) => i.id === confirm)).toMatchObject({
      note: 'reached_elsewhere',
      lastError: null,
    });
    expect((await ok(h, 'sync.status', {})).conflicts).toBe(0);
  });

  it('retries a version conflict with the fresh status, transient faults with backoff', async () => {
    const h = await setup(30);
    saveSettings(h.ctx, { undoWindowMs: 0 });
    h.fake.change('6001', { status: 40 }); // the cache still says 30: the confirm's expected status is stale
    h.fake.fault('confirmReceipt', 'before', 'before');
    enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
    await drainAll(h);
    expect(h.fake.writes).toHaveLength(1);
    expect(h.fake.calls.confirmReceipt).toBe(4); // two resets, one version conflict, one success
    expect(backoffMs(1, 100, 1_000, () => 0)).toBe(50);
    expect(backoffMs(10, 100, 1_000, () => 1)).toBe(1_000);
  });

  it('re-checks rows caught in flight by a crash before sending anything', async () => {
    const h = await setup();
    saveSettings(h.ctx, { undoWindowMs: 0 });
    const { outboxId } = enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
    // As if the process died right after the request left: claimed, counted as sent, applied on the platform.
    h.ctx.db.prepare(`UPDATE outbox SET state = 'sending', sends = 1, needs_recheck = 1 WHERE id = ?`).run(outboxId);
    await h.fake.confirmReceipt({ refundId: '6001' });
    expect(recoverInFlight(h.ctx.db, h.clock.now())).toBe(1);
    await drainAll(h);
    expect(getRow(h.ctx.db, outboxId)!.state).toBe('done');
    expect(h.fake.calls.confirmReceipt).toBe(1);
  });
});

describe('outbox worker service', () => {
  it('recovers in-flight rows at start, drains beside the sync scheduler, and stops cleanly', async () => {
    const { startSyncScheduler } = await import('../../../src/main/core/sync/service');
    const { startOutboxWorker } = await import('../../../src/main/core/outbox/service');
    const h = await setup();
    saveSettings(h.ctx, { undoWindowMs: 0 });
    const { outboxId } = enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
    h.ctx.db.prepare(`UPDATE outbox SET state = 'sending', sends = 1, needs_recheck = 1 WHERE id = ?`).run(outboxId);
    configureSync(h.ctx, { workerIdleMs: 5 });
    const scheduler = startSyncScheduler(h.ctx);
    const worker = startOutboxWorker(h.ctx);
    for (let i = 0; i < 200 && getRow(h.ctx.db, outboxId)!.state !== 'done'; i += 1) await new Promise((r) => setTimeout(r, 5));
    await worker.stop();
    await scheduler.stop();
    expect(getRow(h.ctx.db, outboxId)!.state).toBe('done');
    expect(h.fake.writes.map((w) => w.method)).toEqual(['confirmReceipt']);
    expect(h.fake.calls.getRefundDetail).toBeGreaterThanOrEqual(1);
  });
});
