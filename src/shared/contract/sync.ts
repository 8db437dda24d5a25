// Contract of sync and the outbox as the operator sees them: status, manual run, queued actions, retry.
import { z } from 'zod';
import { defineMethods } from './define';
import { decimalIdSchema, epochMsSchema } from './ids';

export const shopSyncStatusSchema = z.object({
  shopId: z.string(),
  phase: z.enum(['idle', 'backfill', 'incremental', 'targeted', 'paused']),
  backfill: z.object({ done: z.boolean(), coveredFrom: epochMsSchema.nullable(), horizon: epochMsSchema }),
  highWaterMark: epochMsSchema.nullable(),
  windowMs: z.number().int().positive(),
  lastSyncAt: epochMsSchema.nullable(),
  lastError: z.string().nullable(),
  calls: z.record(z.string(), z.number().int().nonnegative()), // platform calls per method since start
});

export const syncStatusSchema = z.object({
  online: z.boolean(),
  offlineSince: epochMsSchema.nullable(),
  lastSyncAt: epochMsSchema.nullable(),
  pendingUploads: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  shops: z.array(shopSyncStatusSchema),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const outboxKindSchema = z.enum(['submit_waybill', 'confirm_receipt']);
export const outboxStateSchema = z.enum(['waiting', 'sending', 'retrying', 'done', 'conflict', 'cancelled']);

export const outboxItemSchema = z.object({
  id: z.string(),
  kind: outboxKindSchema,
  shopId: z.string(),
  refundId: decimalIdSchema,
  state: outboxStateSchema,
  attempts: z.number().int().nonnegative(),
  notBefore: epochMsSchema, // undo window end, or the next retry
  lastError: z.string().nullable(),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
  operatorName: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

export const syncMethods = defineMethods({
  'sync.run': {
    permission: 'signed_in',
    changesState: true,
    input: z.object({ shopId: z.string().optional() }).strict(),
    output: z.object({ started: z.boolean() }),
  },
  'sync.status': { permission: 'signed_in', changesState: false, input: z.object({}).strict(), output: syncStatusSchema },
  'outbox.list': {
    permission: 'signed_in',
    changesState: false,
    input: z
      .object({ states: z.array(outboxStateSchema).max(6).optional(), limit: z.number().int().min(1).max(500).default(200) })
      .strict(),
    output: z.array(outboxItemSchema),
  },
  'outbox.retry': {
    permission: 'agree_refund',
    changesState: true,
    input: z.object({ id: z.string().max(64) }).strict(),
    output: outboxItemSchema,
  },
});
