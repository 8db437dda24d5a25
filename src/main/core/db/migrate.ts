// Applies pending migrations by PRAGMA user_version, one transaction each, and refuses a database from the future.
import type Database from 'better-sqlite3';
import { DeskError } from '../../../common/contract';
import type { Migration } from './migration';

export function latestVersion(list: readonly Migration[]): number {
  return list.length === 0 ? 0 : list[list.length - 1]!.version;
}

export function currentVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database.Database, list: readonly Migration[]): { from: number; to: number } {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration list is not contiguous at ${migration.name} (version ${migration.version})`);
    }
  });
  const from = currentVersion(db);
  const target = latestVersion(list);
  refuseNewerDatabase(db, target);
  for (const migration of list.slice(from)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: target };
}

/** Reads only: throws database_too_new when the file was written by a newer ReturnDesk. */
export function refuseNewerDatabase(db: Database.Database, target: number): void {
  const from = currentVersion(db);
  if (from > target) {
    throw new DeskError(
      'database_too_new',
      `This database has schema version ${from}, but this ReturnDesk only knows up to ${target}. ` +
        'It was written by a newer ReturnDesk; update the app instead of opening it with this one.',
      { databaseVersion: from, supportedVersion: target },
    );
  }
}
