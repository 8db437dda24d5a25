// One sync leader per shop: the advisory lock elects, the epoch fences a deposed leader, a dead leader is replaced.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWarehouseError } from '../../../src/main/warehouse/errors';
import { LeaderElector, readSyncCursor, saveSyncCursor, tryLead, type ShopLeadership } from '../../../src/main/warehouse/leader';
import { connectClient } from '../../../src/main/warehouse/pool';
import { spawnTestChild } from './support/child';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
let pool: pg.Pool;
beforeAll(async () => {
  warehouse = await startTestWarehouse();
  pool = warehouse.pool();
});
afterAll(async () => warehouse?.stop());

const connectAs = (name: string) => () => connectClient(warehouse.target, { applicationName: name });

async function waitFor<T>(probe: () => T | null | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('shop sync leadership', () => {
  it('elects one leader per shop, independently per shop', async () => {
    const a = await tryLead(connectAs('desk-a'), '101', 'desk-a');
    const b = await tryLead(connectAs('desk-b'), '101', 'desk-b');
    const bOther = await tryLead(connectAs('desk-b'), '102', 'desk-b');
    try {
      expect(a?.epoch).toBe('1');
      expect(b).toBeNull();
      expect(bOther?.epoch).toBe('1');
      await a!.assertCurrent();
    } finally {
      await a?.release();
      await bOther?.release();
    }
    // Released: the next winner gets a new epoch.
    const next = await tryLead(connectAs('desk-b'), '101', 'desk-b');
    expect(next?.epoch).toBe('2');
    await next?.release();
  });

  it("refuses a deposed leader's late write and lets it notice the loss", async () => {
    const shopId = '201';
    const oldLeader = (await tryLead(connectAs('old-leader'), shopId, 'desk-a'))!;
    const lostReasons: unknown[] = [];
    oldLeader.onLost((reason) => lostReasons.push(reason));
    await saveSyncCursor(pool, shopId, oldLeader.epoch, { page: 1 });
    const elected: ShopLeadership[] = [];
    const follower = new LeaderElector({
      connect: connectAs('new-leader'),
      shopId,
      deskId: 'desk-b',
      retryMs: 100,
      onElected: (leadership) => elected.push(leadership),
    });
    follower.start();

    // The old leader's connection is cut (its process lives on, about to write).
    await pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'old-leader'");
    const newLeader = await waitFor(() => elected[0], 'a new leader');
    expect(BigInt(newLeader.epoch)).toBeGreaterThan(BigInt(oldLeader.epoch));
    await saveSyncCursor(pool, shopId, newLeader.epoch, { page: 7 });

    const late = await saveSyncCursor(pool, shopId, oldLeader.epoch, { page: 2 }).catch((error: unknown) => error);
    expect(isWarehouseError(late, 'warehouse_fenced_out')).toBe(true);
    expect(await readSyncCursor(pool, shopId)).toMatchObject({ cursor: { page: 7 }, leader_epoch: newLeader.epoch });
    const check = await oldLeader.assertCurrent().catch((error: unknown) => error);
    expect(isWarehouseError(check, 'warehouse_fenced_out')).toBe(true);
    expect(lostReasons.length).toBe(1);
    await follower.stop();
  });

  it('another desk takes over within seconds when the leader process is killed (SIGKILL)', async () => {
    const shopId = '301';
    const child = spawnTestChild('leader-child.ts', [warehouse.server.url, shopId]);
    const elected: ShopLeadership[] = [];
    const elector = new LeaderElector({
      connect: connectAs('desk-b'),
      shopId,
      deskId: 'desk-b',
      retryMs: 100,
      onElected: (leadership) => elected.push(leadership),
    });
    try {
      await waitFor(
        () => {
          child.throwIfFailed('leader child');
          return /leader \d+/.test(child.out) ? true : null;
        },
        'the child to lead',
        20_000,
      );
      elector.start();
      // While the child lives, the follower keeps losing the lock race.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(elected).toEqual([]);

      const killedAt = Date.now();
      child.kill();
      const leadership = await waitFor(() => elected[0], 'the takeover', 10_000);
      const takeoverMs = Date.now() - killedAt;
      expect(leadership.epoch).toBe(String(Number(/leader (\d+)/.exec(child.out)![1]) + 1));
      expect(takeoverMs).toBeLessThan(10_000);
      expect(elector.leadership).toBe(leadership);
    } finally {
      child.killIfAlive();
      await elector.stop();
    }
  });
});
