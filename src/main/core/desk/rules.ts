// The desk's reading of one after-sale: which scan outcome it is, and whether the insurance warning applies.
import type { AfterSale } from '../../../shared/contract/after-sales';
import type { ScanOutcome } from '../../../shared/contract/desk';

export type InsuranceWarning = 'required' | 'unknown' | 'none';

/** handlingWay 1 退货退款: the only kind the platform lets a merchant confirm as received (docs/platform.md, "The after-sale methods"). */
export const RETURN_AND_REFUND = 1;
/** Statuses in which confirm receipt is allowed: 22 platform-confirmed return, 30 waiting for the buyer, 40 shipped back. */
export const CONFIRMABLE_STATUSES: readonly number[] = [22, 30, 40];
/** Statuses in which a waybill may be uploaded for the buyer (the merchant workbench offers it in 30 and 40). */
export const WAYBILL_STATUSES: readonly number[] = [30, 40];
const RECEIVED_STATUSES: readonly number[] = [50, 60];
const CLOSED_STATUS = 70;
const WAITING_FOR_BUYER = 30;

/** Our own confirm is queued, on its way, or accepted: the parcel counts as received at this desk. */
export function confirmQueued(a: AfterSale): boolean {
  return a.local.state === 'confirm_pending' || a.local.state === 'confirm_sending' || a.local.state === 'confirmed';
}

/**
 * One after-sale to one outcome. Exchanges (handlingWay 3) count as not_a_return on purpose: the platform's
 * confirm receipt refunds the buyer and exists only for return-and-refund; an exchange needs the
 * confirm-and-send flow, which this desk does not offer, so "ready" would invite the wrong action.
 */
export function outcomeOf(a: AfterSale): Exclude<ScanOutcome, 'multiple' | 'not_found' | 'duplicate' | 'invalid_scan'> {
  if (confirmQueued(a) || RECEIVED_STATUSES.includes(a.status)) return 'already_received';
  if (a.status === CLOSED_STATUS) return 'closed';
  if (a.handlingWay !== RETURN_AND_REFUND) return 'not_a_return';
  if (a.status === WAITING_FOR_BUYER) return a.returnWaybill === null ? 'waiting_for_buyer' : 'ready';
  if (CONFIRMABLE_STATUSES.includes(a.status)) return 'ready';
  return 'not_confirmable';
}

/**
 * The platform's own rule (docs/platform.md, "For a receiving desk"): confirming a return still waiting for
 * the buyer to ship (30, no return waybill on record, ours pending counts as on record) whose order has freight
 * insurance costs the buyer the insurance claim. Unknown insurance (order not synced) is said out loud, not treated as "no".
 */
export function insuranceWarningOf(a: AfterSale): InsuranceWarning {
  if (a.handlingWay !== RETURN_AND_REFUND || a.status !== WAITING_FOR_BUYER || a.returnWaybill !== null || confirmQueued(a)) return 'none';
  if (a.freightInsurance === null) return 'unknown';
  return a.freightInsurance ? 'required' : 'none';
}
