// PostgreSQL gone (immediate shutdown) and back: desks see errors fast, the follower catches up, leadership is re-won.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeedFollower, type FeedRow, type FeedTable } from '../../../src/main/warehouse/change-feed';
import { LeaderElector, saveSyncCursor, type ShopLeadership } from '../../../src/main/warehouse/leader';
import { claimOutbox, completeOutbox, enqueueOutbox } from '../../../src/main/warehouse/outbox';
import { connectClient } from '../../../src/main/warehouse/pool';
import { currentWarehouseVersion, latestWarehouseVersion } from '../../../src/main/warehouse/schema/migrate';
import { uuidv7 } from '../../../src/main/warehouse/uuid7';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
let pool: pg.Pool;
beforeAll(async () => {
  warehouse = await startTestWarehouse();
  pool = warehouse.pool({ connectTimeoutMs: 1_000, queryTimeoutMs: 2_000 });
});
afterAll(async () => warehouse?.stop());

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('PostgreSQL stopped (immediate) and started again', () => {
  it('keeps the committed rows, re-elects the leader with a new epoch, and the follower pulls what it missed', async () => {
    const shopId = '880';
    const applied = new Map<string, FeedRow>();
    const positions = new Map<FeedTable, string>();
    const statuses: string[] = [];
    const follower = new ChangeFeedFollower({
      pool,
      connectListener: () => connectClient(warehouse.target, { connectTimeoutMs: 1_000 }),
      tables: ['scans'],
      positions: { load: async (table) => positions.get(table) ?? '0', save: async (table, seq) => void positions.set(table, seq) },
      apply: async (_table, rows) => rows.forEach((row) => applied.set(String(row.code), row)),
      reconnectDelayMs: 300,
      onStatus: (status) => statuses.push(status),
    });
    const elected: ShopLeadership[] = [];
    const elector = new LeaderElector({
      connect: () => connectClient(warehouse.target, { connectTimeoutMs: 1_000 }),
      shopId,
      deskId: 'desk-a',
      retryMs: 200,
      onElected: (leadership) => elected.push(leadership),
    });
    const scan = (code: string) =>
      pool.query("INSERT INTO scans (scan_id, desk_id, code, outcome, scanned_at_ms) VALUES ($1, 'desk-b', $2, 'found', 0)", [
        uuidv7(),
        code,
      ]);
    try {
      await follower.start();
      elector.start();
      await waitUntil(() => elected.length === 1, 'the first election');
      await saveSyncCursor(pool, shopId, elected[0]!.epoch, { page: 3 });
      const outboxId = uuidv7();
      await enqueueOutbox(pool, { outboxId, shopId, afterSaleId: '1', action: 'confirm_receipt', payload: {}, originDeskId: 'desk-a' });
      await scan('before-crash');
      await waitUntil(() => applied.has('before-crash'), 'the first row');

      await warehouse.crash();
      await expect(pool.query('SELECT 1')).rejects.toThrow();
      await waitUntil(() => statuses.includes('disconnected') && elected[0]!.lost, 'desks to notice');

      await warehouse.restart();
      // Written before the follower is back: its notification is never heard, the row must still arrive.
      await scan('after-restart');
      await waitUntil(() => applied.has('after-restart'), 'the catch-up after the restart');
      await waitUntil(() => elected.length === 2, 'the re-election');
      expect(BigInt(elected[1]!.epoch)).toBe(BigInt(elected[0]!.epoch) + 1n);
      await expect(saveSyncCursor(pool, shopId, elected[0]!.epoch, { page: 4 })).rejects.toThrow(/no longer the sync leader/);

      // Committed work survived: the schema, the queued action (claimable once), the scans.
      expect(await currentWarehouseVersion(pool)).toBe(latestWarehouseVersion());
      const claims = await claimOutbox(pool, 'desk-b', { leaseMs: 30_000, shopIds: [shopId] });
      expect(claims.map((claim) => claim.outboxId)).toEqual([outboxId]);
      await completeOutbox(pool, claims[0]!, { state: 'done', result: null });
      expect([...applied.keys()].sort()).toEqual(['after-restart', 'before-crash']);
    } finally {
      await elector.stop();
      await follower.stop();
    }
  });
});
