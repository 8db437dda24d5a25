// Prepared statements made once per database and SQL text, so hot paths (every scan) never re-prepare.
import type Database from 'better-sqlite3';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The statement for `sql` on `db`, prepared on first use. Keep each SQL text to one result mode (pluck or not). */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  let prepared = perDb.get(sql);
  if (!prepared) perDb.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
