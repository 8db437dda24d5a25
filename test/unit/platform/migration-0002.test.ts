// Migration 0002: shops and sealed secrets, with their constraints.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { currentVersion, migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

function migrated(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations.slice(0, 2));
  return db;
}

const shop = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: 'n',
  base_url: 'https://openapi.kwaixiaodian.com',
  app_key: 'ks1',
  sign_method: 'HMAC_SHA256',
  auth_mode: 'oauth',
  status: 'connected',
  is_demo: 0,
  created_at: 1,
  updated_at: 1,
  ...extra,
});
const insert = (db: Database.Database, row: Record<string, unknown>) =>
  db
    .prepare(
      `INSERT INTO shops (id, name, base_url, app_key, sign_method, auth_mode, status, is_demo, created_at, updated_at)
       VALUES (@id, @name, @base_url, @app_key, @sign_method, @auth_mode, @status, @is_demo, @created_at, @updated_at)`,
    )
    .run(row);

describe('migration 0002 shops', () => {
  it('upgrades a version-1 database to version 2 with both tables', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    expect(currentVersion(db)).toBe(1);
    migrate(db, migrations.slice(0, 2));
    expect(currentVersion(db)).toBe(2);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['shops', 'shop_secrets']));
  });

  it('enforces status, sign method, a single demo shop and STRICT types', () => {
    const db = migrated();
    insert(db, shop('a'));
    expect(() => insert(db, shop('b', { status: 'weird' }))).toThrow(/CHECK/);
    expect(() => insert(db, shop('c', { sign_method: 'SHA1' }))).toThrow(/CHECK/);
    insert(db, shop('d', { is_demo: 1 }));
    expect(() => insert(db, shop('e', { is_demo: 1 }))).toThrow(/UNIQUE/);
    expect(() => insert(db, shop('f', { created_at: 'yesterday' }))).toThrow();
  });

  it('stores secrets only as blobs tied to a shop, dropped with it', () => {
    const db = migrated();
    insert(db, shop('a'));
    const put = db.prepare(`INSERT INTO shop_secrets (shop_id, name, sealed, box_kind, updated_at) VALUES (?, ?, ?, 'k', 1)`);
    put.run('a', 'access_token', Buffer.from([1, 2, 3]));
    expect(() => put.run('a', 'password', Buffer.from([1]))).toThrow(/CHECK/);
    expect(() => put.run('a', 'sign_secret', 'plain text')).toThrow();
    expect(() => put.run('missing', 'sign_secret', Buffer.from([1]))).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM shops WHERE id = 'a'`).run();
    expect(db.prepare(`SELECT count(*) FROM shop_secrets`).pluck().get()).toBe(0);
  });
});
