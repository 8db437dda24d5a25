// Exactly once across desks: three desks (cores) on one PostgreSQL and one simulator confirm after-sales; every confirm
// reaches the platform once, a second desk confirming the same after-sale gets an explained conflict, a desk killed
// mid-drain (kill -9 of a child process holding leases) has its rows taken over and applied once, and rows queued
// while the warehouse is down are kept and applied once when it returns.
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { applyDetail, readRow } from '../../../src/main/core/after-sales/store';
import { getAfterSale } from '../../../src/main/core/after-sales/views';
import { enqueueConfirm } from '../../../src/main/core/outbox/queue';
import { getRow } from '../../../src/main/core/outbox/store';
import { saveSettings } from '../../../src/main/core/settings/settings';
import type { RunningSimulator } from '../../../src/main/sim';
import { enqueueOutbox } from '../../../src/main/warehouse/outbox';
import { OutboxPart } from '../../../src/main/warehouse/link/outbox-part';
import { defaultLinkParts } from '../../../src/main/warehouse/link/parts';
import { warehouseShopIdOf } from '../../../src/main/warehouse/link/shop-identity';
import { uuidv7 } from '../../../src/main/warehouse/uuid7';
import { ensureSignedIn, tempDir } from '../../support/core';
import { spawnTestChild } from './support/child';
import { deskBehindProxy, desksPerTest, until, type DeskCluster, type TestDesk } from './support/desks';

const CONFIRM_API = 'open.seller.order.refund.confirm.receipt';

/** Desks whose outbox part has a short lease (a dead desk's rows are taken over within about that long). */
function outboxParts(leaseMs = 2_000) {
  return (core: Core) => [
    ...defaultLinkParts(core).filter((part) => part.name !== 'outbox'),
    new OutboxPart(core, { leaseMs, holdMs: 300 }),
  ];
}

const startCluster = desksPerTest();

async function cluster3(): Promise<DeskCluster> {
  const cluster = await startCluster({ desks: 3, shops: [{ afterSales: 5 }], link: { parts: outboxParts() } });
  await Promise.all(cluster.desks.map((desk) => desk.link.whenLinked()));
  for (const desk of cluster.desks) saveSettings(desk.core.context, { undoWindowMs: 0 });
  return cluster;
}

/** The after-sale in the desk's cache (replicated by the link, or read from the platform once here). */
async function ensureCached(desk: TestDesk, sim: RunningSimulator, refundId: string): Promise<void> {
  const ctx = desk.core.context;
  if (readRow(ctx.db, refundId)) return;
  const detail = await ctx.platform.clientFor(desk.shopIds[0]!).getRefundDetail(refundId);
  applyDetail(ctx.db, desk.shopIds[0]!, detail, ctx.clock.now());
}

function confirmWrites(sim: RunningSimulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const write of sim.control.stats().writes) {
    if (write.method === 'confirmReceipt') counts.set(write.refundId, (counts.get(write.refundId) ?? 0) + 1);
  }
  return counts;
}

const localCountOf = (desk: TestDesk, table: string) =>
  desk.core.context.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

function localState(desk: TestDesk, refundId: string): string | undefined {
  return getAfterSale(desk.core.context, refundId)?.local.state;
}

async function sharedRows(c: DeskCluster, refundId: string) {
  const result = await c.warehouse.pool().query('SELECT * FROM outbox WHERE after_sale_id = $1 ORDER BY created_at', [refundId]);
  return result.rows as { outbox_id: string; state: string; origin_desk_id: string; attempts: number; result: unknown }[];
}

describe('the outbox across desks', () => {
  it('a confirm storm across three desks: every confirm applied once, contended ones end in one explained conflict each', async () => {
    const c = await cluster3();
    const sim = c.sims[0]!;
    const refunds = Array.from({ length: 24 }, () => sim.control.addAfterSale({ status: 40, handlingWay: 1 }).refundId);
    for (const desk of c.desks) for (const refundId of refunds) await ensureCached(desk, sim, refundId);

    const contended = refunds.filter((_, i) => i % 4 === 0);
    const queuedAt = Date.now();
    // Each after-sale at one desk; every fourth at all three desks in the same tick (none has seen another's yet).
    refunds.forEach((refundId, i) => {
      const desks = contended.includes(refundId) ? c.desks : [c.desks[i % 3]!];
      for (const desk of desks) enqueueConfirm(desk.core.context, { refundId, operatorId: null });
    });
    for (const desk of c.desks) desk.core.context.outbox.wake();

    await until('every confirm applied on the platform', () => confirmWrites(sim).size === refunds.length, 30_000);
    await until(
      'every desk shows every after-sale confirmed, or its own explained conflict',
      () => c.desks.every((desk) => refunds.every((refundId) => ['confirmed', 'conflict'].includes(localState(desk, refundId) ?? ''))),
      30_000,
    );
    const convergedMs = Date.now() - queuedAt;
    // Give any stray second send time to show before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([...confirmWrites(sim).values()].every((count) => count === 1)).toBe(true);
    expect(confirmWrites(sim).size).toBe(refunds.length);
    // Not even an attempt beyond one per after-sale: the contended rows never left their desks.
    expect(sim.control.stats().calls[CONFIRM_API]).toBe(refunds.length);

    for (const refundId of refunds) {
      const rows = await sharedRows(c, refundId);
      expect(rows.map((row) => row.state)).toEqual(['done']);
      // A conflict closes itself as done once the desk's cache shows the confirm (reached by other means): count both.
      const conflicts = c.desks.flatMap((desk) =>
        desk.core.context.db
          .prepare('SELECT state, conflict_reason, conflict_state FROM outbox WHERE refund_id = ? AND conflict_reason IS NOT NULL')
          .all(refundId),
      ) as { state: string; conflict_reason: string; conflict_state: string }[];
      // Three desks confirmed a contended after-sale: one confirm was sent, the two others are explained conflicts.
      expect(conflicts.length).toBe(contended.includes(refundId) ? 2 : 0);
      for (const conflict of conflicts) {
        expect(conflict.conflict_reason).toBe('other_desk');
        // Which desk had it first is kept with the conflict.
        expect(JSON.parse(conflict.conflict_state)).toMatchObject({
          otherDesk: { desk: rows[0]!.origin_desk_id, outboxId: rows[0]!.outbox_id },
        });
      }
    }
    // The back office at any desk counts every desk's confirms, each after-sale once (a contended one is not
    // counted again for the refused duplicates), from its own outbox plus the other desks' shared rows.
    const shared = (await c.warehouse.pool().query('SELECT origin_desk_id FROM outbox')).rows as { origin_desk_id: string }[];
    expect(shared.length).toBe(refunds.length);
    for (const desk of c.desks) {
      const deskId = desk.link.deskId;
      const others = shared.filter((row) => row.origin_desk_id !== deskId).length;
      await until('the desk keeps the other desks’ shared rows', () => localCountOf(desk, 'warehouse_outbox') === others);
      const stats = await ensureSignedIn(desk.core).dispatch('stats.summary', { from: queuedAt - 60_000, to: Date.now() + 60_000 }, 'http');
      expect(stats).toMatchObject({ ok: true, data: { confirms: refunds.length, waybillsUploaded: 0 } });
    }
    console.info(`[outbox storm] ${refunds.length} after-sales, ${contended.length} contended by 3 desks: converged in ${convergedMs} ms`);
  });

  it('a confirm at one desk shows at the others as being sent, then confirmed; confirming it there answers the same row', async () => {
    const c = await cluster3();
    const sim = c.sims[0]!;
    const refundId = sim.control.addAfterSale({ status: 40, handlingWay: 1 }).refundId;
    for (const desk of c.desks) await ensureCached(desk, sim, refundId);
    const [a, b] = c.desks as [TestDesk, TestDesk, TestDesk];
    // Slow confirms on the platform, so the row is seen in flight at desk B.
    sim.control.setFaults({ latencyMs: 1_500, methods: [CONFIRM_API] });
    const queuedAt = Date.now();
    const { outboxId } = enqueueConfirm(a.core.context, { refundId, operatorId: null });
    a.core.context.outbox.wake();
    const seenMs = await until('desk B sees the confirm', () => getRow(b.core.context.db, outboxId) !== undefined, 10_000);
    expect(localState(b, refundId)).toBe('confirm_sending');
    expect(enqueueConfirm(b.core.context, { refundId, operatorId: null }).outboxId).toBe(outboxId);
    await until('desk B shows it confirmed', () => localState(b, refundId) === 'confirmed', 15_000);
    const confirmedMs = Date.now() - queuedAt;
    expect(confirmWrites(sim).get(refundId)).toBe(1);
    console.info(
      `[outbox follow] queued at A -> seen at B: ${seenMs} ms; -> confirmed at B: ${confirmedMs} ms (the platform's answer to the confirm takes 1.5 s)`,
    );
  });

  it('a desk killed (SIGKILL) while holding leases mid-send: its rows are taken over and applied exactly once', async () => {
    const c = await startCluster({ desks: 0, shops: [{ afterSales: 5 }], link: { parts: outboxParts() } });
    const sim = c.sims[0]!;
    const refunds = Array.from({ length: 4 }, () => sim.control.addAfterSale({ status: 40, handlingWay: 1 }).refundId);
    const shopId = warehouseShopIdOf({ baseUrl: sim.baseUrl, appKey: sim.credentials.appKey });
    const pool = c.warehouse.pool();
    for (const refundId of refunds) {
      const outcome = await enqueueOutbox(pool, {
        outboxId: uuidv7(),
        shopId,
        afterSaleId: refundId,
        action: 'confirm_receipt',
        payload: {
          v: 1,
          payload: {},
          idempotencyKey: `confirm_receipt:${refundId}#1`,
          createdAt: Date.now(),
          operatorId: null,
          recheck: false,
          originOnly: false,
        },
        originDeskId: 'desk-gone',
      });
      expect(outcome.outcome).toBe('queued');
    }
    // The platform applies the confirms, then the answers hang: the child is killed with its sends unanswered.
    sim.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 60_000, methods: [CONFIRM_API] });
    const child = spawnTestChild('outbox-child.ts', [c.warehouse.server.url, tempDir('returndesk-outbox-child-'), '1500'], {
      OUTBOX_CHILD_SIM: JSON.stringify({ baseUrl: sim.baseUrl, credentials: sim.credentials }),
    });
    try {
      await until(
        'the child to apply every confirm and hang holding the leases',
        async () => {
          child.throwIfFailed('outbox child', { exited: true });
          const deskId = /linked (\S+)/.exec(child.out)?.[1];
          if (!deskId) return false;
          const claimed = await pool.query("SELECT count(*)::int AS n FROM outbox WHERE state = 'claimed' AND owner LIKE $1", [
            `${deskId}/%`,
          ]);
          return confirmWrites(sim).size === refunds.length && (claimed.rows[0] as { n: number }).n === refunds.length;
        },
        30_000,
      );
      const doneRows = async () => (await pool.query("SELECT count(*)::int AS n FROM outbox WHERE state = 'done'")).rows[0].n as number;
      // While the child lives (renewing its leases), another desk takes nothing.
      const survivor = await c.addDesk();
      await survivor.link.whenLinked();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await doneRows()).toBe(0);

      child.kill();
      sim.control.setFaults({});
      const takeoverMs = await until('the survivor takes every row over', async () => (await doneRows()) === refunds.length, 30_000);
      console.info(`[outbox takeover] ${refunds.length} rows leased by a killed desk (lease 1.5 s) done by another in ${takeoverMs} ms`);
      for (const refundId of refunds) {
        const [row] = await sharedRows(c, refundId);
        // Claimed twice (the child, then the survivor), re-read before any resend: applied, not sent again.
        expect(row).toMatchObject({ state: 'done', attempts: 2, result: { note: 'already applied on the platform (seen on re-read)' } });
        expect(confirmWrites(sim).get(refundId)).toBe(1);
      }
      // The survivor sent nothing: the only confirm calls are the child's.
      expect(sim.control.stats().calls[CONFIRM_API]).toBe(refunds.length);
    } finally {
      child.killIfAlive();
      if (process.env.OUTBOX_CHILD_DEBUG) console.info(`[outbox child] out: ${child.out}\nerr: ${child.err}`);
    }
  }, 90_000);

  it('rows queued while the warehouse is down (also at a desk started then) stay at the desk, explained, and are applied once when it returns', async () => {
    const c = await cluster3();
    const sim = c.sims[0]!;
    const refunds = Array.from({ length: 4 }, () => sim.control.addAfterSale({ status: 40, handlingWay: 1 }).refundId);
    const desk = c.desks[0]!;
    for (const refundId of refunds.slice(0, 3)) await ensureCached(desk, sim, refundId);
    await c.warehouse.crash();
    // A desk started while the warehouse is down has never been linked: it keeps its rows too.
    const late = await c.addDesk();
    saveSettings(late.core.context, { undoWindowMs: 0 });
    await ensureCached(late, sim, refunds[3]!);
    const held = [
      ...refunds.slice(0, 3).map((refundId) => ({ desk, id: enqueueConfirm(desk.core.context, { refundId, operatorId: null }).outboxId })),
      { desk: late, id: enqueueConfirm(late.core.context, { refundId: refunds[3]!, operatorId: null }).outboxId },
    ];
    for (const d of [desk, late]) d.core.context.outbox.wake();
    const rowOf = (h: (typeof held)[number]) => getRow(h.desk.core.context.db, h.id);
    await until('the rows are held at their desks', () =>
      held.every((h) => rowOf(h)?.last_error?.startsWith('warehouse unreachable') === true),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(confirmWrites(sim).size).toBe(0);
    expect(held.map((h) => rowOf(h)?.state)).toEqual(['waiting', 'waiting', 'waiting', 'waiting']);
    // The queue says why, in the desk's own (translated) words.
    const listed = (await late.core.dispatch('outbox.list', {}, 'http')) as { ok: boolean; data: unknown[] };
    expect(listed.data).toEqual([expect.objectContaining({ id: held[3]!.id, note: 'warehouse_held', lastError: null })]);

    await c.warehouse.restart();
    await until('every held confirm applied', () => confirmWrites(sim).size === refunds.length, 30_000);
    await until('the desks show them confirmed', () => held.every((h) => rowOf(h)?.state === 'done'), 30_000);
    expect(localState(late, refunds[3]!)).toBe('confirmed');
    expect([...confirmWrites(sim).values()]).toEqual([1, 1, 1, 1]);
  });

  it('a desk cut off from the warehouse while another confirms the same after-sale: one refund, one explained conflict', async () => {
    const c = await startCluster({ desks: 1, shops: [{ afterSales: 5 }], link: { parts: outboxParts() } });
    const sim = c.sims[0]!;
    const a = c.desks[0]!;
    await a.link.whenLinked();
    saveSettings(a.core.context, { undoWindowMs: 0 });
    // Desk P reaches the warehouse through a proxy whose cable the test pulls.
    const behind = await deskBehindProxy(c, sim, 'desk-p', outboxParts());
    const { desk: deskP, proxy } = behind;
    const p = deskP.core;
    try {
      const refundId = sim.control.addAfterSale({ status: 40, handlingWay: 1 }).refundId;
      await ensureCached(a, sim, refundId);
      await ensureCached(deskP, sim, refundId);

      proxy.cut();
      const held = enqueueConfirm(p.context, { refundId, operatorId: null }).outboxId;
      p.context.outbox.wake();
      await until(
        'P keeps its confirm, explained',
        () => getRow(p.context.db, held)?.last_error?.startsWith('warehouse unreachable') === true,
      );
      enqueueConfirm(a.core.context, { refundId, operatorId: null });
      a.core.context.outbox.wake();
      await until('A confirms on the platform', () => confirmWrites(sim).get(refundId) === 1);
      expect(getRow(p.context.db, held)?.state).toBe('waiting');

      proxy.restore();
      await until('P pushes on its return and is told', () => getRow(p.context.db, held)?.conflict_reason === 'other_desk', 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sim.control.stats().calls[CONFIRM_API]).toBe(1);
      expect(getRow(p.context.db, held)).toMatchObject({ delegated: 0, conflict_reason: 'other_desk' });
      expect(getAfterSale(p.context, refundId)?.local).toMatchObject({ state: 'conflict', conflictCode: 'other_desk' });
      expect(JSON.parse(getRow(p.context.db, held)!.conflict_state!)).toMatchObject({ otherDesk: { desk: a.link.deskId, state: 'done' } });
      // The queue shows the typed reason, not a text posing as the platform's words.
      expect((await p.dispatch('outbox.list', { states: ['conflict'] }, 'http')) as unknown).toMatchObject({
        ok: true,
        data: [{ id: held, conflictReason: 'other_desk', lastError: null }],
      });
      expect((await sharedRows(c, refundId)).map((row) => [row.origin_desk_id, row.state])).toEqual([[a.link.deskId, 'done']]);
    } finally {
      await behind.close();
    }
  });
});
