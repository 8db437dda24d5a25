// Migration 0004: operators with unique folded names, an append-only audit log, scans and unmatched parcels.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

function migrated(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, migrations.slice(0, 4));
  return db;
}

const insertOperator = (db: Database.Database, id: string, name: string, role = 'admin') =>
  db
    .prepare(
      `INSERT INTO operators (id, name, name_key, pin_hash, pin_salt, role, permissions, created_at, updated_at)
       VALUES (?, ?, ?, 'scrypt$1$1$1$x', 'salt', ?, '[]', 1, 1)`,
    )
    .run(id, name, name.toLowerCase(), role);

describe('migration 0004 desk', () => {
  it('is version 4 and applies on top of 0003', () => {
    const db = migrated();
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['operators', 'audit_log', 'unmatched_parcels', 'desk_scans', 'operator_sign_in_failures']),
    );
  });

  it('keeps names unique by their folded key, one main account, and only known roles', () => {
    const db = migrated();
    insertOperator(db, 'a', 'Li', 'main');
    expect(() => insertOperator(db, 'b', 'LI')).toThrow(/UNIQUE/);
    expect(() => insertOperator(db, 'c', 'Wang', 'main')).toThrow(/UNIQUE/);
    expect(() => insertOperator(db, 'd', 'Zhao', 'superuser')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE operators SET permissions = 'nope' WHERE id = 'a'").run()).toThrow(/CHECK/);
  });

  it('makes audit_log append-only: UPDATE and DELETE abort, INSERT works', () => {
    const db = migrated();
    db.prepare("INSERT INTO audit_log (at, action, outcome) VALUES (1, 'scan', 'ready')").run();
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'forged'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 1').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT outcome FROM audit_log').pluck().all()).toEqual(['ready']);
  });

  it('is strict about types', () => {
    const db = migrated();
    expect(() => db.prepare("INSERT INTO audit_log (at, action, outcome) VALUES ('now', 'scan', 'ready')").run()).toThrow();
    expect(() => db.prepare("INSERT INTO unmatched_parcels (id, code, registered_at) VALUES ('p', 'x', 'yesterday')").run()).toThrow();
  });
});
