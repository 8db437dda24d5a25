// Opens the desk's SQLite file with the pragmas the design requires, then migrates it.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateFile } from './data-dir-lock';
import { latestVersion, migrate, refuseNewerDatabase } from './migrate';
import { migrations as allMigrations } from './migrations';
import type { Migration } from './migration';

export const DATABASE_FILE = 'returndesk.sqlite';

export interface OpenDatabaseOptions {
  dataDir: string;
  /** Path to a better-sqlite3 binary built for Electron; Node uses the default build. */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

export function openDatabase(options: OpenDatabaseOptions): { db: Database.Database; path: string } {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dataDir, DATABASE_FILE);
  // The file holds PIN hashes: owner-only from its first byte (SQLite gives its -wal and -shm the same mode).
  ensurePrivateFile(file);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const list = options.migrations ?? allMigrations;
  try {
    // Before any write, the WAL switch included: a database from a newer ReturnDesk is left exactly as it was.
    refuseNewerDatabase(db, latestVersion(list));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // INSERT OR REPLACE on the audit log then fires its no-delete trigger too.
    db.pragma('recursive_triggers = ON');
    migrate(db, list);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, path: file };
}
