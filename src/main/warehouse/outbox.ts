// The shared outbox: desks claim rows with FOR UPDATE SKIP LOCKED, an owner and a lease on the database's clock.
import type pg from 'pg';
import { z } from 'zod';
import { WarehouseError } from './errors';
import { parseRows, int8Schema } from './pool';

const epochMs = z.date().transform((date) => date.getTime());

export const outboxRowSchema = z.object({
  outbox_id: z.string().uuid(),
  shop_id: int8Schema,
  after_sale_id: int8Schema,
  action: z.string().min(1),
  payload: z.unknown(),
  origin_desk_id: z.string(),
  operator_id: z.string().uuid().nullable(),
  state: z.enum(['pending', 'claimed', 'done', 'failed']),
  owner: z.string().nullable(),
  lease_until: epochMs.nullable(),
  epoch: int8Schema,
  attempts: z.number().int().nonnegative(),
  last_error: z.string().nullable(),
  result: z.unknown(),
  seq: int8Schema,
});
export type OutboxRow = z.infer<typeof outboxRowSchema>;

export interface NewOutboxAction {
  /** UUIDv7 made at the desk, so a push repeated after a crash is a no-op. */
  outboxId: string;
  shopId: string;
  afterSaleId: string;
  action: string;
  payload: unknown;
  originDeskId: string;
  operatorId?: string | null;
}

/** What a desk holds after a claim: the fencing triple every later statement checks. */
export interface OutboxClaim {
  row: OutboxRow;
  outboxId: string;
  owner: string;
  epoch: string;
}

export type EnqueueOutcome =
  | { outcome: 'queued' }
  | { outcome: 'already_pushed' }
  /** Another desk already queued the same action on this after-sale: the operator is told, nothing is sent twice. */
  | { outcome: 'conflict'; existing: OutboxRow };

const leaseInterval = (leaseMs: number) => {
  if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0) throw new RangeError(`lease must be a positive number of ms (got ${leaseMs})`);
  return `${leaseMs} milliseconds`;
};

export async function enqueueOutbox(pool: pg.Pool | pg.PoolClient, action: NewOutboxAction): Promise<EnqueueOutcome> {
  const inserted = await pool.query(
    `INSERT INTO outbox (outbox_id, shop_id, after_sale_id, action, payload, origin_desk_id, operator_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [
      action.outboxId,
      action.shopId,
      action.afterSaleId,
      action.action,
      JSON.stringify(action.payload),
      action.originDeskId,
      action.operatorId ?? null,
    ],
  );
  if (inserted.rowCount === 1) return { outcome: 'queued' };
  const same = await pool.query('SELECT 1 FROM outbox WHERE outbox_id = $1', [action.outboxId]);
  if (same.rowCount === 1) return { outcome: 'already_pushed' };
  const live = await pool.query(
    "SELECT * FROM outbox WHERE shop_id = $1 AND after_sale_id = $2 AND action = $3 AND state IN ('pending', 'claimed')",
    [action.shopId, action.afterSaleId, action.action],
  );
  const existing = parseRows(outboxRowSchema, live.rows)[0];
  // The live row finished between the insert and this read: queue again (a later confirm is re-read first anyway).
  return existing ? { outcome: 'conflict', existing } : enqueueOutbox(pool, action);
}

/**
 * Claims up to `limit` rows that are due: pending ones, and claimed ones whose lease has run out (their desk
 * died or lost the link). Rows locked by another claimer are skipped, so concurrent desks never wait on or
 * take the same row; each claim bumps the row's epoch, fencing out the previous owner.
 */
export async function claimOutbox(
  pool: pg.Pool,
  owner: string,
  options: { limit?: number; leaseMs: number; shopIds?: readonly string[] },
): Promise<OutboxClaim[]> {
  const result = await pool.query(
    `WITH due AS (
       SELECT outbox_id FROM outbox
       WHERE ((state = 'pending' AND next_attempt_at <= now()) OR (state = 'claimed' AND lease_until < now()))
         AND ($3::text[] IS NULL OR shop_id = ANY ($3::text[]))
       ORDER BY next_attempt_at, outbox_id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE outbox o SET state = 'claimed', owner = $1, lease_until = now() + $4::interval,
       epoch = o.epoch + 1, attempts = o.attempts + 1, updated_at = now()
     FROM due WHERE o.outbox_id = due.outbox_id
     RETURNING o.*`,
    [owner, options.limit ?? 10, options.shopIds ?? null, leaseInterval(options.leaseMs)],
  );
  return parseRows(outboxRowSchema, result.rows).map((row) => ({ row, outboxId: row.outbox_id, owner, epoch: row.epoch }));
}

/** Extends the lease while a platform call is slow; false when the row is no longer this claim's. */
export async function renewLease(pool: pg.Pool, claim: OutboxClaim, leaseMs: number): Promise<boolean> {
  const result = await pool.query(
    `UPDATE outbox SET lease_until = now() + $4::interval, updated_at = now()
     WHERE outbox_id = $1 AND owner = $2 AND epoch = $3 AND state = 'claimed'`,
    [claim.outboxId, claim.owner, claim.epoch, leaseInterval(leaseMs)],
  );
  return result.rowCount === 1;
}

/** Records the platform's answer, only if this claim still owns the row (same statement: no check-then-act gap). */
export async function completeOutbox(
  pool: pg.Pool,
  claim: OutboxClaim,
  outcome: { state: 'done' | 'failed'; result: unknown; error?: string },
): Promise<void> {
  const result = await pool.query(
    `UPDATE outbox SET state = $4, result = $5, last_error = $6, owner = NULL, lease_until = NULL, updated_at = now()
     WHERE outbox_id = $1 AND owner = $2 AND epoch = $3 AND state = 'claimed'`,
    [claim.outboxId, claim.owner, claim.epoch, outcome.state, JSON.stringify(outcome.result ?? null), outcome.error ?? null],
  );
  if (result.rowCount !== 1) throw leaseLost(claim);
}

/** Gives a row back for a later attempt (transient trouble), again only while this claim owns it. */
export async function releaseOutbox(pool: pg.Pool, claim: OutboxClaim, retry: { afterMs: number; error: string }): Promise<void> {
  const result = await pool.query(
    `UPDATE outbox SET state = 'pending', owner = NULL, lease_until = NULL, last_error = $5,
       next_attempt_at = now() + $4::interval, updated_at = now()
     WHERE outbox_id = $1 AND owner = $2 AND epoch = $3 AND state = 'claimed'`,
    [claim.outboxId, claim.owner, claim.epoch, `${Math.max(0, Math.round(retry.afterMs))} milliseconds`, retry.error],
  );
  if (result.rowCount !== 1) throw leaseLost(claim);
}

/**
 * Runs `work` (the platform call with its timeout and retries) while renewing the claim's lease every third of
 * `leaseMs`. If a renewal is refused (another desk took the row over) or fails (warehouse unreachable), the
 * signal given to `work` is aborted with a warehouse_lease_lost error, so it stops before sending anything more.
 */
export async function workUnderLease<T>(
  pool: pg.Pool,
  claim: OutboxClaim,
  leaseMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = renewLease(pool, claim, leaseMs).then(
        (kept) => {
          if (!kept) controller.abort(leaseLost(claim));
        },
        (error: unknown) => controller.abort(error),
      );
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  try {
    return await work(controller.signal);
  } finally {
    clearInterval(timer);
    await renewing;
  }
}

export async function readOutboxRow(pool: pg.Pool, outboxId: string): Promise<OutboxRow | null> {
  const result = await pool.query('SELECT * FROM outbox WHERE outbox_id = $1', [outboxId]);
  return parseRows(outboxRowSchema, result.rows)[0] ?? null;
}

function leaseLost(claim: OutboxClaim): WarehouseError {
  return new WarehouseError(
    'warehouse_lease_lost',
    `Outbox row ${claim.outboxId} is no longer claimed by ${claim.owner} (epoch ${claim.epoch}); another desk took it over.`,
    { outboxId: claim.outboxId, owner: claim.owner, epoch: claim.epoch },
  );
}
