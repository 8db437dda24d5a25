// Warehouse benchmark on a real (embedded) PostgreSQL: change-feed lag, feed-stamp write cost, outbox claim throughput,
// leader takeover; each figure next to a same-process baseline. Usage: nice -n 10 npx tsx bench/warehouse.ts [--rows=2000]
import type pg from 'pg';
import { ChangeFeedFollower, type FeedTable } from '../src/main/warehouse/change-feed';
import { parseWarehouseUrl } from '../src/main/warehouse/config';
import { LeaderElector, tryLead } from '../src/main/warehouse/leader';
import { claimOutbox, completeOutbox, enqueueOutbox } from '../src/main/warehouse/outbox';
import { connectClient, createWarehousePool } from '../src/main/warehouse/pool';
import { migrateWarehouse } from '../src/main/warehouse/schema/migrate';
import { uuidv7 } from '../src/main/warehouse/uuid7';
import { BENCH_PASSWORD, median, ms, startBenchWarehouse } from './warehouse-server';

const rows = Number(/--rows=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 2000);
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1]!;

async function roundTrip(pool: pg.Pool, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = performance.now();
    await pool.query('SELECT 1');
    samples.push(performance.now() - start);
  }
  return samples;
}

async function feedLag(pool: pg.Pool, connect: () => Promise<pg.Client>, count: number): Promise<number[]> {
  const seen = new Map<string, number>();
  const positions = new Map<FeedTable, string>();
  const follower = new ChangeFeedFollower({
    pool,
    connectListener: connect,
    tables: ['settings'],
    positions: { load: async (table) => positions.get(table) ?? '0', save: async (table, seq) => void positions.set(table, seq) },
    apply: async (_table, batch) => batch.forEach((row) => seen.set(String(row.key), performance.now())),
  });
  await follower.start();
  const lags: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const key = `lag-${index}`;
    await pool.query('INSERT INTO settings (key, value) VALUES ($1, $2)', [key, '1']);
    const committed = performance.now();
    while (!seen.has(key)) await new Promise((resolve) => setImmediate(resolve));
    lags.push(seen.get(key)! - committed);
  }
  await follower.stop();
  return lags;
}

async function writeRate(pool: pg.Pool, table: string, writers: number, perWriter: number): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let index = 0; index < perWriter; index += 1) {
        await pool.query(`INSERT INTO ${table} (scan_id, desk_id, code, outcome, scanned_at_ms) VALUES ($1, $2, 'x', 'found', 0)`, [
          uuidv7(),
          `w${writer}`,
        ]);
      }
    }),
  );
  return (writers * perWriter) / ((performance.now() - start) / 1000);
}

async function claimRate(pools: pg.Pool[], shopId: string, count: number): Promise<number> {
  for (let index = 0; index < count; index += 1) {
    await enqueueOutbox(pools[0]!, {
      outboxId: uuidv7(),
      shopId,
      afterSaleId: String(index + 1),
      action: 'confirm',
      payload: {},
      originDeskId: 'bench',
    });
  }
  const start = performance.now();
  await Promise.all(
    pools.map(async (pool, desk) => {
      for (;;) {
        const claims = await claimOutbox(pool, `desk-${desk}`, { limit: 10, leaseMs: 30_000, shopIds: [shopId] });
        if (claims.length === 0) return;
        for (const claim of claims) await completeOutbox(pool, claim, { state: 'done', result: null });
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

async function takeoverMs(connect: () => Promise<pg.Client>): Promise<number> {
  let socketOfLeader: { destroy(): void } | null = null;
  const leader = await tryLead(
    async () => {
      const client = await connect();
      socketOfLeader = (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
      return client;
    },
    '1',
    'leader',
  );
  if (!leader || !socketOfLeader) throw new Error('bench: could not lead');
  let electedAt = 0;
  const elector = new LeaderElector({
    connect,
    shopId: '1',
    deskId: 'follower',
    retryMs: 100,
    onElected: () => (electedAt = performance.now()),
  });
  elector.start();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const killedAt = performance.now();
  (socketOfLeader as { destroy(): void }).destroy();
  while (electedAt === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await elector.stop();
  return electedAt - killedAt;
}

async function main(): Promise<void> {
  const warehouse = await startBenchWarehouse('returndesk-wh-bench-');
  const target = parseWarehouseUrl(warehouse.server.url, { password: BENCH_PASSWORD });
  const pools = [0, 1, 2, 3].map(() => createWarehousePool(target, { maxConnections: 4 }));
  const pool = pools[0]!;
  try {
    await migrateWarehouse(pool);
    await pool.query('CREATE TABLE plain_scans (LIKE scans INCLUDING DEFAULTS)');
    const connect = () => connectClient(target);
    const trips = await roundTrip(pool, 300);
    const lags = await feedLag(pool, connect, 300);
    console.log(`PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version}, loopback, default durability (fsync on)`);
    console.log(`baseline SELECT 1 round trip: median ${ms(median(trips))}, p95 ${ms(p95(trips))}`);
    console.log(`change-feed lag (commit acknowledged -> row applied at a follower, 300 single-row commits):`);
    console.log(`  median ${ms(median(lags))} (${(median(lags) / median(trips)).toFixed(1)}x a round trip), p95 ${ms(p95(lags))}`);
    for (const writers of [1, 4]) {
      const plain = await writeRate(pool, 'plain_scans', writers, rows / writers / 2);
      const stamped = await writeRate(pool, 'scans', writers, rows / writers / 2);
      console.log(
        `insert rate with ${writers} writer(s): stamped feed table ${stamped.toFixed(0)}/s vs plain table ${plain.toFixed(0)}/s (ratio ${(stamped / plain).toFixed(2)})`,
      );
    }
    const one = await claimRate([pools[0]!], '10', rows / 2);
    const four = await claimRate(pools, '20', rows / 2);
    console.log(
      `outbox claim+complete: 1 desk ${one.toFixed(0)} rows/s, 4 desks ${four.toFixed(0)} rows/s (ratio ${(four / one).toFixed(2)}), batches of 10`,
    );
    console.log(`leader takeover after the leader's connection dies (follower retrying every 100 ms): ${ms(await takeoverMs(connect))}`);
  } finally {
    await Promise.all(pools.map((each) => each.end()));
    await warehouse.stop();
  }
}

void main();
