// The desk's rules on one after-sale, once for every layer: scan outcome, insurance warning, may it be confirmed,
// may a waybill be uploaded or aliased, and how the platform's state judges one of our writes after sending.
// The platform facts behind them: docs/platform.md ("The after-sale methods", "For a receiving desk").
import type { AfterSale } from '../contract/after-sales';
import type { ScanOutcome } from '../contract/desk';
import type { ActionRefusal } from '../contract/reasons';
import { CONFIRMABLE_STATUSES, HandlingWay, RECEIVED_STATUSES, ReceiptStatus, Status, WAYBILL_UPLOAD_STATUS } from './codes';

export type InsuranceWarning = 'required' | 'unknown' | 'none';
export type AfterSaleOutcome = Exclude<ScanOutcome, 'multiple' | 'not_found' | 'invalid_scan'>;

/** What the rules read of an after-sale: the platform's codes, the waybill on record, insurance and our own pending work. */
export type DeskFacts = Pick<AfterSale, 'status' | 'handlingWay' | 'receiptStatus' | 'returnWaybill' | 'freightInsurance'> & {
  local: Pick<AfterSale['local'], 'state'>;
};

/** The platform's side only (a refund detail as read back after sending). */
export interface PlatformFacts {
  status: number;
  handlingWay: number;
  receiptStatus: number;
}

/** Our own confirm is queued, on its way, or accepted: the parcel counts as received at this desk. */
export function confirmQueued(a: Pick<DeskFacts, 'local'>): boolean {
  return a.local.state === 'confirm_pending' || a.local.state === 'confirm_sending' || a.local.state === 'confirmed';
}

/** The platform records the goods as received: the refund is executing or done, or receiptStatus says so. */
export function receivedOnPlatform(p: PlatformFacts): boolean {
  return RECEIVED_STATUSES.includes(p.status) || p.receiptStatus === ReceiptStatus.RECEIVED;
}

/** Return-and-refund in a status where confirm receipt is possible: what the desk queue lists (see deskQueueSql). */
export function inDeskQueue(p: Pick<PlatformFacts, 'status' | 'handlingWay'>): boolean {
  return p.handlingWay === HandlingWay.RETURN_AND_REFUND && CONFIRMABLE_STATUSES.includes(p.status);
}

/** The desk-queue filter as SQL over columns `<alias>.handling_way` and `<alias>.status`; a test checks it row by row against inDeskQueue. */
export function deskQueueSql(alias: string): string {
  return `${alias}.handling_way = ${HandlingWay.RETURN_AND_REFUND} AND ${alias}.status IN (${CONFIRMABLE_STATUSES.join(', ')})`;
}

/**
 * One after-sale to one outcome, first rule that applies. An exchange back in 40 is `exchange`, never "ready":
 * confirm receipt refunds the buyer and exists only for return-and-refund; an exchange is inspected, then
 * confirmed-and-sent or refused. Exchanges in other statuses, and every other handling way, are not_a_return.
 */
export function outcomeOf(a: DeskFacts): AfterSaleOutcome {
  if (confirmQueued(a) || receivedOnPlatform(a)) return 'already_received';
  if (a.status === Status.CLOSED) return 'closed';
  if (a.handlingWay === HandlingWay.EXCHANGE && a.status === Status.SHIPPED_BACK) return 'exchange';
  if (a.handlingWay !== HandlingWay.RETURN_AND_REFUND) return 'not_a_return';
  if (a.status === Status.WAITING_FOR_BUYER_TO_SHIP && a.returnWaybill === null) return 'waiting_for_buyer';
  if (CONFIRMABLE_STATUSES.includes(a.status)) return 'ready';
  return 'not_confirmable';
}

/**
 * The platform's own rule: confirming a return whose buyer has not shipped (30, no return waybill; ours pending
 * counts as on record) on an order with freight insurance costs the buyer the claim. Unknown insurance is said out loud.
 */
export function insuranceWarningOf(a: DeskFacts): InsuranceWarning {
  if (outcomeOf(a) !== 'waiting_for_buyer') return 'none';
  if (a.freightInsurance === null) return 'unknown';
  return a.freightInsurance ? 'required' : 'none';
}

/** Why confirm receipt is refused on this after-sale, or null when it is allowed. */
export function confirmRefusalOf(a: DeskFacts): ActionRefusal | null {
  if (confirmQueued(a)) return 'already_confirmed';
  if (receivedOnPlatform(a)) return 'already_received';
  if (a.handlingWay !== HandlingWay.RETURN_AND_REFUND) return 'not_a_return';
  if (!CONFIRMABLE_STATUSES.includes(a.status)) return 'status';
  return null;
}

export function canConfirm(a: DeskFacts): boolean {
  return confirmRefusalOf(a) === null;
}

/** Why uploading the buyer's return waybill is refused, or null: only return-and-refund in 30 (the buyer has not shipped). */
export function waybillRefusalOf(a: DeskFacts): ActionRefusal | null {
  if (confirmQueued(a)) return 'already_confirmed';
  if (receivedOnPlatform(a)) return 'already_received';
  if (a.handlingWay !== HandlingWay.RETURN_AND_REFUND) return 'not_a_return';
  if (a.status !== WAYBILL_UPLOAD_STATUS) return 'waybill_status';
  return null;
}

export function canUploadWaybill(a: DeskFacts): boolean {
  return waybillRefusalOf(a) === null;
}

/**
 * A local alias (this parcel's label → this after-sale, no platform call) is for a return that can be confirmed
 * but no longer takes a waybill upload (22, 40): the parcel in hand carries another label than the one on record.
 */
export function canAliasWaybill(a: DeskFacts): boolean {
  return canConfirm(a) && waybillRefusalOf(a) === 'waybill_status';
}

export type JudgeReason = 'status' | 'not_a_return' | 'waybill_on_record' | 'waybill_status';
export type Verdict = { kind: 'applied' } | { kind: 'applicable' } | { kind: 'refused'; reason: JudgeReason; detail: string };

/** What the platform's current state says about our confirm receipt, read back after an ambiguous send or a refusal. */
export function judgeConfirm(p: PlatformFacts): Verdict {
  if (receivedOnPlatform(p)) return { kind: 'applied' };
  if (inDeskQueue(p)) return { kind: 'applicable' };
  if (p.handlingWay !== HandlingWay.RETURN_AND_REFUND)
    return { kind: 'refused', reason: 'not_a_return', detail: `handlingWay ${p.handlingWay}` };
  return { kind: 'refused', reason: 'status', detail: `status ${p.status}` };
}

/**
 * What the platform's state says about our waybill upload: applied when the waybill on record is ours
 * (`oursOnRecord`, compared by the caller's normalization), applicable only where an upload is allowed (30).
 */
export function judgeWaybill(p: PlatformFacts, onRecord: string | null, oursOnRecord: boolean): Verdict {
  if (oursOnRecord) return { kind: 'applied' };
  if (p.handlingWay === HandlingWay.RETURN_AND_REFUND && p.status === WAYBILL_UPLOAD_STATUS && !receivedOnPlatform(p))
    return { kind: 'applicable' };
  if (onRecord !== null) return { kind: 'refused', reason: 'waybill_on_record', detail: onRecord };
  if (p.handlingWay !== HandlingWay.RETURN_AND_REFUND)
    return { kind: 'refused', reason: 'not_a_return', detail: `handlingWay ${p.handlingWay}` };
  return { kind: 'refused', reason: 'waybill_status', detail: `status ${p.status}` };
}
