// What TLS costs a desk on the embedded warehouse server: connection setup, round trip and a feed pull, each as a
// ratio to the same measurement unencrypted in the same process. Usage: nice -n 10 npx tsx bench/warehouse-tls.ts
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { pullChanges } from '../src/main/warehouse/change-feed';
import { parseWarehouseUrl, type WarehouseTarget, type WarehouseTls } from '../src/main/warehouse/config';
import { clientConfig, createWarehousePool } from '../src/main/warehouse/pool';
import { migrateWarehouse } from '../src/main/warehouse/schema/migrate';
import { ensureServerCertificate } from '../src/main/warehouse/server-tls';
import { BENCH_PASSWORD, median, ms, startBenchWarehouse } from './warehouse-server';

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Runs each variant in turn `rounds` times (interleaved, so load from other work hits them alike); medians. */
async function interleaved(variants: Record<string, () => Promise<unknown>>, rounds: number): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, work] of Object.entries(variants)) samples[name]!.push(await timed(work));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

async function main(): Promise<void> {
  const warehouse = await startBenchWarehouse('returndesk-bench-tls-', { tls: 'on', serverFlags: ['-c', 'fsync=off'] });
  const { root, server } = warehouse;
  const caPem = server.certificate!.pem;
  const targetFor = (tls: WarehouseTls): WarehouseTarget => parseWarehouseUrl(server.url, { password: BENCH_PASSWORD, tls });
  const targets = {
    plain: targetFor({ mode: 'disable' }),
    require: targetFor({ mode: 'require' }),
    'verify-ca': targetFor({ mode: 'verify-ca', caPem }),
  };
  const pools = Object.fromEntries(Object.entries(targets).map(([name, target]) => [name, createWarehousePool(target)]));
  try {
    await migrateWarehouse(pools.plain!);
    const rows = 2000;
    for (let index = 0; index < rows; index += 500) {
      const keys = Array.from({ length: 500 }, (_, offset) => `bench-${index + offset}`);
      await pools.plain!.query('INSERT INTO settings (key, value) SELECT k, \'{"a": "some value"}\' FROM unnest($1::text[]) AS k', [keys]);
    }

    const certificate = await interleaved(
      {
        make: async () => {
          const dir = fs.mkdtempSync(path.join(root, 'cert-'));
          fs.writeFileSync(path.join(dir, 'PG_VERSION'), '18\n');
          await ensureServerCertificate(dir);
        },
      },
      5,
    );
    const connect = (target: WarehouseTarget) => async () => {
      const client = new pg.Client(clientConfig(target));
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
    };
    const connects = await interleaved(Object.fromEntries(Object.entries(targets).map(([name, target]) => [name, connect(target)])), 40);
    for (const pool of Object.values(pools)) await pool.query('SELECT 1'); // warm: one connection each
    const roundTrips = await interleaved(
      Object.fromEntries(Object.entries(pools).map(([name, pool]) => [name, () => pool.query('SELECT 1')])),
      500,
    );
    const pull = (pool: pg.Pool) => async () => {
      let after = '0';
      for (;;) {
        const batch = await pullChanges(pool, 'settings', after, { limit: 500 });
        if (batch.rows.length === 0) break;
        after = batch.last;
      }
    };
    const pulls = await interleaved(Object.fromEntries(Object.entries(pools).map(([name, pool]) => [name, pull(pool)])), 15);

    const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;
    console.log(`self-signed certificate made (ECDSA P-256): median ${ms(certificate.make!)}`);
    for (const [label, figures] of [
      ['connect + SELECT 1 + end', connects],
      ['SELECT 1 on a pooled connection', roundTrips],
      [`pull ${rows} settings rows (batches of 500)`, pulls],
    ] as const) {
      const line = Object.entries(figures)
        .map(([name, value]) => `${name} ${ms(value)}${name === 'plain' ? '' : ` (${ratio(value, figures.plain!)})`}`)
        .join(', ');
      console.log(`${label}: ${line}`);
    }
  } finally {
    for (const pool of Object.values(pools)) await pool.end();
    await warehouse.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
