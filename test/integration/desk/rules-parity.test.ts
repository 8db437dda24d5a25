// The real core against the shared desk rules for every platform state: scan.lookup answers outcomeOf, confirm and
// waybill upload are accepted exactly where canConfirm / canUploadWaybill say, and refusals carry the rules' reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_HANDLING_WAYS,
  ALL_RECEIPT_STATUSES,
  ALL_STATUSES,
  canConfirm,
  canUploadWaybill,
  confirmRefusalOf,
  outcomeOf,
  waybillRefusalOf,
} from '../../../src/common/desk';
import { deskHarness, withStaff, type DeskHarness } from '../../unit/desk/support';
import { SF, seed } from './fixtures';

let h: DeskHarness;
beforeAll(async () => {
  h = deskHarness();
  await withStaff(h);
  await h.ok('settings.save', { duplicateScanWindowMs: 0 });
});
afterAll(async () => {
  await h.core.close();
});

const platformStates = [...ALL_STATUSES, 99].flatMap((status) =>
  [...ALL_HANDLING_WAYS, 99].flatMap((handlingWay) =>
    ALL_RECEIPT_STATUSES.flatMap((receiptStatus) =>
      [true, false].map((withWaybill) => ({ status, handlingWay, receiptStatus, withWaybill })),
    ),
  ),
);

describe('core and shared rules agree on every platform state', () => {
  it('scan outcome, confirm and waybill upload', async () => {
    let n = 0;
    for (const s of platformStates) {
      n += 1;
      const refundId = seed(h, {
        status: s.status,
        handlingWay: s.handlingWay,
        receiptStatus: s.receiptStatus,
        waybill: s.withWaybill ? SF(n) : null,
        insurance: false,
      });
      const label = JSON.stringify(s);
      const view = await h.ok('afterSales.get', { refundId });
      expect((await h.ok('scan.lookup', { code: refundId })).outcome, label).toBe(outcomeOf(view));

      const upload = await h.call('waybills.submit', { refundId, expressNo: `YT${String(9_000_000_000_000 + n)}`, expressCode: 3 });
      expect(upload.ok, label).toBe(canUploadWaybill(view));
      if (!upload.ok) expect((upload.error.details as { reason?: string }).reason, label).toBe(waybillRefusalOf(view));

      const fresh = await h.ok('afterSales.get', { refundId });
      const confirm = await h.call('receipts.confirm', { refundId, overrideInsuranceWarning: true });
      expect(confirm.ok, label).toBe(canConfirm(fresh));
      if (!confirm.ok) expect((confirm.error.details as { reason?: string }).reason, label).toBe(confirmRefusalOf(fresh));
    }
    expect(n).toBe(14 * 6 * 2 * 2);
  }, 60_000);
});
