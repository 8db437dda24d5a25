// Migration 0010: each shop's own sync interval and pacing, bounded in the table itself and tied to its shop.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

const addShop = (db: Database.Database, id: string) =>
  db
    .prepare(
      `INSERT INTO shops (id, name, base_url, app_key, sign_method, auth_mode, status, created_at, updated_at)
       VALUES (?, 'shop', 'http://x', 'k', 'HMAC_SHA256', 'pasted_token', 'connected', 0, 0)`,
    )
    .run(id);
const put = (db: Database.Database, shopId: string, interval: number | null, cps: number | null) =>
  db
    .prepare(`INSERT INTO shop_sync_settings (shop_id, sync_interval_ms, calls_per_second, updated_at) VALUES (?, ?, ?, 0)`)
    .run(shopId, interval, cps);

describe('migration 0010 shop sync settings', () => {
  it('keeps the shops as they were and holds each shop’s own values within the platform’s bounds', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 9));
    addShop(db, 'a');
    expect(() => put(db, 'a', 60_000, 10)).toThrow(/no such table/);
    migrate(db, migrations.slice(0, 10));
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(db.prepare('SELECT id FROM shops').pluck().all()).toEqual(['a']);
    put(db, 'a', 30_000, 20);
    expect(db.prepare('SELECT sync_interval_ms, calls_per_second FROM shop_sync_settings').get()).toEqual({
      sync_interval_ms: 30_000,
      calls_per_second: 20,
    });
    addShop(db, 'b');
    put(db, 'b', null, null);
    expect(() => put(db, 'nope', null, 5)).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM shop_sync_settings WHERE shop_id = 'b'`).run();
    expect(() => put(db, 'b', 9_999, null)).toThrow(/CHECK/);
    expect(() => put(db, 'b', 3_600_001, null)).toThrow(/CHECK/);
    expect(() => put(db, 'b', null, 0)).toThrow(/CHECK/);
    expect(() => put(db, 'b', null, 101)).toThrow(/CHECK/);
    expect(() => put(db, 'b', null, 2.5)).toThrow(/INTEGER|datatype/i);
  });
});
