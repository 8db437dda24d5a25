// The change feed never skips a row: concurrent writers, a later writer committing first, and a desk that reconnects.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeedFollower, pullChanges, type FeedRow, type FeedTable } from '../../../src/main/warehouse/change-feed';
import { connectClient } from '../../../src/main/warehouse/pool';
import { uuidv7 } from '../../../src/main/warehouse/uuid7';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
let pool: pg.Pool;
beforeAll(async () => {
  warehouse = await startTestWarehouse();
  pool = warehouse.pool({ maxConnections: 8 });
});
afterAll(async () => warehouse?.stop());

const insertScan = (db: pg.Pool | pg.ClientBase, code: string) =>
  db.query("INSERT INTO scans (scan_id, desk_id, code, outcome, scanned_at_ms) VALUES ($1, 'desk-a', $2, 'found', $3)", [
    uuidv7(),
    code,
    Date.now(),
  ]);

async function waitUntil(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitingOnLock(backendPid: number): Promise<boolean> {
  const result = await pool.query("SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1", [backendPid]);
  return (result.rows[0] as { waiting?: boolean } | undefined)?.waiting === true;
}

const backendPid = async (client: pg.ClientBase) => Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);

describe('change feed ordering', () => {
  it('a plain sequence skips a row when the later writer commits first (the hazard this design avoids)', async () => {
    await pool.query('CREATE TABLE naive_feed (seq bigserial PRIMARY KEY, label text NOT NULL)');
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await first.query("INSERT INTO naive_feed (label) VALUES ('first')");
      await second.query("INSERT INTO naive_feed (label) VALUES ('second')");
      const early = await pool.query('SELECT seq, label FROM naive_feed WHERE seq > 0 ORDER BY seq');
      const last = early.rows.at(-1).seq as string;
      await first.query('COMMIT');
      const late = await pool.query('SELECT label FROM naive_feed WHERE seq > $1', [last]);
      expect(early.rows.map((row: { label: string }) => row.label)).toEqual(['second']);
      expect(late.rows).toEqual([]); // 'first' is never seen by this puller
    } finally {
      first.release();
      second.release();
    }
  });

  it('the stamped feed makes the later writer wait, so a puller that stores its position misses nothing', async () => {
    const start = (await pullChanges(pool, 'scans', '0', { limit: 10_000 })).last;
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await insertScan(first, 'T1');
      await second.query('BEGIN');
      const secondPid = await backendPid(second);
      // The second writer tries to commit first: its insert waits on the feed lock instead of taking a seq.
      const secondDone = (async () => {
        await insertScan(second, 'T2');
        await second.query('COMMIT');
      })();
      await waitUntil(() => waitingOnLock(secondPid), 'the second writer to wait on the feed lock');
      const whileOpen = await pullChanges(pool, 'scans', start);
      expect(whileOpen.rows).toEqual([]);
      await first.query('COMMIT');
      await secondDone;
      const after = await pullChanges(pool, 'scans', whileOpen.last);
      expect(after.rows.map((row) => row.code)).toEqual(['T1', 'T2']);
      expect(BigInt(after.rows[0]!.seq) < BigInt(after.rows[1]!.seq)).toBe(true);
    } finally {
      first.release();
      second.release();
    }
  });

  it('a rolled-back writer leaves a gap, not a hole a later row could fall into', async () => {
    const start = (await pullChanges(pool, 'scans', '0', { limit: 10_000 })).last;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await insertScan(client, 'rolled-back');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    await insertScan(pool, 'kept');
    const pulled = await pullChanges(pool, 'scans', start);
    expect(pulled.rows.map((row) => row.code)).toEqual(['kept']);
  });

  it('four concurrent writers and a puller storing its position: every row pulled exactly once', async () => {
    let position = (await pullChanges(pool, 'scans', '0', { limit: 10_000 })).last;
    const written: string[] = [];
    const pulled: string[] = [];
    let writing = true;
    const writers = [0, 1, 2, 3].map(async (writer) => {
      for (let index = 0; index < 40; index += 1) {
        const code = `w${writer}-${index}`;
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await insertScan(client, code);
          // Keep some transactions open a little, so later writers commit around them.
          if (index % 3 === writer % 3) await new Promise((resolve) => setTimeout(resolve, 3));
          await client.query('COMMIT');
          written.push(code);
        } finally {
          client.release();
        }
      }
    });
    const puller = (async () => {
      while (writing) {
        const batch = await pullChanges(pool, 'scans', position, { limit: 7 });
        pulled.push(...batch.rows.map((row) => row.code as string));
        position = batch.last;
      }
      for (;;) {
        const batch = await pullChanges(pool, 'scans', position);
        if (batch.rows.length === 0) break;
        pulled.push(...batch.rows.map((row) => row.code as string));
        position = batch.last;
      }
    })();
    await Promise.all(writers);
    writing = false;
    await puller;
    expect(pulled.length).toBe(160);
    expect(new Set(pulled)).toEqual(new Set(written));
  });
});

describe('ChangeFeedFollower', () => {
  function follower(applied: Map<string, FeedRow>, positions: Map<FeedTable, string>, statuses: string[]) {
    return new ChangeFeedFollower({
      pool,
      connectListener: () => connectClient(warehouse.target, { applicationName: 'feed-listener-test' }),
      tables: ['settings'],
      positions: {
        load: async (table) => positions.get(table) ?? '0',
        save: async (table, seq) => void positions.set(table, seq),
      },
      apply: async (_table, rows) => rows.forEach((row) => applied.set(String(row.key), row)),
      reconnectDelayMs: 100,
      onStatus: (status) => statuses.push(status),
    });
  }
  const putSetting = (key: string, value: unknown) =>
    pool.query(
      'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()',
      [key, JSON.stringify(value)],
    );

  it('catches up on start, is woken by NOTIFY, and after losing its connection pulls what it missed', async () => {
    await putSetting('before-start', 1);
    const applied = new Map<string, FeedRow>();
    const positions = new Map<FeedTable, string>();
    const statuses: string[] = [];
    const feed = follower(applied, positions, statuses);
    try {
      await feed.start();
      expect(applied.has('before-start')).toBe(true);

      await putSetting('woken', 2);
      await waitUntil(() => applied.has('woken'), 'the notification to trigger a pull');

      // An update moves the row to a new seq: the desk sees the new value.
      await putSetting('woken', 3);
      await waitUntil(() => applied.get('woken')?.value === 3, 'the update to arrive');

      // Cut the listener; rows written while it is away send notifications nobody hears.
      await pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'feed-listener-test'");
      await waitUntil(() => statuses.includes('disconnected'), 'the follower to notice');
      await putSetting('while-away-1', 4);
      await putSetting('while-away-2', 5);
      await waitUntil(() => applied.has('while-away-1') && applied.has('while-away-2'), 'the catch-up after reconnect');
      expect(statuses.filter((status) => status === 'following').length).toBeGreaterThanOrEqual(2);
    } finally {
      await feed.stop();
    }
  });

  it('pulls a table again from the start when its stored position is ahead of the database (restored backup)', async () => {
    await putSetting('kept-after-restore', 6);
    const applied = new Map<string, FeedRow>();
    const positions = new Map<FeedTable, string>([['settings', '999999999']]);
    const statuses: string[] = [];
    const feed = follower(applied, positions, statuses);
    try {
      await feed.start();
      expect(statuses).toContain('rewound');
      expect(applied.get('kept-after-restore')?.value).toBe(6);
      expect(BigInt(positions.get('settings')!)).toBeLessThan(999999999n);
    } finally {
      await feed.stop();
    }
  });
});
