// Contract of sync and the outbox as the operator sees them: status, manual run, queued actions, retry.
import { z } from 'zod';
import { defineMethods } from './define';
import { decimalIdSchema, epochMsSchema } from './ids';

export const shopSyncStatusSchema = z.object({
  shopId: z.string(),
  phase: z.enum(['idle', 'backfill', 'incremental', 'targeted', 'paused']),
  backfill: z.object({ done: z.boolean(), coveredFrom: epochMsSchema.nullable(), horizon: epochMsSchema }),
  highWaterMark: epochMsSchema.nullable(),
  /** Set when the mark was found in the future (a run with the clock ahead) and brought back. */
  highWaterMarkRepaired: z.object({ from: epochMsSchema, to: epochMsSchema, at: epochMsSchema }).nullable(),
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

export const outboxKindSchema = z.enum(['submit_waybill', 'confirm_receipt', 'reject_refund', 'confirm_and_send']);
export const outboxStateSchema = z.enum(['waiting', 'sending', 'retrying', 'done', 'conflict', 'cancelled']);

/** Why the platform refused one of our writes, in terms the desk explains to the operator. */
export const conflictReasonSchema = z.enum([
  'waybill_on_record', // the buyer's (or another) waybill is already on record
  'waybill_status', // the after-sale no longer takes a waybill (the buyer shipped, or it moved on)
  'status', // the status no longer allows confirming receipt
  'not_a_return', // not a return-and-refund any more
  'not_found', // the platform does not know the after-sale any more
  'refused', // refused for another reason: the platform's words are in lastError
  'other_desk', // warehouse mode: another desk already queued or applied the same action on this after-sale
]);
export type ConflictReason = z.infer<typeof conflictReasonSchema>;

/**
 * Notes the core itself writes on an outbox row (stored in English as before, so old rows still read back): the
 * desk shows them translated from the code; any other lastError is the platform's own words, shown as a detail.
 */
export const OUTBOX_NOTES: Readonly<Record<Exclude<OutboxNote, 'dismissed'>, string>> = {
  undone: 'undone by the operator',
  superseded: 'superseded by a newer waybill',
  already_applied: 'already applied on the platform (seen on re-read)',
  reached_elsewhere: 'reached on the platform by other means',
  warehouse_held: 'warehouse unreachable: kept at this desk, sent through the warehouse when it answers',
};
/** `dismissed`: an operator closed the conflict; lastError then holds the operator's own reason. */
export const outboxNoteSchema = z.enum(['undone', 'superseded', 'already_applied', 'reached_elsewhere', 'dismissed', 'warehouse_held']);
export type OutboxNote = z.infer<typeof outboxNoteSchema>;

/** The typed note behind a stored lastError, or null when the text is the platform's (or an operator's) own. */
export function outboxNoteOf(lastError: string | null): Exclude<OutboxNote, 'dismissed'> | null {
  if (lastError === null) return null;
  return (Object.keys(OUTBOX_NOTES) as Exclude<OutboxNote, 'dismissed'>[]).find((note) => OUTBOX_NOTES[note] === lastError) ?? null;
}

export const outboxItemSchema = z.object({
  id: z.string(),
  kind: outboxKindSchema,
  shopId: z.string(),
  refundId: decimalIdSchema,
  state: outboxStateSchema,
  attempts: z.number().int().nonnegative(),
  notBefore: epochMsSchema, // undo window end, or the next retry
  /** What the core noted on the row (undone, superseded…), translated by the desk; null for platform text. */
  note: outboxNoteSchema.nullable(),
  /** The platform's (or a dismissing operator's) own words: a secondary detail, never the main message. */
  lastError: z.string().nullable(),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
  operatorName: z.string().nullable(),
  conflictReason: conflictReasonSchema.nullable(),
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
  /** Closes a conflict the operator settled another way (or decided to drop), with the reason; audited. */
  'outbox.dismiss': {
    permission: 'agree_refund',
    changesState: true,
    input: z.object({ id: z.string().max(64), reason: z.string().trim().min(1).max(200) }).strict(),
    output: outboxItemSchema,
  },
});
