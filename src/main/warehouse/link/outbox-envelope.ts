// A desk's outbox row as the shared outbox stores it (payload envelope, result) and back, checked with zod both ways.
import { z } from 'zod';
import { conflictReasonSchema } from '../../../common/contract/sync';
import type { DelegatedRowState } from '../../core/outbox/delegated';
import type { OutboxKind, OutboxRow } from '../../core/outbox/store';
import { outboxRowSchema, type NewOutboxAction } from '../outbox';
import { outboxKindSchema } from '../../../common/contract/sync';

const epochMs = z.date().transform((date) => date.getTime());

/** The shared row with the times the desk shows (outboxRowSchema leaves them out). */
export const sharedOutboxRowSchema = outboxRowSchema.extend({
  action: outboxKindSchema,
  created_at: epochMs,
  next_attempt_at: epochMs,
  updated_at: epochMs,
});
export type SharedOutboxRow = z.infer<typeof sharedOutboxRowSchema>;

/** What a desk puts in `payload`: its own payload plus what every other desk needs to send or show the row. */
export const envelopeSchema = z.object({
  v: z.literal(1),
  payload: z.unknown(),
  idempotencyKey: z.string(),
  createdAt: z.number().int(),
  operatorId: z.string().nullable(),
  /** The origin may already have sent it (a send in flight when it was pushed): whoever claims it re-reads first. */
  recheck: z.boolean(),
  /** The payload names evidence files kept at the origin desk only: no other desk can send it. */
  originOnly: z.boolean(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** What the sending desk records as the result: the core's note, or the conflict with its reason and the fresh view. */
export const resultSchema = z
  .object({
    by: z.string().optional(),
    note: z.string().nullable().optional(),
    reason: conflictReasonSchema.optional(),
    text: z.string().optional(),
    fresh: z.unknown().optional(),
  })
  .nullable();
export type SharedResult = z.infer<typeof resultSchema>;

/** Actions done once per after-sale for good: a second one from another desk is a conflict even after the first is done. */
export const ONE_TIME_ACTIONS: readonly OutboxKind[] = ['confirm_receipt', 'confirm_and_send'];

const EVIDENCE_HASH = /"[0-9a-f]{64}"/;

export function toNewAction(row: OutboxRow, deskId: string): NewOutboxAction {
  const envelope: Envelope = {
    v: 1,
    payload: JSON.parse(row.payload) as unknown,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    operatorId: row.operator_id,
    recheck: row.sends > 0 || row.needs_recheck === 1,
    originOnly: EVIDENCE_HASH.test(row.payload),
  };
  return {
    outboxId: row.id,
    shopId: row.shop_id,
    afterSaleId: row.refund_id,
    action: row.kind,
    payload: envelope,
    originDeskId: deskId,
    // The warehouse column takes a UUID; the envelope keeps the operator whatever the form of its id.
    operatorId: z.string().uuid().safeParse(row.operator_id).success ? row.operator_id : null,
  };
}

/** The shared row in the local outbox's terms (pending → waiting/retrying, claimed → sending, failed → conflict). */
export function toDelegatedState(row: SharedOutboxRow): DelegatedRowState {
  const envelope = envelopeSchema.parse(row.payload);
  const result = resultSchema.parse(row.result ?? null);
  const base = {
    id: row.outbox_id,
    kind: row.action,
    shopId: row.shop_id,
    refundId: row.after_sale_id,
    payload: JSON.stringify(envelope.payload),
    attempts: row.attempts,
    operatorId: envelope.operatorId,
    createdAt: envelope.createdAt,
    notBefore: row.next_attempt_at,
    doneAt: null,
    conflictReason: null,
    conflictState: null,
  };
  switch (row.state) {
    case 'pending':
      return { ...base, state: row.attempts === 0 ? 'waiting' : 'retrying', lastError: row.last_error };
    case 'claimed':
      return { ...base, state: 'sending', lastError: row.last_error };
    case 'done':
      return { ...base, state: 'done', lastError: result?.note ?? null, doneAt: row.updated_at };
    case 'failed':
      return {
        ...base,
        state: 'conflict',
        lastError: result?.text ?? row.last_error,
        conflictReason: result?.reason ?? 'refused',
        conflictState: result?.fresh === undefined ? null : JSON.stringify(result.fresh),
      };
  }
}
