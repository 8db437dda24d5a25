// The outbox envelope: a desk's row as the shared outbox stores it, and a shared row in the local outbox's terms.
import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../../src/main/core/outbox/store';
import { toDelegatedState, toNewAction, type SharedOutboxRow } from '../../../src/main/warehouse/link/outbox-envelope';

const HASH = 'ab'.repeat(32);

function localRow(fields: Partial<OutboxRow> = {}): OutboxRow {
  return {
    seq: 1,
    id: '0190f5a0-0000-7000-8000-000000000001',
    idempotency_key: 'confirm_receipt:42#1',
    kind: 'confirm_receipt',
    shop_id: '900',
    refund_id: '42',
    payload: '{}',
    state: 'waiting',
    attempts: 0,
    sends: 0,
    needs_recheck: 0,
    not_before: 0,
    undo_until: 0,
    last_error: null,
    conflict_state: null,
    conflict_reason: null,
    operator_id: 'test-tester',
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    done_at: null,
    delegated: 0,
    ...fields,
  };
}

function sharedRow(fields: Partial<SharedOutboxRow> = {}): SharedOutboxRow {
  const action = toNewAction(localRow(), 'desk-a');
  return {
    outbox_id: action.outboxId,
    shop_id: '900',
    after_sale_id: '42',
    action: 'confirm_receipt',
    payload: action.payload,
    origin_desk_id: 'desk-a',
    operator_id: null,
    state: 'pending',
    owner: null,
    lease_until: null,
    epoch: '0',
    attempts: 0,
    last_error: null,
    result: null,
    seq: '7',
    created_at: 1_700_000_000_100,
    next_attempt_at: 1_700_000_000_200,
    updated_at: 1_700_000_000_300,
    ...fields,
  };
}

describe('outbox envelope', () => {
  it('pushes a row with what other desks need: operator, whether a re-read is owed, whether only its origin can send it', () => {
    const plain = toNewAction(localRow(), 'desk-a');
    expect(plain).toMatchObject({ outboxId: localRow().id, action: 'confirm_receipt', afterSaleId: '42', originDeskId: 'desk-a' });
    // Not a UUID: kept in the envelope, not in the warehouse's uuid column.
    expect(plain.operatorId).toBeNull();
    expect(plain.payload).toMatchObject({ v: 1, operatorId: 'test-tester', recheck: false, originOnly: false });

    expect(toNewAction(localRow({ sends: 1, needs_recheck: 1 }), 'desk-a').payload).toMatchObject({ recheck: true });
    const withPhoto = localRow({
      kind: 'reject_refund',
      payload: JSON.stringify({ reasonCode: 1, reasonText: 'x', images: [HASH], refundVersion: 5 }),
    });
    expect(toNewAction(withPhoto, 'desk-a').payload).toMatchObject({ originOnly: true, payload: { images: [HASH] } });
  });

  it('maps shared states to local ones: pending, claimed, done with the note, failed as a conflict with its reason', () => {
    expect(toDelegatedState(sharedRow())).toMatchObject({
      state: 'waiting',
      notBefore: 1_700_000_000_200,
      operatorId: 'test-tester',
      payload: '{}',
    });
    expect(toDelegatedState(sharedRow({ attempts: 2, last_error: 'timeout' }))).toMatchObject({ state: 'retrying', lastError: 'timeout' });
    expect(toDelegatedState(sharedRow({ state: 'claimed', owner: 'desk-b/1/x', lease_until: 1 }))).toMatchObject({ state: 'sending' });
    expect(toDelegatedState(sharedRow({ state: 'done', result: { by: 'desk-b', note: 'n' } }))).toMatchObject({
      state: 'done',
      lastError: 'n',
      doneAt: 1_700_000_000_300,
    });
    expect(
      toDelegatedState(sharedRow({ state: 'failed', last_error: 'x', result: { reason: 'status', text: 'status 50', fresh: { a: 1 } } })),
    ).toMatchObject({ state: 'conflict', lastError: 'status 50', conflictReason: 'status', conflictState: '{"a":1}' });
    expect(() => toDelegatedState(sharedRow({ payload: { v: 2 } }))).toThrow();
  });
});
