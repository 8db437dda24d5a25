// Warehouse migration 5: the warehouse's identity row: its feed generation (restore detection) and its key's id.
import type { WarehouseMigration } from '../migration';

export const warehouseMigration0005: WarehouseMigration = {
  version: 5,
  name: 'identity',
  sql: `
    -- One row. generation changes when the database is restored from a backup (npm run warehouse -- --new-generation):
    -- desks compare it on every (re)connect and pull every table again from 0 when it differs, because the
    -- restored sequences hand out seq values a desk has already passed.
    -- cluster_fingerprint (system identifier / timeline / database oid) is recorded by the first desk or host that
    -- connects; a restore into another cluster or database, or a point-in-time recovery, changes it, and the first
    -- desk that notices starts a new generation by itself.
    -- warehouse_key_id is the hash that names the warehouse key (never the key): a desk holding another key is told so.
    CREATE TABLE warehouse_identity (
      one boolean PRIMARY KEY DEFAULT true CHECK (one),
      generation uuid NOT NULL DEFAULT gen_random_uuid(),
      generation_started_at timestamptz NOT NULL DEFAULT now(),
      cluster_fingerprint text,
      warehouse_key_id text CHECK (warehouse_key_id ~ '^wk1-[0-9a-f]{32}$')
    );
    INSERT INTO warehouse_identity DEFAULT VALUES;
  `,
};
