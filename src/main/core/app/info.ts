// app.info: version, where the data lives, the schema version and the after-sale count, for the status bar.
import type Database from 'better-sqlite3';
import { defineHandlers } from '../context/handlers';
import { currentVersion } from '../db/migrate';
import { statement } from '../sql/statements';

/**
 * Counting a 1M-row cache costs 30–50 ms on the thread that answers scans, and the status bar asks every 2 s
 * during a sync. The cache only grows (nothing deletes after-sales; a rowid is never reused while larger ones
 * exist), so the count is kept with the highest rowid seen and each call counts only the rows added since:
 * a range of the rowid B-tree, the size of what the sync brought in meanwhile. A full recount runs every
 * RECOUNT_MS anyway, in case a row ever is deleted.
 */
export const RECOUNT_MS = 10 * 60_000;

interface Tally {
  count: number;
  maxRowid: number;
  countedAt: number;
}

const tallies = new WeakMap<Database.Database, Tally>();

export function afterSaleCount(db: Database.Database, now: number): number {
  const tally = tallies.get(db);
  if (!tally || now - tally.countedAt >= RECOUNT_MS || now < tally.countedAt) {
    const row = statement(db, `SELECT count(*) AS count, coalesce(max(rowid), 0) AS maxRowid FROM after_sales`).get() as Tally;
    tallies.set(db, { count: row.count, maxRowid: row.maxRowid, countedAt: now });
    return row.count;
  }
  const added = statement(
    db,
    `SELECT count(*) AS count, coalesce(max(rowid), @after) AS maxRowid FROM after_sales WHERE rowid > @after`,
  ).get({
    after: tally.maxRowid,
  }) as { count: number; maxRowid: number };
  tally.count += added.count;
  tally.maxRowid = added.maxRowid;
  return tally.count;
}

export const appHandlers = defineHandlers({
  'app.info': (ctx) => ({
    name: 'ReturnDesk',
    version: ctx.appVersion,
    dataDir: ctx.dataDir,
    databasePath: ctx.databasePath,
    schemaVersion: currentVersion(ctx.db),
    // Only the after-sale count is shown; counting every table (FTS shadow tables included) is not worth it.
    counts: { after_sales: afterSaleCount(ctx.db, ctx.clock.now()) },
    transport: ctx.transport,
  }),
});
