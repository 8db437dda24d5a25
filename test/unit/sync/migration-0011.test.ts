// Migration 0011: outbox rows gain the delegated flag (0 for every existing row), and only 0 or 1 is accepted.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

const insertOutbox = (db: Database.Database, id: string, refundId: string) =>
  db
    .prepare(
      `INSERT INTO outbox (id, idempotency_key, kind, shop_id, refund_id, payload, state, not_before, created_at, updated_at)
       VALUES (?, ?, 'confirm_receipt', 's', ?, '{}', 'waiting', 0, 0, 0)`,
    )
    .run(id, `k:${id}`, refundId);

describe('migration 0011 outbox delegation', () => {
  it('keeps existing rows local and accepts only 0 or 1', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 10));
    insertOutbox(db, 'a', '1');
    migrate(db, migrations.slice(0, 11));
    expect(db.pragma('user_version', { simple: true })).toBe(11);
    expect(db.prepare(`SELECT id, delegated FROM outbox`).all()).toEqual([{ id: 'a', delegated: 0 }]);
    insertOutbox(db, 'b', '2');
    db.prepare(`UPDATE outbox SET delegated = 1 WHERE id = 'b'`).run();
    expect(db.prepare(`SELECT delegated FROM outbox WHERE id = 'b'`).pluck().get()).toBe(1);
    expect(() => db.prepare(`UPDATE outbox SET delegated = 2 WHERE id = 'a'`).run()).toThrow(/CHECK/);
  });
});
