// Migration 0003: the after-sale cache, orders, history, sync state and the outbox, with their constraints.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { currentVersion, migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

const upTo3 = migrations.slice(0, 3);

function migrated(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, upTo3);
  return db;
}

const outbox = (db: Database.Database, id: string, extra: Record<string, unknown> = {}) =>
  db
    .prepare(
      `INSERT INTO outbox (id, idempotency_key, kind, shop_id, refund_id, payload, state, not_before, created_at, updated_at)
       VALUES (@id, @key, @kind, 's', @refundId, @payload, @state, 0, 0, 0)`,
    )
    .run({ id, key: id, kind: 'confirm_receipt', refundId: '1', payload: '{}', state: 'waiting', ...extra });

describe('migration 0003 sync cache and outbox', () => {
  it('upgrades a version-2 database to version 3 with every table', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 2));
    expect(currentVersion(db)).toBe(2);
    migrate(db, upTo3);
    expect(currentVersion(db)).toBe(3);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['after_sales', 'orders', 'order_waybills', 'negotiation_history', 'sync_state', 'outbox']),
    );
  });

  it('refuses a second live confirm for the same refund, but allows one after a cancelled one', () => {
    const db = migrated();
    outbox(db, 'a');
    expect(() => outbox(db, 'b')).toThrow(/UNIQUE/);
    db.prepare(`UPDATE outbox SET state = 'cancelled' WHERE id = 'a'`).run();
    outbox(db, 'b');
    outbox(db, 'c', { kind: 'submit_waybill' });
    outbox(db, 'd', { kind: 'submit_waybill' });
    expect(() => outbox(db, 'e', { key: 'd', kind: 'submit_waybill' })).toThrow(/UNIQUE/);
  });

  it('checks states, kinds, JSON payloads and STRICT types', () => {
    const db = migrated();
    expect(() => outbox(db, 'x', { state: 'lost' })).toThrow(/CHECK/);
    expect(() => outbox(db, 'y', { kind: 'approve' })).toThrow(/CHECK/);
    expect(() => outbox(db, 'z', { payload: 'not json' })).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO after_sales (refund_id, shop_id, order_id, item_id, sku_id, sku_nick, handling_way, status, negotiate_status, refund_type,
             receipt_status, refund_fee, refund_reason_desc, refund_desc, submit_time, create_time, update_time, synced_at, local_state)
           VALUES ('1', 's', '2', '3', '4', 'n', 1, 30, 1, 1, 1, 100, '', '', 0, 0, 0, 0, 'weird')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO sync_state (shop_id, high_water_mark, backfill_start, backfill_horizon, backfill_next_end, window_ms, updated_at) VALUES ('s', 'late', 0, 0, 0, 1, 0)`,
        )
        .run(),
    ).toThrow();
  });
});
