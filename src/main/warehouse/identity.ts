// The warehouse's identity row (migration 5): the feed generation desks compare on reconnect, and the warehouse key's id.
import type pg from 'pg';
import { z } from 'zod';
import { WarehouseError } from './errors';
import { parseRows } from './pool';

/** Sent on the change-feed channel when the generation changes, so connected desks reset at once. */
export const GENERATION_NOTICE = 'warehouse_identity';

const identityRow = z.object({
  generation: z.string().uuid(),
  generation_started_at: z.date(),
  warehouse_key_id: z.string().nullable(),
});

export interface WarehouseIdentity {
  /** Changes when the database is restored from a backup; a desk that sees a new one pulls every table from 0. */
  generation: string;
  generationStartedAtMs: number;
  /** The id (a hash) of the key the shops' credentials are sealed with; null until the first key is made. */
  warehouseKeyId: string | null;
}

/** The identity row, or null on a database migrated before version 5 (a desk then relies on the sequence check). */
export async function readWarehouseIdentity(db: pg.Pool | pg.ClientBase): Promise<WarehouseIdentity | null> {
  const present = await db.query("SELECT to_regclass('warehouse_identity') IS NOT NULL AS present");
  if (!z.object({ present: z.boolean() }).parse(present.rows[0]).present) return null;
  const result = await db.query('SELECT generation, generation_started_at, warehouse_key_id FROM warehouse_identity');
  const row = parseRows(identityRow, result.rows)[0];
  if (!row) throw new Error('warehouse_identity has no row (migration 5 inserts it)');
  return { generation: row.generation, generationStartedAtMs: row.generation_started_at.getTime(), warehouseKeyId: row.warehouse_key_id };
}

/**
 * Starts a new feed generation: run it once right after restoring a backup, before desks reconnect
 * (`npm run warehouse -- --new-generation`). Desks then pull everything again; applying is idempotent.
 */
export async function startNewFeedGeneration(db: pg.Pool | pg.ClientBase): Promise<string> {
  const result = await db.query(
    `WITH renewed AS (
       UPDATE warehouse_identity SET generation = gen_random_uuid(), generation_started_at = now() RETURNING generation
     )
     SELECT generation, pg_notify('warehouse_change', $1) FROM renewed`,
    [GENERATION_NOTICE],
  );
  return z.object({ generation: z.string().uuid() }).parse(result.rows[0]).generation;
}

/**
 * What changes when the database is not the one the identity row was written in: another cluster (a dump restored
 * elsewhere), another database of the cluster (restored beside the old one), or a new timeline (point-in-time
 * recovery, a promoted standby that may lack the last commits). A file-level copy restored in place keeps all
 * three; that restore needs `--new-generation`.
 */
const CLUSTER_FINGERPRINT = `
  SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' ||
         (SELECT timeline_id FROM pg_control_checkpoint())::text || '/' ||
         (SELECT oid FROM pg_database WHERE datname = current_database())::text AS fingerprint`;

/**
 * Starts a new generation when the database is not where the identity row was written (see CLUSTER_FINGERPRINT);
 * the first sight records the fingerprint. Desks call it on every (re)connect; of several desks noticing at once
 * exactly one renews (the update is conditional on the fingerprint it read). Returns whether it renewed. A server
 * that does not let this user read its control data (some managed offerings) keeps the manual step only.
 */
export async function renewGenerationIfRestored(db: pg.Pool | pg.ClientBase): Promise<boolean> {
  let current: string;
  try {
    current = z.object({ fingerprint: z.string() }).parse((await db.query(CLUSTER_FINGERPRINT)).rows[0]).fingerprint;
  } catch {
    return false;
  }
  const stored = await db.query('SELECT cluster_fingerprint FROM warehouse_identity');
  const recorded = z.object({ cluster_fingerprint: z.string().nullable() }).parse(stored.rows[0]).cluster_fingerprint;
  if (recorded === current) return false;
  if (recorded === null) {
    await db.query('UPDATE warehouse_identity SET cluster_fingerprint = $1 WHERE cluster_fingerprint IS NULL', [current]);
    return false;
  }
  const renewed = await db.query(
    `UPDATE warehouse_identity SET generation = gen_random_uuid(), generation_started_at = now(), cluster_fingerprint = $1
     WHERE cluster_fingerprint = $2`,
    [current, recorded],
  );
  return renewed.rowCount === 1;
}

/**
 * Records which key the warehouse uses, once. Returns the id already recorded when there is one: a second key
 * would leave the shops sealed with the first unreadable, so the caller must refuse to make one.
 */
export async function recordWarehouseKeyId(db: pg.Pool | pg.ClientBase, keyId: string): Promise<string> {
  await db.query('UPDATE warehouse_identity SET warehouse_key_id = $1 WHERE warehouse_key_id IS NULL', [keyId]);
  const identity = await readWarehouseIdentity(db);
  if (!identity?.warehouseKeyId) throw new Error('the warehouse key id was not recorded');
  return identity.warehouseKeyId;
}

/** Refuses to seal or open with a key that is not the warehouse's (a desk given another warehouse's key file). */
export async function assertWarehouseKey(db: pg.Pool | pg.ClientBase, keyId: string): Promise<void> {
  const recorded = (await readWarehouseIdentity(db))?.warehouseKeyId ?? null;
  if (recorded !== null && recorded !== keyId) {
    throw new WarehouseError(
      'warehouse_key_mismatch',
      `This warehouse uses key ${recorded}, but this desk holds ${keyId}. Import the warehouse's key file on this desk.`,
      { expectedKeyId: recorded, heldKeyId: keyId },
    );
  }
}
