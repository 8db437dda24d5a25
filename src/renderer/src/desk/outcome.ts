// The desk's reading of one after-sale, for a candidate picked from several matches and for the queue: the same
// outcome and insurance rule scan.lookup applies (docs/platform.md, "For a receiving desk"), computed locally. No DOM.
import type { AfterSale } from '../../../shared/contract/after-sales';
import type { ScanOutcome } from '../../../shared/contract/desk';

export type InsuranceWarning = 'required' | 'unknown' | 'none';

/** Status 30 with no return waybill: the buyer has not shipped; with freight insurance the claim needs a waybill. */
export function insuranceWarningOf(afterSale: AfterSale): InsuranceWarning {
  if (afterSale.status !== 30 || afterSale.returnWaybill !== null) return 'none';
  if (afterSale.freightInsurance === true) return 'required';
  if (afterSale.freightInsurance === null) return 'unknown';
  return 'none';
}

export function outcomeOf(afterSale: AfterSale): ScanOutcome {
  const local = afterSale.local.state;
  if (local === 'confirm_pending' || local === 'confirm_sending' || local === 'confirmed') return 'already_received';
  if (afterSale.status === 50 || afterSale.status === 60 || afterSale.receiptStatus === 2) return 'already_received';
  if (afterSale.status === 70) return 'closed';
  if (afterSale.handlingWay !== 1) return 'not_a_return';
  if (afterSale.status === 30 && afterSale.returnWaybill === null) return 'waiting_for_buyer';
  if (afterSale.status === 22 || afterSale.status === 30 || afterSale.status === 40) return 'ready';
  return 'not_confirmable';
}

/** Outcomes where Enter may start a confirm (the insurance dialog still guards waiting_for_buyer). */
export function canConfirm(outcome: ScanOutcome): boolean {
  return outcome === 'ready' || outcome === 'waiting_for_buyer';
}

/** Whether the operator may upload a return waybill for the buyer on this after-sale. */
export function canSubmitWaybill(afterSale: AfterSale): boolean {
  return afterSale.handlingWay === 1 && [22, 30, 40].includes(afterSale.status) && outcomeOf(afterSale) !== 'already_received';
}
