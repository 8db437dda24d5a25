// A shop's pull position shared between desks (warehouse mode): read to publish it, adopted when taking the pull over.
import { z } from 'zod';
import type { CoreContext } from '../context/context';
import { adoptPullPosition, readState, type PullPosition } from '../sync/state';

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
