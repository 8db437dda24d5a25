// waybills.alias on a real core: in 40 the label on the parcel in hand scans to the after-sale, audited, no platform call.
import { describe, expect, it } from 'vitest';
import { signInAs, staffedDeskPerTest, type DeskHarness } from '../../unit/desk/support';
import { outboxRows, SF, seed } from './fixtures';

let h: DeskHarness;
staffedDeskPerTest((harness) => {
  h = harness;
});

describe('waybills.alias', () => {
  it('ties another label to a return shipped back (40): the label scans to it, nothing goes to the platform, audited', async () => {
    const refundId = seed(h, { status: 40, waybill: SF(1) });
    expect((await h.ok('scan.lookup', { code: 'YT1234567890123' })).outcome).toBe('not_found');
    const alias = await h.ok('waybills.alias', { refundId, expressNo: ' yt1234567890123 ' });
    expect(alias).toMatchObject({ refundId, expressNo: 'YT1234567890123', operatorName: 'Boss' });
    const scan = await h.ok('scan.lookup', { code: 'YT1234567890123' });
    expect(scan).toMatchObject({ outcome: 'ready', matchedBy: 'local_alias' });
    expect(scan.afterSale?.refundId).toBe(refundId);
    expect(scan.afterSale?.returnWaybill?.expressNo).toBe('SF1000000000001'); // the record stays the platform's
    expect(outboxRows(h)).toEqual([]);
    const entries = (await h.ok('audit.list', { limit: 10 })).filter((e) => e.action === 'waybill.alias');
    expect(entries[0]).toMatchObject({
      outcome: 'recorded',
      refundId,
      details: { expressNo: 'YT1234567890123', onRecord: 'SF1000000000001' },
    });
    // Again for the same after-sale: the same alias, not a second one.
    expect((await h.ok('waybills.alias', { refundId, expressNo: 'YT1234567890123' })).createdAt).toBe(alias.createdAt);
  });

  it('refuses where an upload is the right action (30), where nothing can be confirmed, and labels of another after-sale', async () => {
    const waiting = seed(h, { status: 30 });
    expect((await h.fails('waybills.alias', { refundId: waiting, expressNo: 'YT1234567890123' }, 'invalid_state')).details).toMatchObject({
      reason: 'alias_not_needed',
    });
    const closed = seed(h, { status: 70, waybill: SF(2) });
    expect((await h.fails('waybills.alias', { refundId: closed, expressNo: 'YT1234567890123' }, 'invalid_state')).details).toMatchObject({
      reason: 'status',
    });
    const shipped = seed(h, { status: 40, waybill: SF(3) });
    const other = seed(h, { status: 40, waybill: SF(4) });
    expect((await h.fails('waybills.alias', { refundId: shipped, expressNo: 'SF1000000000004' }, 'conflict')).details).toMatchObject({
      reason: 'duplicate_waybill',
      refundIds: [other],
    });
    await h.ok('waybills.alias', { refundId: other, expressNo: 'YT5554443332221' });
    await h.fails('waybills.alias', { refundId: shipped, expressNo: 'YT5554443332221' }, 'conflict');
    expect((await h.fails('waybills.alias', { refundId: shipped, expressNo: 'SF1000000000003' }, 'invalid_state')).details).toMatchObject({
      reason: 'alias_not_needed',
    });
    await h.fails('waybills.alias', { refundId: shipped, expressNo: 'SF12中文' }, 'invalid_input');
  });

  it('needs agree_refund', async () => {
    const refundId = seed(h, { status: 40, waybill: SF(5) });
    await signInAs(h, 'Picker');
    await h.fails('waybills.alias', { refundId, expressNo: 'YT1234567890123' }, 'forbidden');
  });
});
