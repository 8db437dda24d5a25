// Delegated outbox rows (a shared outbox sends them, see OutboxDelegate): the transitions an outer layer needs.
import type Database from 'better-sqlite3';
import type { ConflictReason } from '../../../common/contract/sync';
import { statement } from '../sql/statements';
import { getRow, recomputeLocalState, type OutboxKind, type OutboxRow, type OutboxState } from './store';

const SQL = {
  delegate: `UPDATE outbox SET delegated = 1, last_error = NULL, updated_at = @now
       WHERE id = @id AND delegated = 0 AND state IN ('waiting', 'retrying')`,
  hold: `UPDATE outbox SET not_before = @until, last_error = @note, updated_at = @now
       WHERE id = @id AND delegated = 0 AND state IN ('waiting', 'retrying')`,
  refuse: `UPDATE outbox SET state = 'conflict', last_error = @error, conflict_state = @fresh, conflict_reason = @reason, updated_at = @now
       WHERE id = @id AND state IN ('waiting', 'retrying')`,
  update: `UPDATE outbox SET state = @state, attempts = max(attempts, @attempts), last_error = @lastError,
         conflict_reason = @conflictReason, conflict_state = @conflictState, not_before = @notBefore,
         done_at = CASE WHEN @state = 'done' THEN coalesce(done_at, @doneAt) ELSE done_at END, delegated = 1, updated_at = @now
       WHERE id = @id AND (state IS NOT @state OR last_error IS NOT @lastError OR delegated = 0)`,
  insert: `INSERT INTO outbox (id, idempotency_key, kind, shop_id, refund_id, payload, state, attempts, not_before, undo_until,
         last_error, conflict_state, conflict_reason, operator_id, created_at, updated_at, done_at, delegated)
       VALUES (@id, @key, @kind, @shopId, @refundId, @payload, @state, @attempts, @notBefore, NULL,
         @lastError, @conflictState, @conflictReason, @operatorId, @createdAt, @now, @doneAt, 1)`,
  release: `UPDATE outbox SET not_before = @now, updated_at = @now
       WHERE delegated = 0 AND state IN ('waiting', 'retrying') AND last_error = @note AND not_before > @now`,
  // This desk's own unfinished rows (not those mirrored from other desks, keyed 'shared:'): due now, re-read first.
  reclaim: `UPDATE outbox SET delegated = 0, state = 'retrying', needs_recheck = 1, not_before = @now, owner = NULL,
         lease_until = NULL, updated_at = @now
       WHERE delegated = 1 AND state IN ('waiting', 'retrying', 'sending') AND idempotency_key NOT LIKE 'shared:%'
       RETURNING refund_id`,
  ready: `UPDATE outbox SET state = 'retrying', not_before = @now, needs_recheck = max(needs_recheck, @recheck), delegated = 1, updated_at = @now
       WHERE id = @id AND state <> 'cancelled'`,
};

/** Pushed to the shared outbox: from now on the delegate sends it (or another desk does). False when it moved meanwhile. */
export function markDelegated(db: Database.Database, id: string, now: number): boolean {
  return statement(db, SQL.delegate).run({ id, now }).changes === 1;
}

/** The shared outbox cannot take the row now (unreachable): it stays queued here, due again at `until`. */
export function holdLocal(db: Database.Database, id: string, now: number, until: number, note: string): boolean {
  return statement(db, SQL.hold).run({ id, now, until, note: note.slice(0, 1000) }).changes === 1;
}

/** The shared outbox answers again: rows held with `note` (holdLocal) are due now instead of at their next retry. */
export function releaseHeld(db: Database.Database, now: number, note: string): number {
  return statement(db, SQL.release).run({ now, note: note.slice(0, 1000) }).changes;
}

/** Refused before anything was sent (another desk has the same action): a conflict the operator sees and settles. */
export function conflictBeforeSend(
  db: Database.Database,
  row: Pick<OutboxRow, 'id' | 'refund_id'>,
  now: number,
  error: string | null,
  fresh: unknown,
  reason: ConflictReason,
): boolean {
  return db.transaction(() => {
    const changed = statement(db, SQL.refuse).run({
      id: row.id,
      now,
      error: error === null ? null : error.slice(0, 1000),
      fresh: fresh === undefined ? null : JSON.stringify(fresh),
      reason,
    }).changes;
    if (changed === 1) recomputeLocalState(db, row.refund_id, now);
    return changed === 1;
  })();
}

/** A row's state as the shared outbox has it, in the local outbox's terms. */
export interface DelegatedRowState {
  id: string;
  kind: OutboxKind;
  shopId: string;
  refundId: string;
  /** The payload as the local outbox stores it (JSON text). */
  payload: string;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  conflictReason: ConflictReason | null;
  /** The after-sale view recorded with a conflict (JSON text). */
  conflictState: string | null;
  operatorId: string | null;
  createdAt: number;
  notBefore: number;
  doneAt: number | null;
}

/**
 * Applies a shared row to the local outbox (idempotent): updates the row with that id, or adds one made at another
 * desk, so this desk's after-sale shows it (confirm sending, confirmed, conflict). 'skipped': this desk has its own
 * row for the same confirm or decision (the database allows one), whose own outcome explains the after-sale.
 */
export function applyDelegated(
  db: Database.Database,
  row: DelegatedRowState,
  now: number,
): 'updated' | 'inserted' | 'unchanged' | 'skipped' {
  return db.transaction(() => {
    const params = {
      id: row.id,
      state: row.state,
      attempts: row.attempts,
      lastError: row.lastError,
      conflictReason: row.conflictReason,
      conflictState: row.conflictState,
      notBefore: row.notBefore,
      doneAt: row.doneAt,
      now,
    };
    let outcome: 'updated' | 'inserted' | 'unchanged' | 'skipped';
    if (getRow(db, row.id)) {
      outcome = statement(db, SQL.update).run(params).changes === 1 ? 'updated' : 'unchanged';
    } else {
      try {
        statement(db, SQL.insert).run({
          ...params,
          key: `shared:${row.id}`,
          kind: row.kind,
          shopId: row.shopId,
          refundId: row.refundId,
          payload: row.payload,
          operatorId: row.operatorId,
          createdAt: row.createdAt,
        });
        outcome = 'inserted';
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
        outcome = 'skipped';
      }
    }
    if (outcome === 'updated' || outcome === 'inserted') recomputeLocalState(db, row.refundId, now);
    return outcome;
  })();
}

/**
 * Readies a row claimed in the shared outbox for the worker's processRow (due now; a re-read owed when `recheck`).
 * Null when it cannot be sent from here (cancelled here, or the local outbox refuses it).
 */
export function readyDelegated(db: Database.Database, id: string, now: number, recheck: boolean): OutboxRow | null {
  try {
    return db.transaction(() => {
      if (statement(db, SQL.ready).run({ id, now, recheck: recheck ? 1 : 0 }).changes !== 1) return null;
      const row = getRow(db, id)!;
      recomputeLocalState(db, row.refund_id, now);
      return row;
    })();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null;
    throw error;
  }
}

/**
 * Start-up without a delegate (the desk left warehouse mode): this desk's delegated rows not finished yet go back to
 * the local worker, due now and re-read before anything is sent (another desk may have sent them meanwhile: an
 * applied confirm is then recorded as applied, never sent twice). Rows mirrored from other desks stay theirs.
 */
export function reclaimDelegated(db: Database.Database, now: number): number {
  return db.transaction(() => {
    const refundIds = statement(db, SQL.reclaim).pluck().all({ now }) as string[];
    for (const refundId of new Set(refundIds)) recomputeLocalState(db, refundId, now);
    return refundIds.length;
  })();
}
