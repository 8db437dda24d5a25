// Migration 0012: other desks' audit entries kept apart from this desk's chain, one view over both, and a parcel's origin desk.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

describe('migration 0012 warehouse records', () => {
  it('keeps the desk’s own records and adds an append-only replica audit that the view joins to its own', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 11));
    db.prepare(`INSERT INTO audit_log (id, at, action, outcome) VALUES (1, 5, 'scan', 'ready')`).run();
    db.prepare(`INSERT INTO unmatched_parcels (id, code, registered_at) VALUES ('p1', 'SF1', 1)`).run();
    expect(() => db.prepare('SELECT * FROM all_desks_audit').all()).toThrow(/no such table/);
    migrate(db, migrations.slice(0, 12));
    expect(db.pragma('user_version', { simple: true })).toBe(12);
    expect(db.prepare('SELECT id, origin_desk FROM unmatched_parcels').all()).toEqual([{ id: 'p1', origin_desk: null }]);
    db.prepare(`INSERT INTO inspections (id, refund_id, result, created_at, origin_desk) VALUES ('i1', '1', 'damaged', 1, 'desk-b')`).run();
    expect(db.prepare('SELECT origin_desk FROM inspections').pluck().get()).toBe('desk-b');
    db.prepare(
      `INSERT INTO warehouse_audit_log (audit_id, desk_id, at, action, outcome, details) VALUES ('u1', 'desk-b', 7, 'scan', 'not_found', '{}')`,
    ).run();
    expect(db.prepare('SELECT desk_id, at, outcome FROM all_desks_audit ORDER BY at').all()).toEqual([
      { desk_id: null, at: 5, outcome: 'ready' },
      { desk_id: 'desk-b', at: 7, outcome: 'not_found' },
    ]);
    expect(() => db.prepare(`UPDATE warehouse_audit_log SET outcome = 'x'`).run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO warehouse_audit_log (audit_id, desk_id, at, action, outcome, details) VALUES ('u2', 'd', 1, 'a', 'o', 'nope')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
