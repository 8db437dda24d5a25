// The back office's core methods: audit search filters, binding parcels by hand and by themselves, one's own PIN.
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src/common/contract';
import { MAIN, signInAs, staffedDeskPerTest, type DeskHarness, type StaffIds } from '../../unit/desk/support';
import { SF, seed } from '../desk/fixtures';

let h: DeskHarness;
let staff: StaffIds;
staffedDeskPerTest((harness, ids) => {
  h = harness;
  staff = ids;
});

describe('audit.search', () => {
  it('filters by operator, action, after-sale, time range and overridden warnings', async () => {
    const a = seed(h, { status: 30, insurance: true });
    await h.ok('parcels.registerUnmatched', { code: 'SF1234567890001' });
    h.clock.advance(60_000);
    const cut = h.clock.now();
    await signInAs(h, 'Admin');
    await h.ok('scan.lookup', { code: a });
    await h.ok('receipts.confirm', { refundId: a, overrideInsuranceWarning: true });
    await signInAs(h, MAIN.name, MAIN.pin);

    const byAdmin = await h.ok('audit.search', { operatorId: staff.admin });
    expect(byAdmin.entries.length).toBeGreaterThan(0);
    expect(byAdmin.entries.every((e) => e.operatorId === staff.admin)).toBe(true);
    expect(byAdmin.actions).toEqual(expect.arrayContaining(['scan', 'receipt.confirm', 'parcels.registerUnmatched', 'operators.save']));

    const scans = await h.ok('audit.search', { action: 'scan', refundId: a });
    expect(scans.entries.map((e) => [e.action, e.refundId])).toEqual([['scan', a]]);

    const overridden = await h.ok('audit.search', { overriddenOnly: true });
    expect(overridden.entries.map((e) => e.action)).toEqual(['receipt.confirm']);

    const before = await h.ok('audit.search', { to: cut });
    expect(before.entries.every((e) => e.at < cut)).toBe(true);
    expect(before.entries.some((e) => e.action === 'parcels.registerUnmatched')).toBe(true);
    const after = await h.ok('audit.search', { from: cut });
    expect(after.entries.some((e) => e.action === 'parcels.registerUnmatched')).toBe(false);

    // An export asks for the filter's whole count with its first page; paging does not change it.
    const all = await h.ok('audit.search', { operatorId: staff.admin, limit: 1000 });
    expect(all.total).toBeNull();
    const first = await h.ok('audit.search', { operatorId: staff.admin, limit: 1, countTotal: true });
    expect(first.total).toBe(all.entries.length);
    const later = await h.ok('audit.search', { operatorId: staff.admin, limit: 1, beforeId: first.entries[0]!.id, countTotal: true });
    expect(later.total).toBe(all.entries.length);
  });

  it('is refused to operators who do not manage the desk', async () => {
    await signInAs(h, 'Kefu');
    await h.fails('audit.search', {}, 'forbidden');
  });
});

describe('binding unmatched parcels', () => {
  it('binds by hand once, audited; refuses unknown after-sales and a second binding', async () => {
    const a = seed(h, { status: 30 });
    const parcel = await h.ok('parcels.registerUnmatched', { code: 'YT1234567890123', note: '无面单' });
    await h.fails('parcels.bind', { parcelId: parcel.id, refundId: '9999999999' }, 'not_found');
    const bound = await h.ok('parcels.bind', { parcelId: parcel.id, refundId: a });
    expect(bound.resolvedRefundId).toBe(a);
    await h.fails('parcels.bind', { parcelId: parcel.id, refundId: a }, 'conflict');
    const audit = await h.ok('audit.search', { action: 'parcels.bind' });
    expect(audit.entries[0]).toMatchObject({ refundId: a, operatorName: MAIN.name, details: { parcelId: parcel.id, how: 'by_hand' } });
  });

  it('needs the agree-refund permission to bind by hand', async () => {
    const a = seed(h, { status: 30 });
    const parcel = await h.ok('parcels.registerUnmatched', { code: 'YT1234567890124' });
    await signInAs(h, 'Picker');
    await h.fails('parcels.bind', { parcelId: parcel.id, refundId: a }, 'forbidden');
  });

  it('binds itself when a waybill uploaded at the desk brings the number, and says so', async () => {
    const bound: EventPayload<'parcels.bound'>[] = [];
    h.core.events.subscribe((name, payload) => {
      if (name === 'parcels.bound') bound.push(payload as EventPayload<'parcels.bound'>);
    });
    const a = seed(h, { status: 30, insurance: false });
    const parcel = await h.ok('parcels.registerUnmatched', { code: 'SF1000000000077' });
    await h.ok('waybills.submit', { refundId: a, expressNo: 'SF1000000000077', expressCode: 4 });
    expect(bound).toEqual([{ parcelId: parcel.id, code: 'SF1000000000077', refundId: a }]);
    const list = await h.ok('parcels.listUnmatched', {});
    expect(list.find((p) => p.id === parcel.id)?.resolvedRefundId).toBe(a);
    const audit = await h.ok('audit.search', { action: 'parcels.autoBind' });
    expect(audit.entries[0]).toMatchObject({ refundId: a, operatorId: null, details: { parcelId: parcel.id, how: 'return_waybill' } });
  });

  it('binds itself when a sync brings the after-sale with that return waybill, but never when several match', async () => {
    const parcel = await h.ok('parcels.registerUnmatched', { code: 'SF1000000000042' });
    const shared = await h.ok('parcels.registerUnmatched', { code: 'SF1000000000043' });
    const a = seed(h, { status: 40, waybill: SF(42) });
    seed(h, { status: 40, waybill: SF(43) });
    seed(h, { status: 40, waybill: SF(43) });
    h.core.events.emit('afterSales.changed', { refundIds: [a] });
    const list = await h.ok('parcels.listUnmatched', {});
    expect(list.find((p) => p.id === parcel.id)?.resolvedRefundId).toBe(a);
    expect(list.find((p) => p.id === shared.id)?.resolvedRefundId).toBeNull();
  });
});

describe('operators.changeOwnPin', () => {
  it('lets the main account change its own PIN with the current one, audited', async () => {
    await h.fails('operators.changeOwnPin', { currentPin: '0000', newPin: '5678' }, 'forbidden');
    await h.ok('operators.changeOwnPin', { currentPin: MAIN.pin, newPin: '5678' });
    await h.ok('operators.signOut', {});
    await h.fails('operators.signIn', { name: MAIN.name, pin: MAIN.pin }, 'not_signed_in');
    await h.ok('operators.signIn', { name: MAIN.name, pin: '5678' });
    const audit = await h.ok('audit.search', { action: 'operators.changeOwnPin' });
    expect(audit.entries.map((e) => e.outcome)).toEqual(['ok', 'wrong_pin']);
  });

  it('needs someone signed in', async () => {
    await h.ok('operators.signOut', {});
    await h.fails('operators.changeOwnPin', { currentPin: MAIN.pin, newPin: '5678' }, 'not_signed_in');
  });
});

describe('stats.summary', () => {
  it('counts a shift from the audit log and the outbox', async () => {
    const from = h.clock.now();
    const ready = seed(h, { status: 40, waybill: SF(1), insurance: false });
    const insured = seed(h, { status: 30, insurance: true });
    const upload = seed(h, { status: 30, insurance: false });
    const undone = seed(h, { status: 40, waybill: SF(2), insurance: false });
    await signInAs(h, 'Admin');
    const scan = await h.ok('scan.lookup', { code: 'SF1000000000001' });
    h.clock.advance(4_000);
    await h.ok('receipts.confirm', { refundId: ready, scanId: scan.scanId });
    const warned = await h.ok('scan.lookup', { code: insured });
    h.clock.advance(8_000);
    await h.ok('receipts.confirm', { refundId: insured, scanId: warned.scanId, overrideInsuranceWarning: true });
    await h.ok('scan.lookup', { code: 'SF9999999999999' });
    await h.ok('waybills.submit', { refundId: upload, expressNo: 'SF1000000000088', expressCode: 4 });
    await h.ok('receipts.confirm', { refundId: undone });
    await h.ok('receipts.undo', { refundId: undone });
    await signInAs(h, MAIN.name, MAIN.pin);
    await h.ok('scan.lookup', { code: 'SF1000000000002' });

    const stats = await h.ok('stats.summary', { from, to: h.clock.now() + 1, utcOffsetMinutes: 480 });
    expect(stats.scans).toBe(4);
    expect(stats.outcomes).toEqual({ ready: 2, waiting_for_buyer: 1, not_found: 1 });
    expect(stats.scansByOperator).toEqual([
      { label: 'Admin', count: 3 },
      { label: MAIN.name, count: 1 },
    ]);
    expect(stats.scansByShop).toEqual([{ label: 'shop-1', count: 3 }]);
    expect(stats.scansByHour[new Date(from + 480 * 60_000).getUTCHours()]).toBe(4);
    expect(stats.confirms).toBe(2);
    expect(stats.confirmedAmountFen).toBe(2 * 5990);
    expect(stats.insuranceWarningsShown).toBe(1);
    expect(stats.insuranceWarningsOverridden).toBe(1);
    expect(stats.waybillsUploaded).toBe(1);
    expect(stats.scanToConfirmCount).toBe(2);
    expect(stats.scanToConfirmMedianS).toBe(6);
    expect(stats.outboxPending).toBe(3);
    const later = await h.ok('stats.summary', { from: h.clock.now() + 1, to: h.clock.now() + 2 });
    expect(later.scans).toBe(0);
    expect(later.scanToConfirmMedianS).toBeNull();
  });

  it('is for managers only', async () => {
    await signInAs(h, 'Kefu');
    await h.fails('stats.summary', { from: 0, to: 1 }, 'forbidden');
  });
});
