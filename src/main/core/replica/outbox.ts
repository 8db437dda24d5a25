// Other desks' shared outbox rows kept for the back office (warehouse mode): what was queued at which desk and how it
// ended, so the statistics count confirms and waybills made anywhere in the warehouse.
import { z } from 'zod';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';

export const replicatedOutboxRowSchema = z.object({
  outboxId: z.string().min(1),
  /** The desk that queued it. */
  deskId: z.string().min(1),
  kind: z.string().min(1),
  refundId: z.string().regex(/^\d+$/),
  state: z.enum(['pending', 'claimed', 'done', 'failed']),
  /** When the origin desk queued it (epoch ms). */
  createdAt: z.number().int(),
});
export type ReplicatedOutboxRow = z.infer<typeof replicatedOutboxRowSchema>;

/** Keeps (or updates the state of) other desks' shared outbox rows; idempotent. Answers how many rows changed. */
export function applyReplicatedOutbox(ctx: Pick<CoreContext, 'db' | 'clock'>, rows: readonly ReplicatedOutboxRow[]): number {
  const upsert = statement(
    ctx.db,
    `INSERT INTO warehouse_outbox (outbox_id, desk_id, kind, refund_id, state, created_at, updated_at)
     VALUES (@outboxId, @deskId, @kind, @refundId, @state, @createdAt, @now)
     ON CONFLICT (outbox_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
       WHERE warehouse_outbox.state IS NOT excluded.state`,
  );
  const now = ctx.clock.now();
  return ctx.db.transaction(() => {
    let changed = 0;
    for (const row of rows) changed += upsert.run({ ...replicatedOutboxRowSchema.parse(row), now }).changes;
    return changed;
  })();
}
