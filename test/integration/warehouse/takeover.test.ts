// The shop's puller stops mid-backfill (its core closed, or its process killed with SIGKILL): another desk takes
// the pull over within seconds from the shared position and finishes it; the platform is asked about what a single
// desk would ask plus the in-flight work, every desk ends with the whole shop, and nothing lands in an outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxCounts } from '../../../src/main/core/outbox/store';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import {
  afterSalesPartOf,
  cacheDifference,
  cacheOf,
  pullCalls,
  pullFinished,
  singleDeskBaseline,
  type PullCalls,
} from './support/after-sales';
import { spawnTestChild } from './support/child';
import { leaderOf, prepareDeskDir, startDesks, until, type DeskCluster, type TestDesk } from './support/desks';
import { startTestWarehouse } from './support/pg-server';

/** Stop the puller once its backfill has covered this many hours (of about 2,160). */
const STOP_AT_HOURS = 600;

/**
 * What a takeover may cost beyond a single desk's run. The new puller lists again from the last shared position:
 * the window in flight (one or two pages of a day here) and, after a kill, the windows the puller finished but
 * whose position it had not shared yet (positions are shared in batches a few tens of ms apart; windows with
 * few after-sales pass faster than that, measured up to 6 extra list calls). Details and orders are shared as
 * they land, so only those fetched in the killed puller's last moments are fetched again (at most one fetch
 * batch: fetchConcurrency 8 x 8 = 64; measured 3). A clean close shares everything before giving the shop up.
 */
const CLEAN_ALLOWANCE = { list: 4, detail: 2, order: 2 };
const KILL_ALLOWANCE = { list: 12, detail: 64, order: 64 };

let sim: RunningSimulator;
let single: PullCalls & { ms: number };
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'warehouse-takeover', afterSales: 1_500, qpsPerApi: 10_000 });
  single = await singleDeskBaseline([sim]);
});
afterAll(async () => {
  await sim.close();
});

/** The remaining desks hold the whole shop, alike, its pull finished and shared. */
function finished(desks: TestDesk[], world: number): boolean {
  const leader = leaderOf({ desks }, 0);
  if (!leader || !pullFinished(leader, 0) || !afterSalesPartOf(leader).idle) return false;
  const reference = cacheOf(leader, 0);
  return reference.size === world && desks.every((desk) => desk.closed || cacheDifference(reference, cacheOf(desk, 0)).length === 0);
}

async function expectNothingQueued(cluster: DeskCluster): Promise<void> {
  for (const desk of cluster.desks.filter((d) => !d.closed))
    expect(outboxCounts(desk.core.context.db)).toEqual({ pending: 0, conflicts: 0 });
  const pool = cluster.warehouse.pool();
  expect((await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0]).toEqual({ n: 0 });
  // One row per after-sale of the world, each once.
  const rows = (await pool.query('SELECT count(*)::int AS n, count(DISTINCT after_sale_id)::int AS d FROM after_sales')).rows[0] as {
    n: number;
    d: number;
  };
  expect(rows.n).toBe(rows.d);
}

function report(what: string, calls: PullCalls, takeoverMs: number, finishMs: number): void {
  console.info(
    `[warehouse] ${what}: takeover ${takeoverMs} ms, pull finished and shared ${finishMs} ms after the stop; pull calls ${calls.total} ` +
      `(list ${calls.list}, detail ${calls.detail}, order ${calls.order}) vs a single desk's ${single.total} ` +
      `(list ${single.list}, detail ${single.detail}, order ${single.order})`,
  );
}

describe('the shop puller stops mid-backfill', () => {
  it('closed: another desk takes over and finishes, fetching nothing twice', async () => {
    const world = sim.control.findAfterSales({}, 1_000_000).length;
    const dataDirs = [await prepareDeskDir([sim]), await prepareDeskDir([sim]), await prepareDeskDir([sim])];
    sim.control.resetStats();
    const cluster = await startDesks({ desks: 3, sims: [sim], dataDirs });
    try {
      const stopping = new Promise<TestDesk>((resolve) => {
        for (const desk of cluster.desks) {
          desk.core.events.subscribe((name, payload) => {
            const p = payload as { phase: string; done: number };
            if (name === 'sync.progress' && p.phase === 'backfill' && p.done >= STOP_AT_HOURS) resolve(desk);
          });
        }
      });
      const first = await stopping;
      const stoppedAt = Date.now();
      await first.close();
      const takeoverMs = await until('another desk pulls the shop', () => leaderOf(cluster, 0) !== null, 15_000);
      expect(leaderOf(cluster, 0)).not.toBe(first);
      await until('the pull finished and shared', () => finished(cluster.desks, world), 60_000);
      const calls = pullCalls([sim]);
      report('leader closed mid-backfill', calls, takeoverMs, Date.now() - stoppedAt);
      expect(calls.list).toBeLessThanOrEqual(single.list + CLEAN_ALLOWANCE.list);
      expect(calls.detail).toBeLessThanOrEqual(single.detail + CLEAN_ALLOWANCE.detail);
      expect(calls.order).toBeLessThanOrEqual(single.order + CLEAN_ALLOWANCE.order);
      await expectNothingQueued(cluster);
    } finally {
      await cluster.stop();
    }
  }, 120_000);

  it('killed with SIGKILL (a child process): another desk takes over within seconds and finishes', async () => {
    const world = sim.control.findAfterSales({}, 1_000_000).length;
    const warehouse = await startTestWarehouse();
    const childDir = await prepareDeskDir([sim], 'child');
    const dataDirs = [await prepareDeskDir([sim]), await prepareDeskDir([sim])];
    sim.control.resetStats();
    const child = spawnTestChild('desk-child.ts', [childDir, warehouse.server.url]);
    const backfilled = () =>
      Math.max(
        0,
        ...[...child.out.matchAll(/progress (\{.*\})/g)]
          .map((m) => JSON.parse(m[1]!) as { phase: string; done: number })
          .map((p) => (p.phase === 'backfill' ? p.done : 0)),
      );
    let cluster: DeskCluster | null = null;
    try {
      await until(
        'the child to lead the shop',
        () => {
          child.throwIfFailed('desk child');
          return child.out.includes('leader');
        },
        30_000,
      );
      cluster = await startDesks({ desks: 2, sims: [sim], dataDirs, warehouse });
      await Promise.all(cluster.desks.map((desk) => desk.link.whenLinked()));
      await until(
        'the child half way through the backfill',
        () => {
          child.throwIfFailed('desk child');
          return backfilled() >= STOP_AT_HOURS;
        },
        60_000,
      );
      expect(leaderOf(cluster, 0)).toBeNull();
      const killedAt = Date.now();
      child.kill();
      const takeoverMs = await until('a desk pulls the shop after the kill', () => leaderOf(cluster!, 0) !== null, 15_000);
      await until('the pull finished and shared', () => finished(cluster!.desks, world), 60_000);
      const calls = pullCalls([sim]);
      report(`leader SIGKILLed at ${backfilled()} h of backfill`, calls, takeoverMs, Date.now() - killedAt);
      expect(calls.list).toBeLessThanOrEqual(single.list + KILL_ALLOWANCE.list);
      expect(calls.detail).toBeLessThanOrEqual(single.detail + KILL_ALLOWANCE.detail);
      expect(calls.order).toBeLessThanOrEqual(single.order + KILL_ALLOWANCE.order);
      await expectNothingQueued(cluster);
    } finally {
      child.killIfAlive();
      await cluster?.stop();
      await warehouse.stop();
    }
  }, 150_000);
});
