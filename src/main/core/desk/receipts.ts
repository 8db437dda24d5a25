// receipts.confirm / confirmBatch / undo (确认收货): the platform's preconditions, the return-freight decision, the insurance rule.
import type { MethodInput, MethodOutput } from '../../../common/contract';
import { FREIGHT_IMAGES_REQUIRED, RETURN_FREIGHT_REJECT } from '../../../common/contract/desk';
import { DeskError, isDeskError } from '../../../common/contract/errors';
import { deskReasonOf } from '../../../common/contract/reasons';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { requirePermission } from '../operators/permissions';
import type { OperatorRecord } from '../operators/store';
import { enqueueConfirm, undoConfirm } from '../outbox/queue';
import { getAfterSale } from '../after-sales/views';
import { audited, scannedCodeOf } from '../audit-log/audited';
import { confirmRefusalOf, insuranceWarningOf } from '../../../common/desk';
import { checkFreightImages, inspectionWarningOf } from '../inspection/confirm-guard';

type ConfirmInput = MethodInput<'receipts.confirm'>;
type ConfirmOutput = MethodOutput<'receipts.confirm'>;
type BatchOutput = MethodOutput<'receipts.confirmBatch'>;
type FreightDecision = { advice: 'agree'; amount: number } | { advice: 'reject'; reason: string; images: string[] };

/** Checks one confirm against the after-sale as the desk knows it; queues it with its audit entry in one transaction. */
function confirmOne(ctx: CoreContext, operator: OperatorRecord, input: ConfirmInput): ConfirmOutput {
  const { refundId } = input;
  const afterSale = getAfterSale(ctx, refundId);
  if (!afterSale) throw new DeskError('not_found', `No after-sale ${refundId} at this desk`, { refundId });
  const refusal = confirmRefusalOf(afterSale);
  if (refusal === 'already_confirmed') {
    throw new DeskError('conflict', 'Receipt of this after-sale is already confirmed at this desk', {
      reason: refusal,
      state: afterSale.local.state,
    });
  }
  if (refusal !== null) {
    const message =
      refusal === 'not_a_return'
        ? 'Only a return-and-refund (退货退款) can be confirmed as received'
        : refusal === 'already_received'
          ? 'The platform already records this return as received'
          : `Status ${afterSale.status} does not allow confirming receipt (22, 30 or 40 do)`;
    throw new DeskError('invalid_state', message, { reason: refusal, handlingWay: afterSale.handlingWay, status: afterSale.status });
  }
  // A money event on a half-known after-sale is not worth the risk: the return-freight claim and the return
  // waybill live in the detail, which the platform changed since we read it (or we never did).
  if (!afterSale.detailSynced) {
    throw new DeskError('conflict', 'The after-sale changed on the platform since its details were read; sync and try again', {
      reason: 'detail_not_synced',
    });
  }
  const claim = afterSale.returnFreight;
  let freight: FreightDecision | undefined;
  if (claim !== null) {
    if (!input.returnFreight) {
      throw new DeskError('invalid_input', 'The buyer claims return postage: agree or reject it before confirming', {
        reason: 'return_freight_decision_required',
        claim,
        issues: [{ path: 'returnFreight', message: 'required: the after-sale has a return-freight claim' }],
      });
    }
    const decision = input.returnFreight;
    if (decision.advice === 'reject' && (decision.images ?? []).length < RETURN_FREIGHT_REJECT.minImages) {
      throw new DeskError(
        'invalid_input',
        'Rejecting the return-freight claim needs at least one photo as evidence: the platform requires images with a rejection',
        {
          reason: FREIGHT_IMAGES_REQUIRED,
          issues: [{ path: 'returnFreight.images', message: 'at least one image URL is required to reject' }],
        },
      );
    }
    freight =
      input.returnFreight.advice === 'agree'
        ? { advice: 'agree', amount: claim.amount }
        : { advice: 'reject', reason: input.returnFreight.reason, images: input.returnFreight.images ?? [] };
  } else if (input.returnFreight) {
    throw new DeskError('invalid_input', 'This after-sale has no return-freight claim to decide on', {
      reason: 'no_return_freight_claim',
      issues: [{ path: 'returnFreight', message: 'must be absent: no return-freight claim' }],
    });
  }
  if (freight?.advice === 'reject') checkFreightImages(ctx, refundId, freight.images);
  const inspection = inspectionWarningOf(ctx, refundId);
  if (inspection && !input.overrideInspectionWarning) {
    throw new DeskError('conflict', `This parcel was inspected as failed (${inspection.result}): refuse it, or confirm and refund anyway`, {
      reason: 'inspection_failed',
      result: inspection.result,
      note: inspection.note,
      refundId,
    });
  }
  const warning = insuranceWarningOf(afterSale);
  if (warning !== 'none' && !input.overrideInsuranceWarning) {
    throw new DeskError(
      'conflict',
      warning === 'required'
        ? "The buyer has freight insurance and no return waybill is on record: upload the buyer's waybill first, or confirm anyway"
        : 'No return waybill is on record and whether the order has freight insurance is not known yet',
      { reason: 'insurance_warning', warning, refundId },
    );
  }
  return ctx.db.transaction((): ConfirmOutput => {
    const queued = enqueueConfirm(ctx, { refundId, ...(freight ? { returnFreight: freight } : {}), operatorId: operator.id });
    recordAudit(ctx, {
      action: 'receipt.confirm',
      outcome: 'queued',
      refundId,
      scannedCode: scannedCodeOf(ctx, input.scanId),
      overriddenWarning:
        [warning === 'none' ? null : `insurance_${warning}`, inspection ? `inspection_${inspection.result}` : null]
          .filter(Boolean)
          .join(',') || null,
      details: {
        outboxId: queued.outboxId,
        undoUntil: queued.undoUntil,
        status: afterSale.status,
        refundFee: afterSale.refundFee,
        returnFreight: freight ?? null,
        scanId: input.scanId ?? null,
      },
    });
    return {
      refundId,
      outboxId: queued.outboxId,
      undoUntil: queued.undoUntil,
      returnFreightAmount: freight?.advice === 'agree' ? freight.amount : null,
    };
  })();
}

export function confirmReceipt(ctx: CoreContext, input: ConfirmInput): Promise<ConfirmOutput> {
  return audited(ctx, { action: 'receipt.confirm', refundId: input.refundId, scanId: input.scanId }, () =>
    confirmOne(ctx, requirePermission(ctx, 'agree_refund'), input),
  );
}

/** Each item is checked and queued on its own; one refusal does not stop the others. */
export async function confirmBatch(ctx: CoreContext, input: MethodInput<'receipts.confirmBatch'>): Promise<BatchOutput> {
  const operator = await audited(ctx, { action: 'receipt.confirmBatch', refundId: null }, () => requirePermission(ctx, 'agree_refund'));
  const results: BatchOutput['results'] = [];
  for (const item of input.items) {
    try {
      const result = await audited(ctx, { action: 'receipt.confirm', refundId: item.refundId, scanId: item.scanId }, () =>
        confirmOne(ctx, operator, item),
      );
      results.push({ ok: true, refundId: item.refundId, result });
    } catch (error) {
      if (!isDeskError(error)) throw error;
      const reason = deskReasonOf(error.details);
      results.push({
        ok: false,
        refundId: item.refundId,
        error: { code: error.code, message: error.message, ...(reason !== null ? { reason } : {}) },
      });
    }
  }
  return { results };
}

export function undoReceipt(ctx: CoreContext, input: MethodInput<'receipts.undo'>): Promise<MethodOutput<'receipts.undo'>> {
  return audited(ctx, { action: 'receipt.undo', refundId: input.refundId }, () => {
    requirePermission(ctx, 'agree_refund');
    return ctx.db.transaction(() => {
      const undone = undoConfirm(ctx, input.refundId);
      recordAudit(ctx, { action: 'receipt.undo', outcome: undone ? 'undone' : 'too_late', refundId: input.refundId });
      return { refundId: input.refundId, undone };
    })();
  });
}
