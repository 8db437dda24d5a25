// Contract of the desk actions: scan lookup, waybill upload for the buyer, confirm receipt (single, batch), undo.
import { z } from 'zod';
import { afterSaleSchema } from './after-sales';
import { defineMethods } from './define';
import { deskReasonSchema } from './reasons';
import { decimalIdSchema, epochMsSchema, fenSchema, scanIdSchema } from './ids';

export const scanOutcomeSchema = z.enum([
  'ready', // return-and-refund in 22/40 (or 30 with a waybill): Enter confirms
  'waiting_for_buyer', // status 30 without a return waybill: the insurance warning may apply
  'already_received', // 50/60, or our confirm is already queued
  'not_a_return', // refund only (handlingWay 10) or not return-and-refund
  'exchange', // an exchange (handlingWay 3) whose item came back (40): inspect, then confirm-and-send or refuse
  'closed', // 70: cancelled/closed
  'not_confirmable', // a return in a status the platform does not allow confirming (10/11/12/20/21…)
  'multiple', // several after-sales match: pick one
  'not_found', // nothing matches, even after a targeted refresh
  'invalid_scan', // garbled (IME) or not a code at all
]);
export type ScanOutcome = z.infer<typeof scanOutcomeSchema>;

export const insuranceWarningSchema = z.enum(['required', 'unknown', 'none']);

export const scanResultSchema = z.object({
  outcome: scanOutcomeSchema,
  scanId: z.string(),
  code: z.string(),
  normalized: z.string().nullable(),
  matchedBy: z.enum(['return_waybill', 'local_alias', 'outbound_waybill', 'refund_id', 'order_id']).nullable(),
  afterSale: afterSaleSchema.nullable(),
  candidates: z.array(afterSaleSchema),
  insuranceWarning: insuranceWarningSchema,
  rejectReason: z.string().nullable(), // for invalid_scan: the normalizer's reason code
  refreshed: z.boolean(), // a targeted refresh ran before answering (only answers sent by the scan.resolved event)
  /** A miss answered from the cache while a targeted refresh runs in the background; scan.resolved follows if it finds the parcel. */
  refreshPending: z.boolean(),
  repeated: z.boolean(), // the same code was answered a moment ago (duplicate window): a second look, with a fresh card
});
export type ScanResult = z.infer<typeof scanResultSchema>;

/**
 * Rejecting a return-freight claim: the platform requires a reason AND images ("拒绝原因和图片必填", at most 6).
 * The reason limit is the conservative one (documents: under 300 characters; an SDK: 200). Images are checked in
 * the core, which answers `details.reason` = FREIGHT_IMAGES_REQUIRED, so the desk can say exactly what is missing.
 */
export const RETURN_FREIGHT_REJECT = { maxReasonChars: 200, minImages: 1, maxImages: 6 } as const;
export const FREIGHT_IMAGES_REQUIRED = 'return_freight_images_required' as const;

export const returnFreightDecisionSchema = z.discriminatedUnion('advice', [
  z.object({ advice: z.literal('agree') }).strict(),
  z
    .object({
      advice: z.literal('reject'),
      reason: z.string().trim().min(1).max(RETURN_FREIGHT_REJECT.maxReasonChars),
      /** Evidence photos of this after-sale by SHA-256 (uploaded before the confirm leaves), or platform image URLs. */
      images: z.array(z.string().max(500)).max(RETURN_FREIGHT_REJECT.maxImages).default([]),
    })
    .strict(),
]);

export const confirmRequestSchema = z
  .object({
    refundId: decimalIdSchema,
    scanId: scanIdSchema.optional(),
    returnFreight: returnFreightDecisionSchema.optional(),
    /** The operator saw the insurance warning and chose to confirm anyway (audited). */
    overrideInsuranceWarning: z.boolean().default(false),
    /** The parcel was inspected as failed (damaged, empty…) and the operator refunds anyway (audited). */
    overrideInspectionWarning: z.boolean().default(false),
  })
  .strict();

export const confirmResultSchema = z.object({
  refundId: decimalIdSchema,
  outboxId: z.string(),
  undoUntil: epochMsSchema,
  returnFreightAmount: fenSchema.nullable(),
});

export const batchItemResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), refundId: decimalIdSchema, result: confirmResultSchema }),
  z.object({
    ok: z.literal(false),
    refundId: decimalIdSchema,
    /** `reason`: the error's `details.reason` when the core gave one (e.g. FREIGHT_IMAGES_REQUIRED). */
    error: z.object({ code: z.string(), message: z.string(), reason: deskReasonSchema.optional() }),
  }),
]);

export const deskMethods = defineMethods({
  'scan.lookup': {
    permission: 'signed_in',
    changesState: true,
    input: z.object({ code: z.string().max(2048), source: z.enum(['scanner', 'manual']).default('manual') }).strict(),
    output: scanResultSchema,
  },
  'waybills.submit': {
    permission: 'agree_refund',
    changesState: true,
    input: z
      .object({
        refundId: decimalIdSchema,
        expressNo: z.string().min(1).max(2048),
        expressCode: z.number().int().positive(),
        scanId: scanIdSchema.optional(),
        /** The operator saw that this waybill is on another after-sale and goes on anyway (audited). */
        overrideDuplicate: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      refundId: decimalIdSchema,
      outboxId: z.string(),
      expressNo: z.string(),
      warnings: z.array(z.enum(['unknown_shape', 'courier_mismatch', 'duplicate_waybill'])),
    }),
  },
  'receipts.confirm': { permission: 'agree_refund', changesState: true, input: confirmRequestSchema, output: confirmResultSchema },
  'receipts.confirmBatch': {
    permission: 'agree_refund',
    changesState: true,
    input: z.object({ items: z.array(confirmRequestSchema).min(1).max(200) }).strict(),
    output: z.object({ results: z.array(batchItemResultSchema) }),
  },
  'receipts.undo': {
    permission: 'agree_refund',
    changesState: true,
    input: z.object({ refundId: decimalIdSchema }).strict(),
    output: z.object({ refundId: decimalIdSchema, undone: z.boolean() }),
  },
});
