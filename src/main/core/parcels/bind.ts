// Binding unmatched parcels to their after-sale: by hand after a search, or by itself when the number turns up.
import { DeskError } from '../../../common/contract/errors';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';
import { readRow } from '../after-sales/store';
import { findByCode } from '../after-sales/lookup';
import { getUnmatched, type UnmatchedParcel } from './parcels';

type BindCtx = Pick<CoreContext, 'db' | 'clock' | 'session' | 'events' | 'logger'>;

function markBound(ctx: Pick<CoreContext, 'db' | 'clock'>, parcelId: string, refundId: string): number {
  return statement(
    ctx.db,
    'UPDATE unmatched_parcels SET resolved_refund_id = ?, resolved_at = ? WHERE id = ? AND resolved_refund_id IS NULL',
  ).run(refundId, ctx.clock.now(), parcelId).changes;
}

/** The operator's own binding: the parcel must still be open and the after-sale in the cache. */
export function bindByHand(ctx: CoreContext, parcelId: string, refundId: string): UnmatchedParcel {
  return ctx.db.transaction(() => {
    const parcel = getUnmatched(ctx, parcelId);
    if (parcel === null) throw new DeskError('not_found', 'No unmatched parcel with this id', { parcelId });
    if (parcel.resolvedRefundId !== null) {
      throw new DeskError('conflict', 'This parcel is already bound to an after-sale', {
        reason: 'already_bound',
        refundId: parcel.resolvedRefundId,
      });
    }
    if (readRow(ctx.db, refundId) === undefined) throw new DeskError('not_found', 'No after-sale with this id in the cache', { refundId });
    markBound(ctx, parcelId, refundId);
    recordAudit(ctx, {
      action: 'parcels.bind',
      outcome: 'bound',
      refundId,
      scannedCode: parcel.code,
      details: { parcelId, how: 'by_hand' },
    });
    return getUnmatched(ctx, parcelId)!;
  })();
}

interface OpenParcel {
  id: string;
  code: string;
  normalized: string;
}

/**
 * Binds every open parcel whose number is now the return waybill (the platform's or one uploaded at the desk) or the
 * original outbound waybill of exactly one after-sale. Several candidates stay for a person to choose.
 */
export function autoBindUnmatched(ctx: BindCtx): { parcelId: string; code: string; refundId: string }[] {
  const open = statement(
    ctx.db,
    'SELECT id, code, normalized FROM unmatched_parcels WHERE resolved_refund_id IS NULL AND normalized IS NOT NULL',
  ).all() as OpenParcel[];
  const bound: { parcelId: string; code: string; refundId: string }[] = [];
  for (const parcel of open) {
    const found = findByCode(ctx, parcel.normalized);
    if (found === null || found.refundIds.length !== 1) continue;
    if (found.matchedBy !== 'return_waybill' && found.matchedBy !== 'outbound_waybill') continue;
    const refundId = found.refundIds[0]!;
    ctx.db.transaction(() => {
      if (markBound(ctx, parcel.id, refundId) === 0) return;
      const onDuty = ctx.session.operatorId;
      recordAudit(ctx, {
        action: 'parcels.autoBind',
        outcome: 'bound',
        refundId,
        scannedCode: parcel.code,
        operator: null,
        details: { parcelId: parcel.id, how: found.matchedBy, onDutyOperatorId: onDuty },
      });
      bound.push({ parcelId: parcel.id, code: parcel.code, refundId });
    })();
  }
  return bound;
}

/** Runs auto-binding whenever after-sales change (sync pages, details, a waybill uploaded at the desk). */
export function installAutoBind(ctx: BindCtx): () => void {
  return ctx.events.subscribe((name) => {
    if (name !== 'afterSales.changed') return;
    try {
      for (const binding of autoBindUnmatched(ctx)) ctx.events.emit('parcels.bound', binding);
    } catch (error) {
      // Never let a listener break the sync page or the upload that emitted the change.
      ctx.logger.warn('auto-binding unmatched parcels failed', { error });
    }
  });
}
