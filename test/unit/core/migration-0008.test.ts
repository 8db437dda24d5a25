// Migration 0008: the outbox keeps its rows and sequence while learning two kinds; inspection and evidence tables.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

const insertOutbox = (db: Database.Database, id: string, kind: string, refundId = '1', state = 'waiting') =>
  db
    .prepare(
      `INSERT INTO outbox (id, idempotency_key, kind, shop_id, refund_id, payload, state, not_before, created_at, updated_at)
       VALUES (?, ?, ?, 's', ?, '{}', ?, 0, 0, 0)`,
    )
    .run(id, `${kind}:${id}`, kind, refundId, state);

describe('migration 0008 inspection', () => {
  it('rebuilds the outbox with its rows and sequence, and accepts the new kinds', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 7));
    insertOutbox(db, 'a', 'confirm_receipt');
    insertOutbox(db, 'b', 'submit_waybill');
    db.prepare(`UPDATE outbox SET owner = 'p1', lease_until = 5 WHERE id = 'a'`).run();
    expect(() => insertOutbox(db, 'c', 'reject_refund')).toThrow(/CHECK/);
    migrate(db, migrations.slice(0, 8));
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.prepare('SELECT seq, id, kind FROM outbox ORDER BY seq').all()).toEqual([
      { seq: 1, id: 'a', kind: 'confirm_receipt' },
      { seq: 2, id: 'b', kind: 'submit_waybill' },
    ]);
    expect(db.prepare(`SELECT owner, lease_until FROM outbox WHERE id = 'a'`).get()).toEqual({ owner: 'p1', lease_until: 5 });
    insertOutbox(db, 'c', 'reject_refund', '2');
    expect(db.prepare("SELECT seq FROM outbox WHERE id = 'c'").pluck().get()).toBe(3);
    expect(() => insertOutbox(db, 'd', 'confirm_and_send', '2')).toThrow(/UNIQUE/);
    expect(() => insertOutbox(db, 'e', 'confirm_receipt', '1')).toThrow(/UNIQUE/);
    expect(() => insertOutbox(db, 'f', 'bogus', '3')).toThrow(/CHECK/);
  });

  it('checks inspection results and evidence hashes', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 8));
    const inspect = db.prepare(`INSERT INTO inspections (id, refund_id, result, created_at) VALUES (?, '1', ?, 0)`);
    inspect.run('i1', 'damaged');
    expect(() => inspect.run('i2', 'fine')).toThrow(/CHECK/);
    const file = db.prepare(
      `INSERT INTO evidence_files (sha256, media, mime, size, rel_path, created_at) VALUES (?, 'photo', 'image/jpeg', 3, 'x', 0)`,
    );
    expect(() => file.run('abc')).toThrow(/CHECK/);
    file.run('a'.repeat(64));
    expect(() => db.prepare(`INSERT INTO evidence_links (refund_id, sha256, created_at) VALUES ('1', ?, 0)`).run('b'.repeat(64))).toThrow(
      /FOREIGN KEY/,
    );
  });
});
