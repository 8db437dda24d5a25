// The outbox table: enqueue with the local change in one transaction, conditional claims, state transitions.
import type Database from 'better-sqlite3';
import { LEASE_MS, PROCESS_OWNER, ownerGone } from './owner';
import { z } from 'zod';
import type { LocalState } from '../../../common/contract/after-sales';
import { DeskError } from '../../../common/contract/errors';
import { HandlingWay, judgeConfirm } from '../../../common/desk';
import { OUTBOX_NOTES, conflictReasonSchema, outboxNoteOf, type ConflictReason, type OutboxItem } from '../../../common/contract/sync';
import { waybillKey } from '../../../common/waybill';
import { statement } from '../sql/statements';
import { uuidv7 } from '../kernel/uuid7';

export type OutboxKind = 'submit_waybill' | 'confirm_receipt' | 'reject_refund' | 'confirm_and_send';
export type OutboxState = 'waiting' | 'sending' | 'retrying' | 'done' | 'conflict' | 'cancelled';

const freightSchema = z.discriminatedUnion('advice', [
  z.object({ advice: z.literal('agree'), amount: z.number().int().nonnegative() }),
  z.object({ advice: z.literal('reject'), reason: z.string(), images: z.array(z.string()) }),
]);
export const waybillPayloadSchema = z.object({ expressNo: z.string().min(1), expressCode: z.number().int() });
export const confirmPayloadSchema = z.object({ returnFreight: freightSchema.optional() });
export type WaybillPayload = z.infer<typeof waybillPayloadSchema>;
export type ConfirmPayload = z.infer<typeof confirmPayloadSchema>;

export interface OutboxRow {
  seq: number;
  id: string;
  idempotency_key: string;
  kind: OutboxKind;
  shop_id: string;
  refund_id: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  sends: number;
  needs_recheck: number;
  not_before: number;
  undo_until: number | null;
  last_error: string | null;
  conflict_state: string | null;
  conflict_reason: ConflictReason | null;
  operator_id: string | null;
  created_at: number;
  updated_at: number;
  done_at: number | null;
  /** 1: the row lives in a shared outbox (ctx.outbox.delegate sends it); the local worker leaves it alone. */
  delegated: number;
}

const LIVE = `('waiting', 'sending', 'retrying')`;

/** The outbox's statements, prepared once per database by `statement()`. */
const SQL = {
  byId: `SELECT * FROM outbox WHERE id = ?`,
  ofRefund: `SELECT * FROM outbox WHERE refund_id = ? ORDER BY seq`,
  liveConfirm: `SELECT * FROM outbox WHERE refund_id = ? AND kind = 'confirm_receipt' AND state <> 'cancelled'`,
  countKind: `SELECT count(*) FROM outbox WHERE refund_id = ? AND kind = ?`,
  insert: `INSERT INTO outbox (id, idempotency_key, kind, shop_id, refund_id, payload, state, not_before, undo_until, operator_id, created_at, updated_at)
       VALUES (@id, @key, @kind, @shopId, @refundId, @payload, 'waiting', @notBefore, @undoUntil, @operatorId, @now, @now)`,
  // A delegated row has left for the shared outbox (another desk may be sending it): not ours to cancel any more.
  supersedeWaybills: `UPDATE outbox SET state = 'cancelled', last_error = @note, updated_at = @now
       WHERE refund_id = @refundId AND kind = 'submit_waybill' AND state IN ('waiting', 'retrying') AND sends = 0 AND needs_recheck = 0
         AND delegated = 0`,
  setLocalWaybill: `UPDATE after_sales SET local_express_no = ?, local_express_code = ?, local_waybill_norm = ? WHERE refund_id = ?`,
  undo: `UPDATE outbox SET state = 'cancelled', last_error = @note, updated_at = @now
       WHERE refund_id = @refundId AND kind = 'confirm_receipt' AND state = 'waiting' AND sends = 0 AND undo_until > @now`,
  claim: `UPDATE outbox SET state = 'sending', attempts = attempts + 1, owner = @owner, lease_until = @leaseUntil, updated_at = @now
       WHERE id = @id AND state IN ('waiting', 'retrying') AND not_before <= @now`,
  countSend: `UPDATE outbox SET sends = sends + 1, needs_recheck = 1, updated_at = ? WHERE id = ? AND state = 'sending'`,
  done: `UPDATE outbox SET state = 'done', needs_recheck = 0, last_error = @note, conflict_state = NULL, done_at = @now, updated_at = @now
       WHERE id = @id AND state = 'sending'`,
  retry: `UPDATE outbox SET state = 'retrying', not_before = @notBefore, last_error = @error, needs_recheck = @recheck, updated_at = @now
       WHERE id = @id AND state = 'sending'`,
  conflict: `UPDATE outbox SET state = 'conflict', last_error = @error, conflict_state = @fresh, conflict_reason = @reason, updated_at = @now
       WHERE id = @id AND state = 'sending'`,
  closeConflict: `UPDATE outbox SET state = @state, last_error = @note, done_at = CASE WHEN @state = 'done' THEN @now ELSE done_at END, updated_at = @now
       WHERE id = @id AND state = 'conflict'`,
  // Another desk did the same action: the operator is told even when the platform shows it done (two parcels, or
  // two people, for one after-sale is worth a look), so those conflicts stay until dismissed.
  conflictsOf: `SELECT * FROM outbox WHERE refund_id = ? AND state = 'conflict' AND coalesce(conflict_reason, '') <> 'other_desk'`,
  // A delegated row reopened is handed over again (its shared copy is reopened there).
  reopen: `UPDATE outbox SET state = 'retrying', needs_recheck = 1, not_before = @now, attempts = 0, delegated = 0, updated_at = @now
       WHERE id = @id AND state IN ('conflict', 'retrying')`,
  recover: `UPDATE outbox SET state = 'retrying', needs_recheck = 1, owner = NULL, lease_until = NULL, updated_at = @now
       WHERE id = @id AND state = 'sending'`,
  inFlight: `SELECT id, refund_id, owner, lease_until FROM outbox WHERE state = 'sending' AND delegated = 0`,
  unadopted: `SELECT 1 FROM after_sales a WHERE a.refund_id = ? AND a.local_state = 'none'
       AND EXISTS (SELECT 1 FROM outbox o WHERE o.refund_id = a.refund_id AND o.state <> 'cancelled')`,
  setLocalState: `UPDATE after_sales SET local_state = ? WHERE refund_id = ?`,
  // Due rows whose after-sale has no earlier row still to go: per after-sale, strictly in order.
  due: `SELECT o.* FROM outbox o
       WHERE o.state IN ('waiting', 'retrying') AND o.not_before <= @now AND o.delegated = 0
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.refund_id = o.refund_id AND e.seq < o.seq AND e.state IN ${LIVE})
       ORDER BY o.not_before, o.seq LIMIT @limit`,
  nextDue: `SELECT min(o.not_before) FROM outbox o WHERE o.state IN ('waiting', 'retrying') AND o.delegated = 0
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.refund_id = o.refund_id AND e.seq < o.seq AND e.state IN ${LIVE})`,
  counts: `SELECT sum(state IN ${LIVE}) AS pending, sum(state = 'conflict') AS conflicts FROM outbox`,
  list: `SELECT * FROM outbox WHERE (@states IS NULL OR state IN (SELECT value FROM json_each(@states))) ORDER BY seq DESC LIMIT @limit`,
};

/**
 * An after-sale row just written (new here, or taken from the platform) whose local state still says 'none' while
 * outbox rows of it exist: they came first (another desk's row followed down, or a claimed row re-read into a
 * cache that did not have the after-sale), and their state was written to no row then. Derived now.
 */
export function adoptOutboxState(db: Database.Database, refundId: string, now: number): void {
  if (statement(db, SQL.unadopted).get(refundId)) recomputeLocalState(db, refundId, now);
}

export function getRow(db: Database.Database, id: string): OutboxRow | undefined {
  return statement(db, SQL.byId).get(id) as OutboxRow | undefined;
}

export function rowsOfRefund(db: Database.Database, refundId: string): OutboxRow[] {
  return statement(db, SQL.ofRefund).all(refundId) as OutboxRow[];
}

/** The after-sale's local state, derived from its outbox rows; written back so list filters can use it. */
export function recomputeLocalState(db: Database.Database, refundId: string, now: number): LocalState {
  const rows = rowsOfRefund(db, refundId).filter((r) => r.state !== 'cancelled');
  const live = (r: OutboxRow) => r.state === 'waiting' || r.state === 'sending' || r.state === 'retrying';
  const confirm = rows.find((r) => r.kind === 'confirm_receipt');
  let state: LocalState = 'none';
  if (rows.some((r) => r.state === 'conflict')) state = 'conflict';
  else if (confirm && confirm.state === 'waiting' && confirm.sends === 0 && (confirm.undo_until ?? 0) > now) state = 'confirm_pending';
  else if (confirm && live(confirm)) state = 'confirm_sending';
  else if (rows.some((r) => r.kind === 'submit_waybill' && live(r))) state = 'waybill_pending';
  else if (confirm?.state === 'done') state = 'confirmed';
  statement(db, SQL.setLocalState).run(state, refundId);
  return state;
}

/** undoUntil and the latest conflict of an after-sale (typed code, platform's words), for its view. */
export function localDetails(
  db: Database.Database,
  refundId: string,
  now: number,
): { undoUntil: number | null; conflictCode: ConflictReason | null; conflictReason: string | null } {
  const rows = rowsOfRefund(db, refundId);
  const confirm = rows.find((r) => r.kind === 'confirm_receipt' && r.state === 'waiting' && r.sends === 0 && (r.undo_until ?? 0) > now);
  const conflict = [...rows].reverse().find((r) => r.state === 'conflict');
  return {
    undoUntil: confirm?.undo_until ?? null,
    conflictCode: conflict ? (conflictReasonSchema.safeParse(conflict.conflict_reason).data ?? 'refused') : null,
    conflictReason: conflict?.last_error ?? null,
  };
}

/** The few cached facts of an after-sale the outbox's rules read (the cache is after-sales/'s; `local_*` columns are ours). */
interface AfterSaleFacts {
  shop_id: string;
  handling_way: number;
  status: number;
  receipt_status: number;
  return_waybill_norm: string | null;
}

export function readFacts(db: Database.Database, refundId: string): AfterSaleFacts | undefined {
  return statement(
    db,
    `SELECT shop_id, handling_way, status, receipt_status, return_waybill_norm FROM after_sales WHERE refund_id = ?`,
  ).get(refundId) as AfterSaleFacts | undefined;
}

function requireRow(db: Database.Database, refundId: string) {
  const row = readFacts(db, refundId);
  if (!row) throw new DeskError('not_found', `No after-sale ${refundId} in the local cache`, { refundId });
  return row;
}

export function enqueueWaybill(
  db: Database.Database,
  now: number,
  req: { refundId: string; expressNo: string; expressCode: number; operatorId: string | null },
): { outboxId: string } {
  return db.transaction(() => {
    const row = requireRow(db, req.refundId);
    const norm = waybillKey(req.expressNo);
    const base = `submit_waybill:${req.refundId}:${norm}:${req.expressCode}`;
    // The same waybill queued again (a double Enter) is the same action.
    const same = rowsOfRefund(db, req.refundId).find(
      (r) =>
        r.kind === 'submit_waybill' &&
        r.idempotency_key.startsWith(base + '#') &&
        (r.state === 'waiting' || r.state === 'sending' || r.state === 'retrying'),
    );
    if (same) return { outboxId: same.id };
    statement(db, SQL.supersedeWaybills).run({ refundId: req.refundId, now, note: OUTBOX_NOTES.superseded });
    const id = uuidv7(now);
    const payload: WaybillPayload = { expressNo: req.expressNo, expressCode: req.expressCode };
    const n = statement(db, SQL.countKind).pluck().get(req.refundId, 'submit_waybill') as number;
    statement(db, SQL.insert).run({
      id,
      key: `${base}#${n + 1}`,
      kind: 'submit_waybill',
      shopId: row.shop_id,
      refundId: req.refundId,
      payload: JSON.stringify(waybillPayloadSchema.parse(payload)),
      notBefore: now,
      undoUntil: null,
      operatorId: req.operatorId,
      now,
    });
    statement(db, SQL.setLocalWaybill).run(req.expressNo, req.expressCode, norm, req.refundId);
    recomputeLocalState(db, req.refundId, now);
    return { outboxId: id };
  })();
}

export function enqueueConfirm(
  db: Database.Database,
  now: number,
  undoWindowMs: number,
  req: { refundId: string; returnFreight?: ConfirmPayload['returnFreight']; operatorId: string | null },
): { outboxId: string; undoUntil: number } {
  return db.transaction(() => {
    const row = requireRow(db, req.refundId);
    if (row.handling_way !== HandlingWay.RETURN_AND_REFUND) {
      throw new DeskError('invalid_state', 'Only a return-and-refund after-sale (handlingWay 1) can be confirmed as received', {
        refundId: req.refundId,
        handlingWay: row.handling_way,
      });
    }
    const existing = statement(db, SQL.liveConfirm).get(req.refundId) as OutboxRow | undefined;
    if (existing) return { outboxId: existing.id, undoUntil: existing.undo_until ?? existing.created_at };
    const id = uuidv7(now);
    const undoUntil = now + undoWindowMs;
    const n = statement(db, SQL.countKind).pluck().get(req.refundId, 'confirm_receipt') as number;
    const payload = confirmPayloadSchema.parse(req.returnFreight ? { returnFreight: req.returnFreight } : {});
    statement(db, SQL.insert).run({
      id,
      key: `confirm_receipt:${req.refundId}#${n + 1}`,
      kind: 'confirm_receipt',
      shopId: row.shop_id,
      refundId: req.refundId,
      payload: JSON.stringify(payload),
      notBefore: undoUntil,
      undoUntil,
      operatorId: req.operatorId,
      now,
    });
    recomputeLocalState(db, req.refundId, now);
    return { outboxId: id, undoUntil };
  })();
}

/** Cancels a confirm still inside its undo window; nothing has left the machine, so no platform call is needed. */
export function undoConfirm(db: Database.Database, now: number, refundId: string): boolean {
  return db.transaction(() => {
    const changed = statement(db, SQL.undo).run({ refundId, now, note: OUTBOX_NOTES.undone }).changes > 0;
    if (changed) recomputeLocalState(db, refundId, now);
    return changed;
  })();
}

/** Takes a due row for sending; false when someone else took it, it was undone, or it is not due. */
export function claim(db: Database.Database, id: string, refundId: string, now: number, owner = PROCESS_OWNER): boolean {
  return db.transaction(() => {
    const ok = statement(db, SQL.claim).run({ id, now, owner, leaseUntil: now + LEASE_MS }).changes === 1;
    if (ok) recomputeLocalState(db, refundId, now);
    return ok;
  })();
}

/** Recorded BEFORE the request leaves: from here on the write may have been applied, so a restart re-checks first. */
export function countSend(db: Database.Database, id: string, now: number): void {
  statement(db, SQL.countSend).run(now, id);
}

export function markDone(db: Database.Database, row: OutboxRow, now: number, note: string | null): void {
  db.transaction(() => {
    statement(db, SQL.done).run({ id: row.id, now, note });
    recomputeLocalState(db, row.refund_id, now);
  })();
}

export function markRetry(db: Database.Database, row: OutboxRow, now: number, notBefore: number, error: string, recheck: boolean): void {
  db.transaction(() => {
    statement(db, SQL.retry).run({ id: row.id, now, notBefore, error: error.slice(0, 1000), recheck: recheck ? 1 : 0 });
    recomputeLocalState(db, row.refund_id, now);
  })();
}

export function markConflict(
  db: Database.Database,
  row: OutboxRow,
  now: number,
  error: string,
  fresh: unknown,
  reason: ConflictReason = 'refused',
): void {
  db.transaction(() => {
    statement(db, SQL.conflict).run({
      id: row.id,
      now,
      error: error.slice(0, 1000),
      fresh: fresh === undefined ? null : JSON.stringify(fresh),
      reason,
    });
    recomputeLocalState(db, row.refund_id, now);
  })();
}

/** The operator closes a conflict (settled another way, or dropped) with a reason; false when it is no conflict any more. */
export function dismissConflict(db: Database.Database, row: OutboxRow, now: number, note: string): boolean {
  return db.transaction(() => {
    const ok = statement(db, SQL.closeConflict).run({ id: row.id, now, state: 'cancelled', note: note.slice(0, 1000) }).changes === 1;
    if (ok) recomputeLocalState(db, row.refund_id, now);
    return ok;
  })();
}

/**
 * Conflicts whose goal the platform shows as reached some other way (received; our waybill on record) close
 * themselves as done. Runs whenever the cache takes a newer platform state of the after-sale.
 */
export function closeReachedConflicts(db: Database.Database, refundId: string, now: number): number {
  const conflicts = statement(db, SQL.conflictsOf).all(refundId) as OutboxRow[];
  if (conflicts.length === 0) return 0;
  const afterSale = readFacts(db, refundId);
  if (!afterSale) return 0;
  const facts = { status: afterSale.status, handlingWay: afterSale.handling_way, receiptStatus: afterSale.receipt_status };
  let closed = 0;
  db.transaction(() => {
    for (const row of conflicts) {
      const reached =
        row.kind === 'confirm_receipt'
          ? judgeConfirm(facts).kind === 'applied'
          : afterSale.return_waybill_norm !== null &&
            afterSale.return_waybill_norm === waybillKey(waybillPayloadSchema.parse(JSON.parse(row.payload)).expressNo);
      if (reached)
        closed += statement(db, SQL.closeConflict).run({ id: row.id, now, state: 'done', note: OUTBOX_NOTES.reached_elsewhere }).changes;
    }
    if (closed > 0) recomputeLocalState(db, refundId, now);
  })();
  return closed;
}

/** Operator retry of a conflict (or a waiting retry, now): always re-read before anything is sent again. */
export function reopen(db: Database.Database, row: OutboxRow, now: number): boolean {
  return db.transaction(() => {
    const ok = statement(db, SQL.reopen).run({ id: row.id, now }).changes === 1;
    if (ok) recomputeLocalState(db, row.refund_id, now);
    return ok;
  })();
}

/**
 * Start-up: rows caught 'sending' by a crash may or may not have reached the platform; re-check before any
 * re-send. Only rows whose owner is gone are touched: a live owner's send is its own business.
 */
export function recoverInFlight(db: Database.Database, now: number, me = PROCESS_OWNER): number {
  return db.transaction(() => {
    const rows = statement(db, SQL.inFlight).all() as { id: string; refund_id: string; owner: string | null; lease_until: number | null }[];
    let changed = 0;
    for (const row of rows.filter((r) => ownerGone(r.owner, r.lease_until, now, me))) {
      changed += statement(db, SQL.recover).run({ id: row.id, now }).changes;
      recomputeLocalState(db, row.refund_id, now);
    }
    return changed;
  })();
}

export function dueRows(db: Database.Database, now: number, limit = 50): OutboxRow[] {
  return statement(db, SQL.due).all({ now, limit }) as OutboxRow[];
}

export function nextDueAt(db: Database.Database): number | null {
  return (statement(db, SQL.nextDue).pluck().get() as number | null) ?? null;
}

export function outboxCounts(db: Database.Database): { pending: number; conflicts: number } {
  const r = statement(db, SQL.counts).get() as { pending: number | null; conflicts: number | null };
  return { pending: r.pending ?? 0, conflicts: r.conflicts ?? 0 };
}

export function listRows(db: Database.Database, states: OutboxState[] | undefined, limit: number): OutboxRow[] {
  return statement(db, SQL.list).all({ states: states ? JSON.stringify(states) : null, limit }) as OutboxRow[];
}

export function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    kind: row.kind,
    shopId: row.shop_id,
    refundId: row.refund_id,
    state: row.state,
    attempts: row.attempts,
    notBefore: row.not_before,
    // A cancelled row that had a conflict was dismissed by an operator: lastError is that operator's reason.
    note: outboxNoteOf(row.last_error) ?? (row.state === 'cancelled' && row.conflict_reason !== null ? 'dismissed' : null),
    lastError: outboxNoteOf(row.last_error) ? null : row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    operatorName: row.operator_id,
    conflictReason: row.state === 'conflict' ? (conflictReasonSchema.safeParse(row.conflict_reason).data ?? 'refused') : null,
  };
}
