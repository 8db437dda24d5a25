// waybills.submit (代客填写退货单号): validate the number and courier, warn, refuse duplicates unless overridden, queue + audit.
import type { MethodInput, MethodOutput } from '../../../common/contract';
import { DeskError } from '../../../common/contract/errors';
import type { ActionRefusal } from '../../../common/contract/reasons';
import { courierMismatch, detectCourier } from '../../../common/waybill';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { requirePermission } from '../operators/permissions';
import { enqueueWaybillSubmit } from '../outbox/queue';
import { findByReturnWaybill } from '../after-sales/lookup';
import { getAfterSale } from '../after-sales/views';
import { audited, scannedCodeOf } from '../audit-log/audited';
import { waybillRefusalOf } from '../../../common/desk';
import { courierOf, waybillNumberOf } from '../waybills/input';

type Output = MethodOutput<'waybills.submit'>;
type Warning = Output['warnings'][number];

const WAYBILL_REFUSALS: Record<ActionRefusal, string> = {
  already_confirmed: 'Receipt of this after-sale is already confirmed at this desk',
  already_received: 'The platform already records this return as received',
  not_a_return: 'A return waybill can be filled in only for a return-and-refund',
  status: 'A return waybill can be filled in only while the buyer has not shipped (status 30)',
  waybill_status: 'A return waybill can be filled in only while the buyer has not shipped (status 30); record an alias instead',
};

export function submitWaybill(ctx: CoreContext, input: MethodInput<'waybills.submit'>): Promise<Output> {
  return audited(ctx, { action: 'waybill.submit', refundId: input.refundId, scanId: input.scanId }, () => {
    const operator = requirePermission(ctx, 'agree_refund');
    const normalized = waybillNumberOf(input.expressNo);
    const expressNo = normalized.value;
    const courier = courierOf(input.expressCode);
    const afterSale = getAfterSale(ctx, input.refundId);
    if (!afterSale) throw new DeskError('not_found', `No after-sale ${input.refundId} at this desk`, { refundId: input.refundId });
    const refusal = waybillRefusalOf(afterSale);
    if (refusal !== null) {
      // invalid_state, never conflict: on this method conflict always means "the waybill is on another after-sale".
      throw new DeskError('invalid_state', WAYBILL_REFUSALS[refusal], {
        reason: refusal,
        status: afterSale.status,
        handlingWay: afterSale.handlingWay,
      });
    }
    const warnings: Warning[] = [];
    const candidates = detectCourier(expressNo, normalized.courierHint === undefined ? {} : { courierHint: normalized.courierHint });
    if (candidates.length === 0) warnings.push('unknown_shape');
    else if (courierMismatch(candidates, input.expressCode)) warnings.push('courier_mismatch');
    const others = findByReturnWaybill(ctx, expressNo).filter((id) => id !== input.refundId);
    if (others.length > 0) {
      if (!input.overrideDuplicate) {
        throw new DeskError('conflict', 'This waybill is already on another after-sale', {
          reason: 'duplicate_waybill',
          refundIds: others,
        });
      }
      warnings.push('duplicate_waybill');
    }
    return ctx.db.transaction((): Output => {
      const { outboxId } = enqueueWaybillSubmit(ctx, {
        refundId: input.refundId,
        expressNo,
        expressCode: input.expressCode,
        operatorId: operator.id,
      });
      recordAudit(ctx, {
        action: 'waybill.submit',
        outcome: 'queued',
        refundId: input.refundId,
        scannedCode: scannedCodeOf(ctx, input.scanId) ?? input.expressNo,
        overriddenWarning: warnings.includes('duplicate_waybill') ? 'duplicate_waybill' : null,
        details: {
          outboxId,
          expressNo,
          expressCode: input.expressCode,
          courierName: courier.name,
          warnings,
          ...(others.length > 0 ? { alsoOn: others } : {}),
          previous: afterSale.returnWaybill,
          scanId: input.scanId ?? null,
        },
      });
      return { refundId: input.refundId, outboxId, expressNo, warnings };
    })();
  });
}
