// Opens the desk's SQLite file with the pragmas the design requires, then migrates it.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrate';
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
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, DATABASE_FILE);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? allMigrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, path: file };
}
