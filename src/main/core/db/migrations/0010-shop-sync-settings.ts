// Migration 10: each shop's own sync interval and request pacing, set in the back office (null: the desk's default).
import type { Migration } from '../migration';

export const migration0010: Migration = {
  version: 10,
  name: 'shop-sync-settings',
  up(db) {
    db.exec(`
      CREATE TABLE shop_sync_settings (
        shop_id TEXT PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
        sync_interval_ms INTEGER CHECK (sync_interval_ms IS NULL OR sync_interval_ms BETWEEN 10000 AND 3600000),
        -- Calls per second per API: the platform allows 100 per API per app.
        calls_per_second INTEGER CHECK (calls_per_second IS NULL OR calls_per_second BETWEEN 1 AND 100),
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
