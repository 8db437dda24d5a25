// Applies pending warehouse migrations, one transaction each, and refuses a database migrated by a newer ReturnDesk.
import type pg from 'pg';
import { z } from 'zod';
import { WarehouseError } from '../errors';
import { parseRows } from '../pool';
import type { WarehouseMigration } from './migration';
import { warehouseMigrations } from './migrations';

/** Held for each migration's transaction, so desks starting together migrate one after another. */
const MIGRATION_LOCK = 'SELECT pg_advisory_xact_lock(3, 0)';

const versionRow = z.object({ version: z.number().int().nonnegative() });

export function latestWarehouseVersion(list: readonly WarehouseMigration[] = warehouseMigrations): number {
  return list.length === 0 ? 0 : list[list.length - 1]!.version;
}

export async function currentWarehouseVersion(db: pg.Pool | pg.ClientBase): Promise<number> {
  const exists = await db.query("SELECT to_regclass('warehouse_schema') IS NOT NULL AS present");
  if (!z.object({ present: z.boolean() }).parse(exists.rows[0]).present) return 0;
  const result = await db.query('SELECT version FROM warehouse_schema');
  return parseRows(versionRow, result.rows)[0]?.version ?? 0;
}

export async function migrateWarehouse(
  pool: pg.Pool,
  list: readonly WarehouseMigration[] = warehouseMigrations,
): Promise<{ from: number; to: number }> {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Warehouse migration list is not contiguous at ${migration.name} (version ${migration.version})`);
    }
  });
  const target = latestWarehouseVersion(list);
  const from = await currentWarehouseVersion(pool);
  refuseNewer(from, target);
  const client = await pool.connect();
  try {
    for (const migration of list) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATION_LOCK);
        await client.query(
          'CREATE TABLE IF NOT EXISTS warehouse_schema (version integer NOT NULL, one boolean PRIMARY KEY DEFAULT true CHECK (one))',
        );
        const now = await currentWarehouseVersion(client);
        refuseNewer(now, target);
        if (now >= migration.version) {
          await client.query('COMMIT');
          continue;
        }
        await client.query(migration.sql);
        await client.query(
          'INSERT INTO warehouse_schema (version) VALUES ($1) ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version',
          [migration.version],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
  } finally {
    client.release();
  }
  return { from, to: target };
}

function refuseNewer(version: number, supported: number): void {
  if (version > supported) {
    throw new WarehouseError(
      'warehouse_schema_too_new',
      `The warehouse database has schema version ${version}, but this ReturnDesk only knows up to ${supported}. ` +
        'Another desk runs a newer ReturnDesk; update this one.',
      { databaseVersion: version, supportedVersion: supported },
    );
  }
}
