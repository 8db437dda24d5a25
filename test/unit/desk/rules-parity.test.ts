// The shared desk rules over every after-sale state: outcome, insurance warning, confirm, waybill upload, alias, the
// outbox judge and the desk-queue SQL all agree with one decision table written out independently here.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { LocalState } from '../../../src/common/contract/after-sales';
import {
  ALL_HANDLING_WAYS,
  ALL_RECEIPT_STATUSES,
  ALL_STATUSES,
  canAliasWaybill,
  canConfirm,
  canUploadWaybill,
  confirmRefusalOf,
  deskQueueSql,
  inDeskQueue,
  insuranceWarningOf,
  judgeConfirm,
  judgeWaybill,
  outcomeOf,
  waybillRefusalOf,
  type DeskFacts,
} from '../../../src/common/desk';

const UNKNOWN = 99;
const LOCAL_STATES: LocalState[] = ['none', 'waybill_pending', 'confirm_pending', 'confirm_sending', 'confirmed', 'conflict'];
const WAYBILL = { expressNo: 'SF1234567890123', expressCode: 4, courierName: null };

function* allStates(): Generator<DeskFacts> {
  for (const status of [...ALL_STATUSES, UNKNOWN])
    for (const handlingWay of [...ALL_HANDLING_WAYS, UNKNOWN])
      for (const receiptStatus of ALL_RECEIPT_STATUSES)
        for (const returnWaybill of [null, WAYBILL])
          for (const freightInsurance of [true, false, null])
            for (const state of LOCAL_STATES)
              yield { status, handlingWay, receiptStatus, returnWaybill, freightInsurance, local: { state } } satisfies DeskFacts;
}

/** The decision table of docs/desk.md, literally: first row that applies. */
function expectedOutcome(a: DeskFacts): string {
  const ours = ['confirm_pending', 'confirm_sending', 'confirmed'].includes(a.local.state);
  if (ours || a.status === 50 || a.status === 60 || a.receiptStatus === 2) return 'already_received';
  if (a.status === 70) return 'closed';
  // An exchange back at the warehouse is inspected, then confirmed-and-sent or refused: never "ready" (a refund).
  if (a.handlingWay === 3 && a.status === 40) return 'exchange';
  if (a.handlingWay !== 1) return 'not_a_return';
  if (a.status === 30 && a.returnWaybill === null) return 'waiting_for_buyer';
  if (a.status === 22 || a.status === 30 || a.status === 40) return 'ready';
  return 'not_confirmable';
}

describe('the desk rules over every state', () => {
  const states = [...allStates()];

  it('enumerates every status, handling way, receipt status, waybill, insurance and local state', () => {
    expect(states.length).toBe(14 * 6 * 2 * 2 * 3 * 6);
  });

  it('outcome follows the documented table; confirm is offered exactly for ready and waiting_for_buyer', () => {
    for (const a of states) {
      const outcome = outcomeOf(a);
      expect(outcome, JSON.stringify(a)).toBe(expectedOutcome(a));
      expect(canConfirm(a), JSON.stringify(a)).toBe(outcome === 'ready' || outcome === 'waiting_for_buyer');
      expect(confirmRefusalOf(a) === null).toBe(canConfirm(a));
    }
  });

  it('warns about insurance only while the buyer has not shipped and the order is not known to be uninsured', () => {
    for (const a of states) {
      const expected =
        expectedOutcome(a) !== 'waiting_for_buyer'
          ? 'none'
          : a.freightInsurance === null
            ? 'unknown'
            : a.freightInsurance
              ? 'required'
              : 'none';
      expect(insuranceWarningOf(a), JSON.stringify(a)).toBe(expected);
    }
  });

  it('offers the waybill upload only in 30, and the local alias only where a confirm is possible but no upload (22, 40)', () => {
    for (const a of states) {
      expect(canUploadWaybill(a), JSON.stringify(a)).toBe(canConfirm(a) && a.status === 30);
      expect(canAliasWaybill(a), JSON.stringify(a)).toBe(canConfirm(a) && (a.status === 22 || a.status === 40));
      expect(canUploadWaybill(a) && canAliasWaybill(a)).toBe(false);
      if (canConfirm(a) && a.status === 40) expect(waybillRefusalOf(a)).toBe('waybill_status');
    }
  });

  it('judges our writes after sending with the same rules the desk applied before queueing them', () => {
    for (const a of states) {
      if (a.local.state !== 'none') continue;
      const confirm = judgeConfirm(a);
      const received = a.status === 50 || a.status === 60 || a.receiptStatus === 2;
      expect(confirm.kind, JSON.stringify(a)).toBe(received ? 'applied' : canConfirm(a) ? 'applicable' : 'refused');
      const waybill = judgeWaybill(a, null, false);
      expect(waybill.kind === 'applicable', JSON.stringify(a)).toBe(canUploadWaybill(a));
      expect(judgeWaybill(a, 'SF1', true).kind).toBe('applied');
      if (!canUploadWaybill(a)) expect(judgeWaybill(a, 'SF9', false)).toMatchObject({ kind: 'refused', reason: 'waybill_on_record' });
    }
  });

  it('the desk-queue SQL filter selects exactly the states inDeskQueue names', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE after_sales (handling_way INTEGER, status INTEGER)');
    const insert = db.prepare('INSERT INTO after_sales VALUES (?, ?)');
    for (const status of [...ALL_STATUSES, UNKNOWN]) for (const way of [...ALL_HANDLING_WAYS, UNKNOWN]) insert.run(way, status);
    const selected = db.prepare(`SELECT handling_way, status FROM after_sales a WHERE ${deskQueueSql('a')}`).all() as {
      handling_way: number;
      status: number;
    }[];
    const expected = (db.prepare('SELECT handling_way, status FROM after_sales').all() as typeof selected).filter((r) =>
      inDeskQueue({ handlingWay: r.handling_way, status: r.status }),
    );
    expect(selected).toEqual(expected);
    expect(selected.length).toBe(3);
    db.close();
  });
});
