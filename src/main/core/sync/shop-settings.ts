// Each shop's own sync interval and pacing (table shop_sync_settings); a shop without its own follows the desk.
import type Database from 'better-sqlite3';
import type { ShopSyncSettings } from '../../../common/contract/shop-sync';
import type { CoreContext } from '../context/context';
import { readSettings } from '../settings/settings';
import { statement } from '../sql/statements';

const NONE: ShopSyncSettings = { syncIntervalMs: null, callsPerSecond: null };

interface Row {
  shop_id: string;
  sync_interval_ms: number | null;
  calls_per_second: number | null;
}

const fromRow = (row: Row): ShopSyncSettings => ({ syncIntervalMs: row.sync_interval_ms, callsPerSecond: row.calls_per_second });

export function readShopSyncSettings(db: Database.Database, shopId: string): ShopSyncSettings {
  const row = statement(db, `SELECT * FROM shop_sync_settings WHERE shop_id = ?`).get(shopId) as Row | undefined;
  return row ? fromRow(row) : NONE;
}

export function allShopSyncSettings(db: Database.Database): Map<string, ShopSyncSettings> {
  const rows = statement(db, `SELECT * FROM shop_sync_settings ORDER BY shop_id`).all() as Row[];
  return new Map(rows.map((row) => [row.shop_id, fromRow(row)]));
}

/** Writes a shop's settings whole; a row of two nulls is removed (the shop follows the desk again). */
export function writeShopSyncSettings(db: Database.Database, shopId: string, settings: ShopSyncSettings, now: number): void {
  if (settings.syncIntervalMs === null && settings.callsPerSecond === null) {
    statement(db, `DELETE FROM shop_sync_settings WHERE shop_id = ?`).run(shopId);
    return;
  }
  statement(
    db,
    `INSERT INTO shop_sync_settings (shop_id, sync_interval_ms, calls_per_second, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (shop_id) DO UPDATE SET sync_interval_ms = excluded.sync_interval_ms,
       calls_per_second = excluded.calls_per_second, updated_at = excluded.updated_at`,
  ).run(shopId, settings.syncIntervalMs, settings.callsPerSecond, now);
}

/** How long the scheduler waits between two runs of this shop: its own interval, else the desk's. */
export function syncIntervalOf(ctx: Pick<CoreContext, 'db'>, shopId: string): number {
  return readShopSyncSettings(ctx.db, shopId).syncIntervalMs ?? readSettings(ctx).syncIntervalMs;
}
