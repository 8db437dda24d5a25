// What inspection adds to confirming receipt: the failed-inspection warning, a queued decision, freight evidence.
import { DeskError } from '../../../common/contract/errors';
import { isFailedInspection, type Inspection } from '../../../common/contract/inspection';
import type { CoreContext } from '../context/context';
import { rowsOfRefund } from '../outbox/store';
import { fileRow, isLinked, latestInspection } from '../evidence/store';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The latest inspection when it failed, else null. A refusal or exchange already queued for the after-sale is
 * a hard stop: the platform would see two contradictory decisions.
 */
export function inspectionWarningOf(ctx: Pick<CoreContext, 'db'>, refundId: string): Inspection | null {
  const decision = rowsOfRefund(ctx.db, refundId).find(
    (r) => (r.kind === 'reject_refund' || r.kind === 'confirm_and_send') && r.state !== 'cancelled' && r.state !== 'conflict',
  );
  if (decision) {
    throw new DeskError('conflict', 'A refusal or exchange of this after-sale is already queued', {
      reason: 'decision_queued',
      kind: decision.kind,
    });
  }
  const latest = latestInspection(ctx.db, refundId);
  return isFailedInspection(latest?.result) ? latest : null;
}

/** Return-freight rejection images named by hash must be photos of this after-sale. */
export function checkFreightImages(ctx: Pick<CoreContext, 'db'>, refundId: string, images: readonly string[]): void {
  for (const image of images) {
    if (!SHA256.test(image)) continue;
    if (!isLinked(ctx.db, refundId, image) || fileRow(ctx.db, image)?.media !== 'photo') {
      throw new DeskError('invalid_input', `Photo ${image.slice(0, 12)}… is not evidence of this after-sale`, {
        issues: [{ path: 'returnFreight.images', message: 'not a photo of this after-sale' }],
      });
    }
  }
}
