// Up: a row queued at this desk goes to the shared outbox under its own id (a repeated push is a no-op); another
// desk's live (or, for a confirm, done) row for the same action on the same after-sale makes it a conflict instead.
import type pg from 'pg';
import type { OutboxRow } from '../../core/outbox/store';
import { enqueueOutbox, type EnqueueOutcome } from '../outbox';
import { parseRows } from '../pool';
import { ONE_TIME_ACTIONS, sharedOutboxRowSchema, toNewAction, type SharedOutboxRow } from './outbox-envelope';

export type PushOutcome =
  /** The shared outbox has the row (new, or pushed before): whichever desk claims it sends it. */
  | { outcome: 'pushed'; row: SharedOutboxRow }
  /** Another desk's row for the same action was there first: this one must not be sent. */
  | { outcome: 'conflict'; existing: SharedOutboxRow };

async function readShared(pool: pg.Pool, outboxId: string): Promise<SharedOutboxRow | null> {
  const result = await pool.query('SELECT * FROM outbox WHERE outbox_id = $1', [outboxId]);
  return parseRows(sharedOutboxRowSchema, result.rows)[0] ?? null;
}

/** Another desk's row that already did this one-time action (a second confirm would only meet "already applied"). */
async function doneElsewhere(pool: pg.PoolClient, row: OutboxRow, deskId: string): Promise<SharedOutboxRow | null> {
  if (!ONE_TIME_ACTIONS.includes(row.kind)) return null;
  const result = await pool.query(
    `SELECT * FROM outbox WHERE shop_id = $1 AND after_sale_id = $2 AND action = $3 AND state = 'done'
       AND origin_desk_id <> $4 AND outbox_id <> $5 ORDER BY updated_at LIMIT 1`,
    [row.shop_id, row.refund_id, row.kind, deskId, row.id],
  );
  return parseRows(sharedOutboxRowSchema, result.rows)[0] ?? null;
}

/** An operator's retry of a conflict: its shared row goes back to pending (unless another live row took its place). */
async function reopenShared(pool: pg.Pool, outboxId: string): Promise<boolean> {
  try {
    const result = await pool.query(
      `UPDATE outbox SET state = 'pending', next_attempt_at = now(), last_error = NULL, result = NULL, updated_at = now()
       WHERE outbox_id = $1 AND state = 'failed'`,
      [outboxId],
    );
    return result.rowCount === 1;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return false; // outbox_one_live_action: another desk's row is live
    throw error;
  }
}

async function liveOther(pool: pg.Pool, row: OutboxRow): Promise<SharedOutboxRow | null> {
  const result = await pool.query(
    `SELECT * FROM outbox WHERE shop_id = $1 AND after_sale_id = $2 AND action = $3 AND state IN ('pending', 'claimed')
       AND outbox_id <> $4`,
    [row.shop_id, row.refund_id, row.kind, row.id],
  );
  return parseRows(sharedOutboxRowSchema, result.rows)[0] ?? null;
}

/**
 * Inserts the row; for a one-time action in one transaction with the check that no other desk's row did it, made
 * after the insert: another desk's live row finishing meanwhile either holds the insert on the unique index until it
 * commits (the check then sees it done) or was done before (the check sees it). Checked before the insert, a row
 * finishing in between went unseen, and this desk's confirm was sent, re-read and recorded as "already applied".
 */
async function enqueueChecked(
  pool: pg.Pool,
  row: OutboxRow,
  deskId: string,
): Promise<EnqueueOutcome | { outcome: 'done_elsewhere'; existing: SharedOutboxRow }> {
  if (!ONE_TIME_ACTIONS.includes(row.kind)) return enqueueOutbox(pool, toNewAction(row, deskId));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const enqueued = await enqueueOutbox(client, toNewAction(row, deskId));
    const done = enqueued.outcome === 'queued' ? await doneElsewhere(client, row, deskId) : null;
    await client.query(done ? 'ROLLBACK' : 'COMMIT');
    return done ? { outcome: 'done_elsewhere', existing: done } : enqueued;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Pushes one due row (throws when the warehouse cannot be reached: the caller keeps it queued here). */
export async function pushRow(pool: pg.Pool, row: OutboxRow, deskId: string): Promise<PushOutcome> {
  const pushedBefore = await readShared(pool, row.id);
  if (pushedBefore) {
    if (pushedBefore.state === 'failed' && !(await reopenShared(pool, row.id))) {
      const existing = await liveOther(pool, row);
      if (existing) return { outcome: 'conflict', existing };
    }
    return { outcome: 'pushed', row: (await readShared(pool, row.id)) ?? pushedBefore };
  }
  const enqueued = await enqueueChecked(pool, row, deskId);
  if (enqueued.outcome === 'done_elsewhere') return { outcome: 'conflict', existing: enqueued.existing };
  if (enqueued.outcome === 'conflict') {
    const existing = await readShared(pool, enqueued.existing.outbox_id);
    if (existing) return { outcome: 'conflict', existing };
  }
  const pushed = await readShared(pool, row.id);
  if (!pushed) throw new Error(`outbox row ${row.id} was pushed but cannot be read back`);
  return { outcome: 'pushed', row: pushed };
}
