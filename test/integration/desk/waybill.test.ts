// waybills.submit on a real core: normalization, courier checks and warnings, duplicate refusal/override, states.
import { describe, expect, it } from 'vitest';
import { staffedDeskPerTest, type DeskHarness } from '../../unit/desk/support';
import { outboxRows, SF, seed } from './fixtures';

let h: DeskHarness;
staffedDeskPerTest((harness) => {
  h = harness;
});

const lastAudit = async () => (await h.ok('audit.list', { limit: 1 }))[0]!;

describe('waybills.submit', () => {
  it('normalizes the number, queues the upload, shows it locally at once and audits it', async () => {
    const a = seed(h, { status: 30, insurance: true });
    const result = await h.ok('waybills.submit', { refundId: a, expressNo: ' ｓｆ1234567890123 ', expressCode: 4 });
    expect(result).toMatchObject({ refundId: a, expressNo: 'SF1234567890123', warnings: [] });
    const view = await h.ok('afterSales.get', { refundId: a });
    expect(view.local.state).toBe('waybill_pending');
    expect(view.returnWaybill).toMatchObject({ expressNo: 'SF1234567890123', expressCode: 4 });
    expect(JSON.parse(outboxRows(h, a)[0]!.payload)).toEqual({ expressNo: 'SF1234567890123', expressCode: 4 });
    expect(await lastAudit()).toMatchObject({
      action: 'waybill.submit',
      outcome: 'queued',
      refundId: a,
      overriddenWarning: null,
      details: { outboxId: result.outboxId, warnings: [] },
    });
  });

  it('warns (does not refuse) on an unknown shape and on a courier the number does not look like', async () => {
    const a = seed(h, { status: 30 });
    const b = seed(h, { status: 30 });
    expect((await h.ok('waybills.submit', { refundId: a, expressNo: 'ZZ9988776655', expressCode: 113 })).warnings).toEqual([
      'unknown_shape',
    ]);
    expect((await h.ok('waybills.submit', { refundId: b, expressNo: 'SF1234567890999', expressCode: 6 })).warnings).toEqual([
      'courier_mismatch',
    ]);
    expect(outboxRows(h)).toHaveLength(2);
  });

  it('refuses a waybill already on another after-sale unless overridden; the override is audited', async () => {
    const other = seed(h, { status: 40, waybill: SF(5) });
    const a = seed(h, { status: 30, insurance: false });
    const refused = await h.fails('waybills.submit', { refundId: a, expressNo: 'SF1000000000005', expressCode: 4 }, 'conflict');
    expect(refused.details).toMatchObject({ reason: 'duplicate_waybill', refundIds: [other] });
    expect(outboxRows(h)).toEqual([]);
    const result = await h.ok('waybills.submit', { refundId: a, expressNo: 'SF1000000000005', expressCode: 4, overrideDuplicate: true });
    expect(result.warnings).toEqual(['duplicate_waybill']);
    expect(await lastAudit()).toMatchObject({ outcome: 'queued', overriddenWarning: 'duplicate_waybill', details: { alsoOn: [other] } });
    // Re-sending the same waybill for the same after-sale is not a duplicate of itself.
    expect(
      (await h.ok('waybills.submit', { refundId: a, expressNo: 'SF1000000000005', expressCode: 4, overrideDuplicate: true })).outboxId,
    ).toBe(result.outboxId);
  });

  it('refuses garbled numbers and unknown couriers with invalid_input and a reason', async () => {
    const a = seed(h, { status: 30 });
    expect(
      (await h.fails('waybills.submit', { refundId: a, expressNo: 'SF12中文', expressCode: 4 }, 'invalid_input')).details,
    ).toMatchObject({ reason: 'garbled_cjk' });
    expect(
      (await h.fails('waybills.submit', { refundId: a, expressNo: '00123456789012345678', expressCode: 4 }, 'invalid_input')).details,
    ).toMatchObject({ reason: 'sscc_carton' });
    expect(
      (await h.fails('waybills.submit', { refundId: a, expressNo: 'SF1234567890123', expressCode: 99999 }, 'invalid_input')).details,
    ).toMatchObject({ reason: 'unknown_courier' });
    await h.fails('waybills.submit', { refundId: a, expressNo: '', expressCode: 4 }, 'invalid_input');
    await h.fails('waybills.submit', { refundId: a, expressNo: 'SF1234567890123', expressCode: -4 }, 'invalid_input');
    await h.fails('waybills.submit', { refundId: a, expressNo: 'SF1234567890123', expressCode: 4.5 }, 'invalid_input');
    expect(outboxRows(h)).toEqual([]);
    expect((await h.ok('afterSales.get', { refundId: a })).returnWaybill).toBeNull();
  });

  it("only for return-and-refund in 30 (in 40 the platform holds the buyer's waybill), and not after our confirm", async () => {
    const shipped = seed(h, { status: 40, waybill: SF(7) });
    expect(
      (await h.fails('waybills.submit', { refundId: shipped, expressNo: 'YT1234567890123', expressCode: 6 }, 'invalid_state')).details,
    ).toMatchObject({ reason: 'waybill_status', status: 40 });
    for (const status of [11, 22, 50, 60, 70]) {
      const id = seed(h, { status });
      expect(
        (await h.fails('waybills.submit', { refundId: id, expressNo: 'YT1234567890123', expressCode: 6 }, 'invalid_state')).details,
      ).toMatchObject({ status });
    }
    const refundOnly = seed(h, { status: 30, handlingWay: 10 });
    await h.fails('waybills.submit', { refundId: refundOnly, expressNo: 'YT1234567890123', expressCode: 6 }, 'invalid_state');
    await h.fails('waybills.submit', { refundId: '1777777777777777777', expressNo: 'YT1234567890123', expressCode: 6 }, 'not_found');
    const confirmed = seed(h, { status: 30, waybill: SF(6) });
    await h.ok('receipts.confirm', { refundId: confirmed });
    expect(
      (await h.fails('waybills.submit', { refundId: confirmed, expressNo: 'YT1234567890123', expressCode: 6 }, 'invalid_state')).details,
    ).toMatchObject({ reason: 'already_confirmed' });
    expect(outboxRows(h).map((r) => r.kind)).toEqual(['confirm_receipt']);
  });
});
