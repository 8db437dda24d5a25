// The migration runner: applies in order, is idempotent, rolls back a failing step, refuses a newer database.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DeskError } from '../../../src/common/contract';
import { currentVersion, migrate } from '../../../src/main/core/db/migrate';
import type { Migration } from '../../../src/main/core/db/migration';
import { migrations } from '../../../src/main/core/db/migrations';
import { openDatabase } from '../../../src/main/core/db/open';
import { tempDir } from '../../support/core';

const step = (version: number, sql: string): Migration => ({ version, name: `m${version}`, up: (db) => db.exec(sql) });

describe('migration runner', () => {
  it('applies pending migrations in order and records user_version', () => {
    const db = new Database(':memory:');
    const result = migrate(db, [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (y)')]);
    expect(result).toEqual({ from: 0, to: 2 });
    expect(currentVersion(db)).toBe(2);
    expect(migrate(db, [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (y)')])).toEqual({ from: 2, to: 2 });
  });

  it('rolls back a failing migration completely', () => {
    const db = new Database(':memory:');
    migrate(db, [step(1, 'CREATE TABLE a (x)')]);
    const broken = [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE c (z); INSERT INTO nowhere VALUES (1)')];
    expect(() => migrate(db, broken)).toThrow();
    expect(currentVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'c'").pluck().get()).toBe(0);
  });

  it('refuses a database written by a newer ReturnDesk, without touching it', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 7');
    let caught: unknown;
    try {
      migrate(db, [step(1, 'CREATE TABLE a (x)')]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DeskError);
    expect((caught as DeskError).code).toBe('database_too_new');
    expect((caught as DeskError).details).toEqual({ databaseVersion: 7, supportedVersion: 1 });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
  });

  it('rejects a migration list with a gap', () => {
    expect(() => migrate(new Database(':memory:'), [step(1, 'SELECT 1'), step(3, 'SELECT 1')])).toThrow(/not contiguous/);
  });

  it('opens a real file with WAL, synchronous FULL, foreign keys and a busy timeout', () => {
    const { db } = openDatabase({ dataDir: tempDir() });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(currentVersion(db)).toBe(migrations.length);
    db.close();
  });

  it('refuses to open a newer database file and leaves it closed', () => {
    const dir = tempDir();
    const { db, path } = openDatabase({ dataDir: dir });
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openDatabase({ dataDir: dir })).toThrow(/newer ReturnDesk/);
    const reopened = new Database(path);
    expect(currentVersion(reopened)).toBe(migrations.length + 1);
    reopened.close();
  });
});

describe('migration 0001 settings', () => {
  it('creates a strict key/value settings table', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('a', '1', 1);
    expect(() => db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('a', '2', 2)).toThrow(/UNIQUE/);
    expect(() => db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('b', '1', 'soon')).toThrow();
  });
});
