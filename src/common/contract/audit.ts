// Contract of the append-only audit log, unmatched parcels and desk settings.
import { z } from 'zod';
import { syncIntervalMsSchema } from './shop-sync';
import { defineMethods } from './define';
import { epochMsSchema } from './ids';

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: epochMsSchema,
  operatorId: z.string().nullable(),
  operatorName: z.string().nullable(),
  action: z.string(), // e.g. scan, waybill.submit, receipt.confirm, receipt.undo, signIn
  refundId: z.string().nullable(),
  scannedCode: z.string().nullable(),
  outcome: z.string(),
  overriddenWarning: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  /** Warehouse mode, searched across desks: the desk that wrote the entry (null: this desk). */
  desk: z.string().nullable().optional(),
  /** Searched across desks: where the next page starts (pass it as `before`); `id` is only unique per desk. */
  cursor: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const unmatchedParcelSchema = z.object({
  id: z.string(),
  code: z.string(),
  normalized: z.string().nullable(),
  note: z.string(),
  registeredAt: epochMsSchema,
  operatorName: z.string().nullable(),
  resolvedRefundId: z.string().nullable(),
});

export const deskSettingsSchema = z.object({
  undoWindowMs: z.number().int().min(0).max(60_000),
  idleTimeoutMs: z
    .number()
    .int()
    .min(60_000)
    .max(8 * 3600_000),
  duplicateScanWindowMs: z.number().int().min(0).max(3600_000),
  syncIntervalMs: syncIntervalMsSchema,
  soundVolume: z.number().min(0).max(1),
  soundMuted: z.boolean(),
  /** Stronger colours and larger card type for a desk in glare (saved per desk, like every setting here). */
  highContrast: z.boolean(),
  /** Record the unpacking on video from the scan to the decision (off by default). */
  videoRecording: z.boolean(),
  /** Unpacking videos older than this many days are removed by the core. */
  videoRetentionDays: z.number().int().min(1).max(3650),
});
export type DeskSettings = z.infer<typeof deskSettingsSchema>;

export const auditMethods = defineMethods({
  'audit.list': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({ limit: z.number().int().min(1).max(500).default(100), beforeId: z.number().int().optional() }).strict(),
    output: z.array(auditEntrySchema),
  },
  'parcels.listUnmatched': {
    permission: 'signed_in',
    changesState: false,
    input: z.object({}).strict(),
    output: z.array(unmatchedParcelSchema),
  },
  'parcels.registerUnmatched': {
    permission: 'signed_in',
    changesState: true,
    input: z.object({ code: z.string().min(1).max(2048), note: z.string().max(200).default('') }).strict(),
    output: unmatchedParcelSchema,
  },
  'settings.get': { permission: 'public', changesState: false, input: z.object({}).strict(), output: deskSettingsSchema },
  'settings.save': {
    permission: 'signed_in',
    changesState: true,
    input: deskSettingsSchema.partial().strict(),
    output: deskSettingsSchema,
  },
});
