// Commits that skip the fsync on the interactive path (the scan log) and are made durable shortly after by one
// WAL checkpoint for the whole burst, or sooner by any FULL commit (which syncs the WAL with everything before it).
import type Database from 'better-sqlite3';

/** How long a relaxed commit may stay unsynced at most; a scanner burst within it shares one sync. */
export const DEFAULT_FLUSH_MS = 250;

interface FlushState {
  timer: NodeJS.Timeout | null;
  flushMs: number;
}

const states = new WeakMap<Database.Database, FlushState>();

function stateOf(db: Database.Database): FlushState {
  let s = states.get(db);
  if (!s) states.set(db, (s = { timer: null, flushMs: DEFAULT_FLUSH_MS }));
  return s;
}

/** Tests and the benchmark set the window (0: sync right after every relaxed commit, still off the caller's path). */
export function setRelaxedFlushMs(db: Database.Database, ms: number): void {
  stateOf(db).flushMs = Math.max(0, ms);
}

/**
 * Runs `work` in one transaction committed with `synchronous = NORMAL` (WAL mode: consistent, no fsync), then
 * schedules the flush. A power cut before it loses at most this window's relaxed commits, never the database's
 * consistency; money events never use this (they commit under the connection's FULL).
 */
export function relaxedTransaction<T>(db: Database.Database, work: () => T): T {
  if (db.inTransaction) return db.transaction(work)(); // nested: the outer commit decides
  db.pragma('synchronous = NORMAL');
  let out: T;
  try {
    out = db.transaction(work)();
  } finally {
    db.pragma('synchronous = FULL');
  }
  scheduleFlush(db);
  return out;
}

function scheduleFlush(db: Database.Database): void {
  const s = stateOf(db);
  if (s.timer) return;
  s.timer = setTimeout(() => {
    s.timer = null;
    flushRelaxed(db);
  }, s.flushMs);
  s.timer.unref();
}

/**
 * Makes every relaxed commit so far durable: a passive checkpoint syncs the WAL before it copies (SQLite's WAL +
 * NORMAL contract). Called by the timer and before the database closes.
 */
export function flushRelaxed(db: Database.Database): void {
  const s = stateOf(db);
  if (s.timer) {
    clearTimeout(s.timer);
    s.timer = null;
  }
  if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
}
