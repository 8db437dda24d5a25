// Acceptance (issue 14): a scan storm across three desks on two shops, against real PostgreSQL and the simulator. Parcels
// are scanned and confirmed at every desk as staff would (scan.lookup, then receipts.confirm), some at two desks at once:
// every confirm reaches the platform once, every desk's view and queue converge, and the platform is read no more than
// by a single desk doing the same work on the same data (measured in the same test).
import { afterAll, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../src/main/core/outbox/worker';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { syncShop } from '../../../src/main/core/sync/engine';
import { configureSync } from '../../../src/main/core/sync/runtime';
import type { RunningSimulator } from '../../../src/main/sim';
import { signedInTestCore } from '../../support/core';
import { connectToSimulator } from '../../support/simulator-shop';
import { FAST_PLATFORM, FAST_SYNC } from '../sync/support';
import { afterSalesPartOf, cacheDifference, cacheOf, pullFinished } from './support/after-sales';
import { leaderOf, startDesks, until, type DeskCluster, type TestDesk } from './support/desks';
import {
  confirmWrites,
  deskAgreement,
  expectEachConfirmedOnce,
  expectOneSettledStatus,
  otherDeskConflicts,
  readCalls,
  scanAndConfirm,
  stormShops,
  untilAllAgree,
  viewAt,
  type Parcel,
} from './support/storm';

/** Parcels per shop (two shops), every fourth of them confirmed at two desks at once. */
const PARCELS_PER_SHOP = 12;

/**
 * Read calls three desks may make beyond one desk doing the same work. A desk that wins both shops runs one more
 * incremental pass (winning the second shop wakes its scheduler): one list call per shop. A shared row claimed a
 * second time (given back by a desk that could not send it) is re-read on the platform before it is sent: one detail
 * read each; two to four were seen. The two simulated worlds (same seeds, started seconds apart) may differ by an
 * after-sale. Six in all; the measured runs stayed within four.
 */
const READ_ALLOWANCE = 6;

const running: RunningSimulator[] = [];
let cluster: DeskCluster | null = null;
afterAll(async () => {
  await cluster?.stop();
  for (const sim of running) await sim.close();
});

/** One desk alone (no warehouse): backfills both shops, then scans and confirms every parcel. Its read calls. */
async function singleDesk(): Promise<{ reads: ReturnType<typeof readCalls>; parcels: number }> {
  const { sims, parcels } = await stormShops('storm', PARCELS_PER_SHOP);
  running.push(...sims);
  const core = signedInTestCore({ platform: FAST_PLATFORM });
  try {
    for (const sim of sims) await connectToSimulator(core, sim);
    configureSync(core.context, FAST_SYNC);
    saveSettings(core.context, { undoWindowMs: 0 });
    for (const sim of sims) sim.control.resetStats();
    for (const shop of core.context.shops.list().filter((s) => s.id !== 'demo')) await syncShop(core.context, shop.id);
    for (const parcel of parcels) await scanAndConfirm(core, parcel);
    await until(
      'the single desk confirmed every parcel',
      async () => {
        await drainOnce(core.context);
        return confirmWrites(sims).size === parcels.length;
      },
      30_000,
    );
    return { reads: readCalls(sims), parcels: parcels.length };
  } finally {
    await core.close();
  }
}

function converged(desks: TestDesk[], shopIndex: number): boolean {
  const leader = leaderOf({ desks }, shopIndex);
  if (!leader || !pullFinished(leader, shopIndex) || !afterSalesPartOf(leader).idle) return false;
  const reference = cacheOf(leader, shopIndex);
  return reference.size > 0 && desks.every((desk) => cacheDifference(reference, cacheOf(desk, shopIndex)).length === 0);
}

describe('acceptance: a scan storm across three desks on two shops', () => {
  it('every confirm applied once, every desk converges, and the platform is read as by one desk', async () => {
    const single = await singleDesk();

    const { sims, parcels } = await stormShops('storm', PARCELS_PER_SHOP);
    running.push(...sims);
    cluster = await startDesks({ desks: 3, sims, beforeLink: () => sims.forEach((sim) => sim.control.resetStats()) });
    const { desks } = cluster;
    for (const desk of desks) saveSettings(desk.core.context, { undoWindowMs: 0 });
    // The parcels arrive once the shops are pulled and followed by every desk (a desk scanning earlier would look
    // the parcel up on the platform itself, as a lone desk does).
    await until('three desks converged on both shops', () => converged(desks, 0) && converged(desks, 1), 60_000);

    const contended = parcels.filter((_, i) => i % 4 === 0);
    const atDesk = (d: number) => parcels.filter((p, i) => !contended.includes(p) && i % 3 === d);
    const outcomes = new Map<string, string[]>();
    const note = (parcel: Parcel, outboxId: string) => outcomes.set(parcel.refundId, [...(outcomes.get(parcel.refundId) ?? []), outboxId]);
    const stormAt = Date.now();
    await Promise.all([
      // Each desk works through its own parcels, the three at the same time.
      ...desks.map(async (desk, d) => {
        for (const parcel of atDesk(d)) note(parcel, (await scanAndConfirm(desk.core, parcel)).outboxId);
      }),
      // Meanwhile a parcel now and then is scanned and confirmed at two desks at the same moment.
      (async () => {
        for (const [i, parcel] of contended.entries()) {
          const pair = [desks[i % 3]!, desks[(i + 1) % 3]!];
          const both = await Promise.all(pair.map((desk) => scanAndConfirm(desk.core, parcel)));
          for (const one of both) note(parcel, one.outboxId);
        }
      })(),
    ]);

    const pool = cluster.warehouse.pool();
    const sharedDone = async () =>
      (await pool.query("SELECT after_sale_id, outbox_id FROM outbox WHERE state = 'done'")).rows as {
        after_sale_id: string;
        outbox_id: string;
      }[];
    try {
      await until('every confirm applied on the platform', () => confirmWrites(sims).size === parcels.length, 30_000);
    } catch (error) {
      const writes = confirmWrites(sims);
      const missing = parcels.filter((parcel) => !writes.has(parcel.refundId)).map((parcel) => parcel.refundId);
      const shared = await pool.query(
        'SELECT after_sale_id, outbox_id, state, owner, attempts, last_error FROM outbox WHERE after_sale_id = ANY ($1)',
        [missing],
      );
      const local = desks.map((desk) =>
        desk.core.context.db
          .prepare(
            `SELECT id, refund_id, state, delegated, last_error, not_before FROM outbox WHERE refund_id IN (${missing.map(() => '?').join(',')})`,
          )
          .all(...missing),
      );
      throw new Error(`${(error as Error).message}\nshared ${JSON.stringify(shared.rows)}\nlocal ${JSON.stringify(local)}`);
    }
    let winners = new Map<string, string>();
    /** What still differs: per parcel, the shared winner and each desk's view and queue state of it. */
    const lagging = async (): Promise<string[]> => {
      winners = new Map((await sharedDone()).map((row) => [row.after_sale_id, row.outbox_id]));
      return parcels.flatMap((parcel) => {
        const winner = winners.get(parcel.refundId);
        const { agreed, views, queues } = deskAgreement(desks, parcel.refundId, winner);
        if (agreed) return [];
        return [`${parcel.refundId}: winner ${winner ?? '-'} queues ${queues.join('/')} views ${JSON.stringify(views)}`];
      });
    };
    await untilAllAgree(lagging, 30_000);
    const convergedMs = Date.now() - stormAt;
    // Give any stray second send time to show before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Each confirm applied once, not one confirm call beyond one per parcel: a second desk's confirm never left that desk.
    const confirmCalls = expectEachConfirmedOnce(sims, parcels.length);

    for (const parcel of parcels) {
      const winner = winners.get(parcel.refundId)!;
      const confirms = outcomes.get(parcel.refundId)!;
      const conflicts = desks.reduce((sum, desk) => sum + otherDeskConflicts(desk, parcel.refundId), 0);
      expectOneSettledStatus(desks, parcel.refundId);
      expect([50, 60]).toContain(sims[parcel.shopIndex]!.control.getAfterSale(parcel.refundId)!.status);
      if (contended.includes(parcel)) {
        expect(confirms).toHaveLength(2);
        // Two desks confirmed at once: either the second answered the first's row (it had seen it already) or it
        // queued its own and got the explained other_desk conflict. Never two rows sent.
        if (confirms[0] === confirms[1]) expect(conflicts).toBe(0);
        else {
          expect(confirms).toContain(winner);
          expect(conflicts).toBe(1);
        }
      } else {
        expect(confirms).toEqual([winner]);
        expect(conflicts).toBe(0);
        for (const desk of desks) expect(viewAt(desk, parcel.refundId)?.local).toBe('confirmed');
      }
    }

    const three = readCalls(sims);
    const afterSales = sims.reduce((sum, sim) => sum + sim.control.findAfterSales({}, 1_000_000).length, 0);
    const perAfterSale = (reads: number) => (reads / afterSales).toFixed(3);
    console.info(
      `[acceptance storm] ${parcels.length} parcels on 2 shops (${contended.length} confirmed at two desks at once), ` +
        `${afterSales} after-sales in all; ` +
        `every desk converged ${convergedMs} ms after the storm began; platform read calls (backfill + storm): ` +
        `1 desk ${single.reads.total} (${perAfterSale(single.reads.total)} per after-sale) ${JSON.stringify(single.reads.byMethod)}; ` +
        `3 desks ${three.total} (${perAfterSale(three.total)} per after-sale) ${JSON.stringify(three.byMethod)}; confirm calls ${confirmCalls}`,
    );
    expect(single.parcels).toBe(parcels.length);
    expect(three.total).toBeLessThanOrEqual(single.reads.total + READ_ALLOWANCE);
  }, 150_000);
});
