// The typed vocabulary of `details.reason` on DeskErrors: every case the renderer may branch on, by name.
import { z } from 'zod';
import { REJECT_REASONS } from '../waybill';

/** Why the desk refuses a confirm or a waybill upload on one after-sale (the shared desk rules answer these). */
export const ACTION_REFUSALS = [
  'already_confirmed', // our own confirm is queued, sending or accepted
  'already_received', // the platform already records the goods as received (50/60 or receiptStatus 2)
  'not_a_return', // handlingWay is not return-and-refund
  'status', // the status does not allow confirming receipt
  'waybill_status', // the status does not take a return waybill (only 30 does; in 40 the buyer's is on record)
] as const;
export type ActionRefusal = (typeof ACTION_REFUSALS)[number];

export const DESK_REASONS = [
  ...ACTION_REFUSALS,
  // confirm receipt
  'detail_not_synced',
  'return_freight_decision_required',
  'no_return_freight_claim',
  'insurance_warning',
  'return_freight_images_required',
  // inspection, refusals, exchanges
  'inspection_failed',
  'decision_queued',
  // waybills
  'duplicate_waybill',
  'unknown_courier',
  'alias_not_needed',
  ...REJECT_REASONS,
  // sign-in and sessions
  'wrong_credentials',
  'locked',
  'needs_bootstrap',
  'operator_disabled',
  'operator_missing',
  'idle_timeout',
  'signed_out',
  'source_backoff',
  // operators
  'main_account',
  'self_disable',
  'name_taken',
  'already_bootstrapped',
  // back office
  'wrong_pin',
  'already_bound',
  'queued_work',
] as const;

export const deskReasonSchema = z.enum(DESK_REASONS);
export type DeskReason = z.infer<typeof deskReasonSchema>;

/** The `details.reason` of an error's details when it is one of the vocabulary, else null. */
export function deskReasonOf(details: unknown): DeskReason | null {
  const reason = (details as { reason?: unknown } | null | undefined)?.reason;
  const parsed = deskReasonSchema.safeParse(reason);
  return parsed.success ? parsed.data : null;
}
