// Acceptance (issue 14): PostgreSQL stopped (immediate shutdown) for a while as three desks on two shops keep scanning
// and confirming. Scans are answered from each desk's SQLite throughout; confirms are kept at their desks (the offline
// policy) and applied exactly once when the warehouse returns; a parcel shipped during the outage is found by a scan
// miss at one desk and reaches every desk afterwards; the desks converge. The issue says a minute: the test stops the
// server for OUTAGE_MS (15 s) to keep the suite's time down. Nothing here depends on the length: below the desks'
// pullAloneAfterMs (2 minutes) a desk only holds its work, which is what a minute does too.
import { afterAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src/common/contract';
import type { Core } from '../../../src/main/core/core';
import { getRow } from '../../../src/main/core/outbox/store';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { afterSalesPartOf, cacheDifference, cacheOf, pullFinished } from './support/after-sales';
import { leaderOf, startDesks, until, type DeskCluster, type TestDesk } from './support/desks';
import {
  addParcels,
  confirmWrites,
  deskAgreement,
  expectEachConfirmedOnce,
  expectOneSettledStatus,
  ok,
  otherDeskConflicts,
  scanAndConfirm,
  stormShops,
  untilAllAgree,
  viewAt,
  type Parcel,
} from './support/storm';

/** How long PostgreSQL stays down (the minute, shortened for CI; see the header). */
const OUTAGE_MS = 15_000;
const PARCELS_PER_SHOP = 8;

let cluster: DeskCluster | null = null;
afterAll(async () => {
  await cluster?.stop();
  for (const sim of cluster?.sims ?? []) await sim.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function converged(desks: TestDesk[], shopIndex: number): boolean {
  const leader = leaderOf({ desks }, shopIndex);
  if (!leader || !pullFinished(leader, shopIndex) || !afterSalesPartOf(leader).idle) return false;
  const reference = cacheOf(leader, shopIndex);
  return reference.size > 0 && desks.every((desk) => cacheDifference(reference, cacheOf(desk, shopIndex)).length === 0);
}

/** A scan miss answered later by the desk's targeted refresh on the platform, then confirmed with the new scan. */
async function scanMissThenConfirm(core: Core, parcel: Parcel): Promise<string> {
  const resolved = new Promise<EventPayload<'scan.resolved'>>((resolve) =>
    core.events.subscribe((name, payload) => {
      const event = payload as EventPayload<'scan.resolved'>;
      if (name === 'scan.resolved' && event.result.afterSale?.refundId === parcel.refundId) resolve(event);
    }),
  );
  const miss = await ok(core, 'scan.lookup', { code: parcel.expressNo, source: 'scanner' });
  expect(miss).toMatchObject({ outcome: 'not_found', refreshPending: true });
  const found = await resolved;
  expect(found.result.outcome).toBe('ready');
  return (await ok(core, 'receipts.confirm', { refundId: parcel.refundId, scanId: found.result.scanId })).outboxId;
}

describe('acceptance: PostgreSQL stopped while three desks keep scanning and confirming', () => {
  it('nothing is lost: every confirm applied exactly once after it returns, and the desks converge', async () => {
    const { sims, parcels } = await stormShops('outage', PARCELS_PER_SHOP);
    cluster = await startDesks({ desks: 3, sims });
    const { desks } = cluster;
    for (const desk of desks) saveSettings(desk.core.context, { undoWindowMs: 0 });
    await until('three desks converged on both shops', () => converged(desks, 0) && converged(desks, 1), 60_000);

    // Every third parcel is confirmed at two desks (each unaware of the other: neither can reach the warehouse).
    const contended = parcels.filter((_, i) => i % 3 === 0);
    const confirmsOf = new Map<string, string[]>();
    const note = (refundId: string, outboxId: string) => confirmsOf.set(refundId, [...(confirmsOf.get(refundId) ?? []), outboxId]);
    const scanMs: number[] = [];

    await cluster.warehouse.crash();
    const downAt = Date.now();
    // Returns shipped during the outage: no desk has them; one desk's scan miss finds each on the platform.
    const shippedMeanwhile = addParcels(sims, 1, 1_000);
    const work = parcels.map((parcel, i) => ({ parcel, at: contended.includes(parcel) ? [i % 3, (i + 1) % 3] : [i % 3] }));
    await Promise.all([
      ...desks.map(async (desk, d) => {
        const mine = work.filter((w) => w.at.includes(d));
        for (const { parcel } of mine) {
          const started = Date.now();
          note(parcel.refundId, (await scanAndConfirm(desk.core, parcel)).outboxId);
          scanMs.push(Date.now() - started);
          // Spread over the outage, as parcels arrive one by one.
          await sleep((OUTAGE_MS * 0.7) / mine.length);
        }
      }),
      ...shippedMeanwhile.map(async (parcel, i) => {
        await sleep(OUTAGE_MS * 0.3);
        note(parcel.refundId, await scanMissThenConfirm(desks[(i + 1) % 3]!.core, parcel));
      }),
    ]);
    const everything = [...parcels, ...shippedMeanwhile];
    // While it is down nothing is sent (only the warehouse can tell whether another desk queued the same confirm),
    // and every confirm is kept, explained, at the desk that made it.
    expect(confirmWrites(sims).size).toBe(0);
    for (const [refundId, ids] of confirmsOf) {
      for (const id of ids) {
        const desk = desks.find((one) => getRow(one.core.context.db, id))!;
        expect(getRow(desk.core.context.db, id), refundId).toMatchObject({ state: 'waiting' });
      }
    }
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    const outageMs = Date.now() - downAt;

    await cluster.warehouse.restart();
    const backAt = Date.now();
    const pool = cluster.warehouse.pool();
    let winners = new Map<string, string>();
    /** What still differs: per parcel, the shared winner and each desk's view and queue state of it. */
    const lagging = async (): Promise<string[]> => {
      const done = await pool.query("SELECT after_sale_id, outbox_id FROM outbox WHERE state = 'done'").catch(() => ({ rows: [] }));
      winners = new Map((done.rows as { after_sale_id: string; outbox_id: string }[]).map((row) => [row.after_sale_id, row.outbox_id]));
      return everything.flatMap((parcel) => {
        const winner = winners.get(parcel.refundId);
        const { agreed, views, queues } = deskAgreement(desks, parcel.refundId, winner);
        if (agreed) return [];
        const rows = desks.map((desk) =>
          desk.core.context.db
            .prepare('SELECT id, kind, state, conflict_reason, delegated, last_error FROM outbox WHERE refund_id = ?')
            .all(parcel.refundId),
        );
        const made = work.find((w) => w.parcel === parcel)?.at.join('+') ?? 'scan miss';
        return [
          `${parcel.refundId} (confirmed at ${made}): winner ${winner ?? '-'} queues ${queues.join('/')} views ${JSON.stringify(views)} rows ${JSON.stringify(rows)}`,
        ];
      });
    };
    const firstAppliedMs = await until('a first confirm applied', () => confirmWrites(sims).size > 0, 45_000);
    await until('every confirm applied on the platform', () => confirmWrites(sims).size === everything.length, 45_000);
    const appliedMs = Date.now() - backAt;
    await untilAllAgree(lagging, 45_000);
    const convergedMs = Date.now() - backAt;
    await sleep(500);

    // Every confirm applied once on the platform, not one confirm call more.
    expectEachConfirmedOnce(sims, everything.length);
    // One shared row per parcel, done; a second desk's confirm of a contended parcel is its explained conflict.
    const shared = await pool.query('SELECT after_sale_id, state FROM outbox');
    expect(shared.rows.length).toBe(everything.length);
    expect(shared.rows.every((row: { state: string }) => row.state === 'done')).toBe(true);
    for (const parcel of everything) {
      const ids = confirmsOf.get(parcel.refundId)!;
      const conflicts = desks.reduce((sum, desk) => sum + otherDeskConflicts(desk, parcel.refundId), 0);
      expect(ids).toContain(winners.get(parcel.refundId));
      expect(conflicts).toBe(ids.length - 1);
      expectOneSettledStatus(desks, parcel.refundId);
    }
    // The parcels found by a scan miss during the outage were shared when it returned: every desk has them.
    for (const parcel of shippedMeanwhile) for (const desk of desks) expect(viewAt(desk, parcel.refundId)).not.toBeNull();

    scanMs.sort((a, b) => a - b);
    console.info(
      `[acceptance outage] PostgreSQL down ${outageMs} ms (immediate shutdown) while 3 desks scanned and confirmed ` +
        `${parcels.length} parcels (${contended.length} at two desks) and found ${shippedMeanwhile.length} new ones by a scan miss; ` +
        `scan + confirm at a desk during the outage: median ${scanMs[Math.floor(scanMs.length / 2)]} ms, max ${scanMs[scanMs.length - 1]} ms; ` +
        `after the server was back: a first confirm applied within ${firstAppliedMs} ms, every confirm once within ${appliedMs} ms, every desk converged within ${convergedMs} ms ` +
        `(held rows are pushed when the link reconnects, not at their next retry)`,
    );
  }, 150_000);
});
