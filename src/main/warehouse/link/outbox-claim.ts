// Drain: the shared rows this desk may send now, claimed with an owner and a lease (FOR UPDATE SKIP LOCKED), and the
// outcome of the desk's send recorded under that claim (complete or release; refused once the lease was lost).
import type pg from 'pg';
import type { OutboxRow } from '../../core/outbox/store';
import { completeOutbox, releaseOutbox, type OutboxClaim } from '../outbox';
import { parseRows } from '../pool';
import { sharedOutboxRowSchema, type SharedOutboxRow } from './outbox-envelope';

export interface SharedClaim extends OutboxClaim {
  row: SharedOutboxRow;
}

/**
 * Like claimOutbox (warehouse/outbox.ts) with what a desk can send: only shops it has a client for, rows naming
 * evidence only at their origin desk, and per after-sale only its oldest live row (a waybill before the confirm).
 */
export async function claimSendable(
  pool: pg.Pool,
  options: {
    owner: string;
    deskId: string;
    shopIds: readonly string[];
    limit: number;
    leaseMs: number;
    /** Rows this desk found it cannot send (it holds its own row of the same action): left to the other desks. */
    skip?: readonly string[];
  },
): Promise<SharedClaim[]> {
  if (options.shopIds.length === 0) return [];
  const result = await pool.query(
    `WITH due AS (
       SELECT o.outbox_id FROM outbox o
       WHERE ((o.state = 'pending' AND o.next_attempt_at <= now()) OR (o.state = 'claimed' AND o.lease_until < now()))
         AND o.shop_id = ANY ($3::text[])
         AND (NOT coalesce((o.payload ->> 'originOnly')::boolean, false) OR o.origin_desk_id = $5)
         AND o.outbox_id::text <> ALL ($6::text[])
         AND NOT EXISTS (
           SELECT 1 FROM outbox e
           WHERE e.shop_id = o.shop_id AND e.after_sale_id = o.after_sale_id AND e.state IN ('pending', 'claimed')
             AND (e.created_at, e.outbox_id) < (o.created_at, o.outbox_id))
       ORDER BY o.next_attempt_at, o.outbox_id
       LIMIT $2
       FOR UPDATE OF o SKIP LOCKED
     )
     UPDATE outbox o SET state = 'claimed', owner = $1, lease_until = now() + $4::interval,
       epoch = o.epoch + 1, attempts = o.attempts + 1, updated_at = now()
     FROM due WHERE o.outbox_id = due.outbox_id
     RETURNING o.*`,
    [options.owner, options.limit, options.shopIds, `${options.leaseMs} milliseconds`, options.deskId, options.skip ?? []],
  );
  return parseRows(sharedOutboxRowSchema, result.rows).map((row) => ({
    row,
    outboxId: row.outbox_id,
    owner: options.owner,
    epoch: row.epoch,
  }));
}

/** The local row's state after the worker's send, recorded on the shared row (done, failed as a conflict, or retry). */
export async function recordOutcome(
  pool: pg.Pool,
  claim: SharedClaim,
  local: OutboxRow | undefined,
  now: number,
  deskId: string,
): Promise<void> {
  switch (local?.state) {
    case 'done':
      await completeOutbox(pool, claim, { state: 'done', result: { by: deskId, note: local.last_error } });
      return;
    case 'conflict':
      await completeOutbox(pool, claim, {
        state: 'failed',
        result: {
          by: deskId,
          reason: local.conflict_reason ?? 'refused',
          text: local.last_error ?? '',
          fresh: local.conflict_state === null ? undefined : (JSON.parse(local.conflict_state) as unknown),
        },
        error: local.last_error ?? undefined,
      });
      return;
    case 'retrying':
      await releaseOutbox(pool, claim, { afterMs: Math.max(0, local.not_before - now), error: local.last_error ?? 'retry' });
      return;
    default:
      // Not sent from here after all (the local row moved meanwhile): give it back at once.
      await releaseOutbox(pool, claim, { afterMs: 0, error: `not sent by desk ${deskId} (local state ${local?.state ?? 'missing'})` });
  }
}
