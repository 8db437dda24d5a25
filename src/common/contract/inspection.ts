// Contract of inspection at the desk: the one-key result, evidence photos and videos, refusing with evidence, exchanges.
import { z } from 'zod';
import { defineMethods } from './define';
import { decimalIdSchema, epochMsSchema, scanIdSchema } from './ids';

export const inspectionResultSchema = z.enum(['passed', 'empty', 'wrong_item', 'damaged', 'missing_parts', 'used', 'other']);
export type InspectionResult = z.infer<typeof inspectionResultSchema>;

/** The results that stop a confirm: anything but "passed" warns before the buyer is refunded. */
export function isFailedInspection(result: InspectionResult | null | undefined): boolean {
  return result !== null && result !== undefined && result !== 'passed';
}

export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase SHA-256 hex digest');
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const MAX_REJECT_IMAGES = 6;
export const MAX_REJECT_DESC = 500;

export const inspectionSchema = z.object({
  id: z.string(),
  refundId: decimalIdSchema,
  result: inspectionResultSchema,
  note: z.string().nullable(),
  operatorName: z.string().nullable(),
  at: epochMsSchema,
});
export type Inspection = z.infer<typeof inspectionSchema>;

export const evidenceFileSchema = z.object({
  sha256: sha256Schema,
  media: z.enum(['photo', 'video']),
  mime: z.string(),
  size: z.number().int().positive(),
  at: epochMsSchema,
  operatorName: z.string().nullable(),
  uploaded: z.boolean(), // an image already on the platform (its URL is kept)
});
export type EvidenceFile = z.infer<typeof evidenceFileSchema>;

export const rejectReasonSchema = z.object({
  code: z.number().int(),
  text: z.string(),
  requiresDesc: z.boolean(),
  requiresImages: z.boolean(),
});
export type RejectReason = z.infer<typeof rejectReasonSchema>;

const base64Schema = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil(maxBytes / 3) * 4 + 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const inspectionMethods = defineMethods({
  'inspection.record': {
    permission: 'signed_in',
    changesState: true,
    input: z
      .object({
        refundId: decimalIdSchema,
        scanId: scanIdSchema.optional(),
        result: inspectionResultSchema,
        note: z.string().trim().max(200).optional(),
      })
      .strict()
      .refine((v) => v.result !== 'other' || (v.note ?? '') !== '', { path: ['note'], message: 'required when the result is "other"' }),
    output: inspectionSchema,
  },
  'inspection.ofAfterSale': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({ refundId: decimalIdSchema }).strict(),
    output: z.object({
      latest: inspectionSchema.nullable(),
      history: z.array(inspectionSchema),
      evidence: z.array(evidenceFileSchema),
    }),
  },
  'inspection.stats': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({ from: epochMsSchema, to: epochMsSchema }).strict(),
    output: z.object({ counts: z.record(inspectionResultSchema, z.number().int().nonnegative()), total: z.number().int().nonnegative() }),
  },
  'evidence.add': {
    permission: 'signed_in',
    changesState: true,
    input: z
      .object({
        refundId: decimalIdSchema,
        scanId: scanIdSchema.optional(),
        media: z.literal('photo'),
        mime: z.enum(['image/jpeg', 'image/png']),
        dataBase64: base64Schema(PHOTO_MAX_BYTES).min(4),
      })
      .strict(),
    output: evidenceFileSchema,
  },
  'evidence.read': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({ sha256: sha256Schema }).strict(),
    output: z.object({ sha256: sha256Schema, mime: z.string(), dataBase64: z.string(), intact: z.boolean() }),
  },
  'refusals.reasons': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({ refundId: decimalIdSchema, refresh: z.boolean().default(false) }).strict(),
    output: z.object({ refundId: decimalIdSchema, version: epochMsSchema, fetchedAt: epochMsSchema, reasons: z.array(rejectReasonSchema) }),
  },
  'refusals.submit': {
    permission: 'agree_refund',
    changesState: true,
    input: z
      .object({
        refundId: decimalIdSchema,
        scanId: scanIdSchema.optional(),
        reasonCode: z.number().int(),
        rejectDesc: z.string().trim().max(MAX_REJECT_DESC).optional(),
        images: z.array(sha256Schema).max(MAX_REJECT_IMAGES).default([]),
      })
      .strict(),
    output: z.object({ refundId: decimalIdSchema, outboxId: z.string() }),
  },
  'exchanges.wish': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({ refundId: decimalIdSchema }).strict(),
    output: z.object({ refundId: decimalIdSchema, skuId: decimalIdSchema.nullable(), skuNick: z.string() }).nullable(),
  },
  'exchanges.confirmAndSend': {
    permission: 'agree_refund',
    changesState: true,
    input: z
      .object({
        refundId: decimalIdSchema,
        scanId: scanIdSchema.optional(),
        expressNo: z.string().min(1).max(64),
        expressCode: z.number().int().positive(),
      })
      .strict(),
    output: z.object({ refundId: decimalIdSchema, outboxId: z.string(), expressNo: z.string() }),
  },
});
