// A shop's pull position shared between desks (warehouse mode): read to publish it, adopted when taking the pull over.
import { z } from 'zod';
import type { CoreContext } from '../context/context';
import { adoptPullPosition, readState, saveOutcome, type PullPosition } from '../sync/state';

const ms = z.number().int();
export const pullPositionSchema = z.object({
  highWaterMark: ms,
  backfillStart: ms,
  backfillHorizon: ms,
  backfillNextEnd: ms,
  backfillDone: z.boolean(),
  windowMs: ms.positive(),
});

/** The shop's pull position at this desk; null before its first pull. */
export function exportPullPosition(ctx: Pick<CoreContext, 'db'>, shopId: string): PullPosition | null {
  const state = readState(ctx.db, shopId);
  if (!state) return null;
  const { highWaterMark, backfillStart, backfillHorizon, backfillNextEnd, backfillDone, windowMs } = state;
  return { highWaterMark, backfillStart, backfillHorizon, backfillNextEnd, backfillDone, windowMs };
}

/**
 * Continues from where the previous puller of the shop stopped, instead of a first backfill of its own.
 * `position` is checked here (it comes from another desk).
 */
export function adoptSharedPullPosition(ctx: Pick<CoreContext, 'db' | 'clock'>, shopId: string, position: unknown): void {
  adoptPullPosition(ctx.db, shopId, pullPositionSchema.parse(position), ctx.clock.now());
}

/**
 * At a desk that does not pull the shop: shows where the shop's pull stands (the puller's position and when it
 * last wrote it), so the desk's sync status reads like the puller's instead of "first sync, day 0" forever.
 * Writes only what changed.
 */
export function mirrorSharedPullPosition(
  ctx: Pick<CoreContext, 'db' | 'clock'>,
  shopId: string,
  position: unknown,
  pulledAt: number,
): void {
  const shared = pullPositionSchema.parse(position);
  const held = exportPullPosition(ctx, shopId);
  if (!held || JSON.stringify(held) !== JSON.stringify(shared)) adoptPullPosition(ctx.db, shopId, shared, ctx.clock.now());
  if ((readState(ctx.db, shopId)?.lastSyncAt ?? null) !== pulledAt) saveOutcome(ctx.db, shopId, pulledAt, null);
}
