// The warehouse schema migrates on a real PostgreSQL, once, concurrently, and refuses a newer schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWarehouseError } from '../../../src/main/warehouse/errors';
import { currentWarehouseVersion, latestWarehouseVersion, migrateWarehouse } from '../../../src/main/warehouse/schema/migrate';
import { warehouseMigrations } from '../../../src/main/warehouse/schema/migrations';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
beforeAll(async () => {
  warehouse = await startTestWarehouse({ migrate: false });
});
afterAll(async () => warehouse?.stop());

const FEED_TABLES = [
  'shops',
  'roles',
  'operators',
  'settings',
  'after_sales',
  'after_sale_index',
  'scans',
  'unmatched_parcels',
  'inspections',
  'inspection_evidence',
  'outbox',
  'audit_log',
];

describe('warehouse migrations', () => {
  it('is a contiguous list', () => {
    warehouseMigrations.forEach((migration, index) => expect(migration.version).toBe(index + 1));
  });

  it('migrates an empty database once even when three desks start together', async () => {
    const pools = [warehouse.pool(), warehouse.pool(), warehouse.pool()];
    expect(await currentWarehouseVersion(pools[0]!)).toBe(0);
    const results = await Promise.all(pools.map((pool) => migrateWarehouse(pool)));
    for (const result of results) expect(result.to).toBe(latestWarehouseVersion());
    expect(await currentWarehouseVersion(pools[0]!)).toBe(latestWarehouseVersion());
    // Running again changes nothing.
    expect(await migrateWarehouse(pools[0]!)).toEqual({ from: latestWarehouseVersion(), to: latestWarehouseVersion() });
  });

  it('puts every shared table on the change feed', async () => {
    const pool = warehouse.pool();
    const result = await pool.query(
      "SELECT event_object_table AS t FROM information_schema.triggers WHERE trigger_name = 'a_change_seq' GROUP BY 1",
    );
    expect(result.rows.map((row: { t: string }) => row.t).sort()).toEqual([...FEED_TABLES].sort());
  });

  it('stores no shop credentials in plain text', async () => {
    const pool = warehouse.pool();
    const result = await pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'shops'");
    const columns = result.rows.map((row: { column_name: string }) => row.column_name);
    expect(columns).toContain('credentials_ciphertext');
    expect(columns.filter((name) => /secret|token|password/i.test(name))).toEqual([]);
  });

  it('rolls a failing migration back whole and keeps the version', async () => {
    const pool = warehouse.pool();
    const broken = [
      ...warehouseMigrations,
      { version: warehouseMigrations.length + 1, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT 1/0;' },
    ];
    await expect(migrateWarehouse(pool, broken)).rejects.toThrow(/division by zero/);
    expect(await currentWarehouseVersion(pool)).toBe(latestWarehouseVersion());
    const table = await pool.query("SELECT to_regclass('half_done') IS NULL AS absent");
    expect(table.rows[0]).toEqual({ absent: true });
  });

  it('refuses a database migrated by a newer ReturnDesk', async () => {
    const pool = warehouse.pool();
    await pool.query('UPDATE warehouse_schema SET version = version + 1');
    try {
      const error = await migrateWarehouse(pool).catch((caught: unknown) => caught);
      expect(isWarehouseError(error, 'warehouse_schema_too_new')).toBe(true);
    } finally {
      await pool.query('UPDATE warehouse_schema SET version = version - 1');
    }
  });

  it('refuses a list that is not contiguous', async () => {
    const gap = [warehouseMigrations[0]!, { ...warehouseMigrations[2]! }];
    await expect(migrateWarehouse(warehouse.pool(), gap)).rejects.toThrow(/not contiguous/);
  });
});
