// Per-shop pull progress in sync_state: the high-water mark, the backfill position and the current window size.
import type Database from 'better-sqlite3';
import { statement } from '../sql/statements';

/** Where a pull of the shop stands; handed over to the desk that pulls it next in warehouse mode. */
export interface PullPosition {
  highWaterMark: number;
  backfillStart: number;
  backfillHorizon: number;
  backfillNextEnd: number;
  backfillDone: boolean;
  windowMs: number;
}

export interface SyncState extends PullPosition {
  shopId: string;
  lastSyncAt: number | null;
  lastError: string | null;
}

interface Row {
  shop_id: string;
  high_water_mark: number;
  backfill_start: number;
  backfill_horizon: number;
  backfill_next_end: number;
  backfill_done: number;
  window_ms: number;
  last_sync_at: number | null;
  last_error: string | null;
}

function fromRow(r: Row): SyncState {
  return {
    shopId: r.shop_id,
    highWaterMark: r.high_water_mark,
    backfillStart: r.backfill_start,
    backfillHorizon: r.backfill_horizon,
    backfillNextEnd: r.backfill_next_end,
    backfillDone: r.backfill_done === 1,
    windowMs: r.window_ms,
    lastSyncAt: r.last_sync_at,
    lastError: r.last_error,
  };
}

export function readState(db: Database.Database, shopId: string): SyncState | null {
  const row = statement(db, `SELECT * FROM sync_state WHERE shop_id = ?`).get(shopId) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function allStates(db: Database.Database): SyncState[] {
  return (statement(db, `SELECT * FROM sync_state ORDER BY shop_id`).all() as Row[]).map(fromRow);
}

/**
 * First contact with a shop: incremental sync starts at `now`, the backfill walks from `now` back to the horizon.
 * Items updated while the backfill runs move past `now` and the incremental runs pick them up.
 */
export function initState(db: Database.Database, shopId: string, now: number, horizonMs: number, windowMs: number): SyncState {
  statement(
    db,
    `INSERT INTO sync_state (shop_id, high_water_mark, backfill_start, backfill_horizon, backfill_next_end, backfill_done, window_ms, updated_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (shop_id) DO NOTHING`,
  ).run(shopId, now, now, now - horizonMs, now, windowMs, now);
  return readState(db, shopId)!;
}

export function saveHighWaterMark(db: Database.Database, shopId: string, hwm: number, now: number): void {
  statement(db, `UPDATE sync_state SET high_water_mark = max(high_water_mark, ?), updated_at = ? WHERE shop_id = ?`).run(hwm, now, shopId);
}

/** Repair only: sets the mark even below its current value. */
export function setHighWaterMark(db: Database.Database, shopId: string, hwm: number, now: number): void {
  statement(db, `UPDATE sync_state SET high_water_mark = ?, updated_at = ? WHERE shop_id = ?`).run(hwm, now, shopId);
}

export function saveBackfill(db: Database.Database, shopId: string, nextEnd: number, done: boolean, now: number): void {
  statement(db, `UPDATE sync_state SET backfill_next_end = ?, backfill_done = ?, updated_at = ? WHERE shop_id = ?`).run(
    nextEnd,
    done ? 1 : 0,
    now,
    shopId,
  );
}

export function saveWindow(db: Database.Database, shopId: string, windowMs: number, now: number): void {
  statement(db, `UPDATE sync_state SET window_ms = ?, updated_at = ? WHERE shop_id = ?`).run(windowMs, now, shopId);
}

export function saveOutcome(db: Database.Database, shopId: string, now: number, error: string | null): void {
  if (error === null)
    statement(db, `UPDATE sync_state SET last_sync_at = ?, last_error = NULL, updated_at = ? WHERE shop_id = ?`).run(now, now, shopId);
  else statement(db, `UPDATE sync_state SET last_error = ?, updated_at = ? WHERE shop_id = ?`).run(error.slice(0, 500), now, shopId);
}

/** Takes over another desk's pull position for the shop (this desk pulls it from here on). */
export function adoptPullPosition(db: Database.Database, shopId: string, p: PullPosition, now: number): void {
  statement(
    db,
    `INSERT INTO sync_state (shop_id, high_water_mark, backfill_start, backfill_horizon, backfill_next_end, backfill_done, window_ms, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (shop_id) DO UPDATE SET high_water_mark = excluded.high_water_mark, backfill_start = excluded.backfill_start,
       backfill_horizon = excluded.backfill_horizon, backfill_next_end = excluded.backfill_next_end,
       backfill_done = excluded.backfill_done, window_ms = excluded.window_ms, updated_at = excluded.updated_at`,
  ).run(shopId, p.highWaterMark, p.backfillStart, p.backfillHorizon, p.backfillNextEnd, p.backfillDone ? 1 : 0, p.windowMs, now);
}
