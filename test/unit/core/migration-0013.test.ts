// Migration 0013: other desks' shared outbox rows kept for the statistics, and one view over them and the desk's own.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

const LOCAL = `INSERT INTO outbox (id, idempotency_key, kind, shop_id, refund_id, payload, state, not_before, created_at, updated_at)
  VALUES (?, ?, 'confirm_receipt', 's1', ?, '{}', ?, 0, 5, 5)`;
const REMOTE = `INSERT INTO warehouse_outbox (outbox_id, desk_id, kind, refund_id, state, created_at, updated_at)
  VALUES (?, 'desk-b', 'confirm_receipt', ?, ?, 7, 7)`;

describe('migration 0013 warehouse outbox', () => {
  it('keeps the desk’s outbox and adds a replica that the view joins to it, each row once', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 12));
    db.prepare(LOCAL).run('o1', 'k1', '100', 'done');
    expect(() => db.prepare('SELECT * FROM all_desks_outbox').all()).toThrow(/no such table/);
    migrate(db, migrations.slice(0, 13));
    expect(db.pragma('user_version', { simple: true })).toBe(13);
    db.prepare(REMOTE).run('o2', '200', 'pending');
    // The same row mirrored here and kept in the replica: the local one stands for it.
    db.prepare(REMOTE).run('o1', '100', 'done');
    expect(db.prepare('SELECT desk_id, id, refund_id, state FROM all_desks_outbox ORDER BY id').all()).toEqual([
      { desk_id: null, id: 'o1', refund_id: '100', state: 'done' },
      { desk_id: 'desk-b', id: 'o2', refund_id: '200', state: 'pending' },
    ]);
    expect(() => db.prepare(REMOTE).run('o3', '300', 'cancelled')).toThrow(/CHECK/);
  });
});
