// Contract of the waybills.* methods: normalize a scan, guess the courier, say whether it may be an id.
import { z } from 'zod';
import { defineMethods } from './define';
import { CANDIDATE_REASONS, CONFIDENCES, MAX_RAW_SCAN_LENGTH, NORMALIZE_NOTES, REJECT_REASONS, SCAN_KINDS, SCAN_SOURCES } from '../waybill';

export const courierCandidateSchema = z.object({
  courierCode: z.number().int().positive(),
  courierName: z.string(),
  confidence: z.enum(CONFIDENCES),
  reason: z.enum(CANDIDATE_REASONS),
  ruleId: z.string(),
});

export const normalizedScanSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    value: z.string(),
    courierHint: z.number().int().positive().optional(),
    source: z.enum(SCAN_SOURCES),
    notes: z.array(z.enum(NORMALIZE_NOTES)),
  }),
  z.object({ ok: z.literal(false), reason: z.enum(REJECT_REASONS), message: z.string() }),
]);

export const scanClassificationSchema = z.object({
  kind: z.enum(SCAN_KINDS),
  normalized: normalizedScanSchema,
  candidates: z.array(courierCandidateSchema),
  idLike: z.boolean(),
});

export const waybillsMethods = defineMethods({
  'waybills.detect': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({ raw: z.string().max(MAX_RAW_SCAN_LENGTH) }).strict(),
    output: scanClassificationSchema,
  },
});
