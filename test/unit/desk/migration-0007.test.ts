// Migration 0007: local waybill aliases (one after-sale per label) and the typed reason of an outbox conflict.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

describe('migration 0007 desk rules', () => {
  it('adds waybill_aliases on top of 0006, one after-sale per normalized label', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 6));
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'waybill_aliases'").get()).toBeUndefined();
    migrate(db, migrations.slice(0, 7));
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    const insert = db.prepare('INSERT INTO waybill_aliases (normalized, express_no, refund_id, created_at) VALUES (?, ?, ?, 1)');
    insert.run('YT1', 'yt1', '1');
    expect(() => insert.run('YT1', 'yt1', '2')).toThrow(/UNIQUE/);
    expect(() => insert.run('YT2', 'yt2', null)).toThrow(/NOT NULL/);
    const outboxColumns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('outbox');
    expect(outboxColumns).toContain('conflict_reason');
    db.close();
  });
});
