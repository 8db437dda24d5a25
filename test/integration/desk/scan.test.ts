// scan.lookup on a real core: every outcome, the insurance warning, duplicates, the refresh on a miss, the audit trail.
import { describe, expect, it } from 'vitest';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { whenBackgroundIdle } from '../../../src/main/core/sync/background';
import { nextResolved } from '../../support/scan-events';
import type { PlatformClient } from '../../../src/main/core/platform/types';
import { signInAs, staffedDeskPerTest, type DeskHarness } from '../../unit/desk/support';
import { refundDetail, SF, seed, SHOP } from './fixtures';

let h: DeskHarness;
staffedDeskPerTest((harness) => {
  h = harness;
});

const scan = (code: string) => h.ok('scan.lookup', { code, source: 'scanner' });

describe('scan outcomes', () => {
  it('ready: a return in 40 found by its return waybill, whatever the scanner added', async () => {
    const refundId = seed(h, { status: 40, waybill: SF(1), insurance: true });
    const result = await scan(']C0sf1000000000001\r');
    expect(result).toMatchObject({
      outcome: 'ready',
      normalized: 'SF1000000000001',
      matchedBy: 'return_waybill',
      insuranceWarning: 'none',
      refreshed: false,
    });
    expect(result.afterSale?.refundId).toBe(refundId);
    expect(result.candidates).toEqual([]);
  });

  it('ready also for 22, and for 30 once a return waybill is on record', async () => {
    seed(h, { status: 22, waybill: SF(2) });
    seed(h, { status: 30, waybill: SF(3), insurance: true });
    expect((await scan('SF1000000000002')).outcome).toBe('ready');
    const thirty = await scan('SF1000000000003');
    expect(thirty).toMatchObject({ outcome: 'ready', insuranceWarning: 'none' });
  });

  it('waiting_for_buyer with the insurance warning required / unknown / none', async () => {
    const insured = seed(h, { status: 30, insurance: true, outbound: [SF(10)] });
    const unknown = seed(h, { status: 30 });
    const uninsured = seed(h, { status: 30, insurance: false });
    expect(await scan(insured)).toMatchObject({ outcome: 'waiting_for_buyer', matchedBy: 'refund_id', insuranceWarning: 'required' });
    expect(await scan(unknown)).toMatchObject({ outcome: 'waiting_for_buyer', insuranceWarning: 'unknown' });
    expect(await scan(uninsured)).toMatchObject({ outcome: 'waiting_for_buyer', insuranceWarning: 'none' });
    // The parcel came back on the original outbound waybill (refused delivery).
    expect(await scan('SF1000000000010')).toMatchObject({
      outcome: 'waiting_for_buyer',
      matchedBy: 'outbound_waybill',
      insuranceWarning: 'required',
    });
  });

  it('already_received for 50/60 and for our own queued confirm', async () => {
    seed(h, { status: 50, waybill: SF(20) });
    seed(h, { status: 60, waybill: SF(21) });
    const queued = seed(h, { status: 40, waybill: SF(22) });
    await h.ok('receipts.confirm', { refundId: queued });
    for (const code of ['SF1000000000020', 'SF1000000000021', 'SF1000000000022'])
      expect((await scan(code)).outcome).toBe('already_received');
  });

  it('not_a_return for refund-only, exchange for an exchange back in 40, closed for 70, not_confirmable for other statuses', async () => {
    seed(h, { handlingWay: 10, status: 40, waybill: SF(30) });
    seed(h, { handlingWay: 3, status: 40, waybill: SF(31) });
    seed(h, { status: 70, waybill: SF(32) });
    seed(h, { status: 11, waybill: SF(33) });
    seed(h, { status: 12, waybill: SF(34) });
    const outcomes = [];
    for (const n of [30, 31, 32, 33, 34]) outcomes.push((await scan(`SF10000000000${n}`)).outcome);
    expect(outcomes).toEqual(['not_a_return', 'exchange', 'closed', 'not_confirmable', 'not_confirmable']);
  });

  it('multiple: an order id with two after-sales answers both as candidates', async () => {
    const orderId = '2299999999999999999';
    const a = seed(h, { orderId, status: 40 });
    const b = seed(h, { orderId, status: 30 });
    const result = await scan(orderId);
    expect(result).toMatchObject({ outcome: 'multiple', matchedBy: 'order_id', afterSale: null, insuranceWarning: 'none' });
    expect(result.candidates.map((c) => c.refundId).sort()).toEqual([a, b].sort());
  });

  it('invalid_scan with the reason code for a garbled (IME) scan; nothing is looked up', async () => {
    const result = await scan('ＳＦ１２３中通快递');
    expect(result).toMatchObject({
      outcome: 'invalid_scan',
      rejectReason: 'garbled_cjk',
      normalized: null,
      afterSale: null,
      refreshed: false,
    });
    expect((await scan('\r\n')).outcome).toBe('invalid_scan');
  });

  it('not_found with no shop to refresh: no background refresh is started', async () => {
    const result = await scan('YT1234567890123');
    expect(result).toMatchObject({
      outcome: 'not_found',
      normalized: 'YT1234567890123',
      refreshed: false,
      refreshPending: false,
      afterSale: null,
    });
  });

  it('a miss runs one targeted refresh and finds the waybill the buyer filled a minute ago', async () => {
    const fresh = refundDetail({ status: 40, waybill: { expressNo: 'JT1234567890123', expressCode: 109 } }, h.clock.now());
    fresh.updateTime = h.clock.now() - 60_000;
    const calls: string[] = [];
    const client: PlatformClient = {
      listRefunds: async () => {
        calls.push('list');
        return { items: [fresh], pcursor: 'nomore' };
      },
      getRefundDetail: async () => {
        calls.push('detail');
        return fresh;
      },
      getOrder: async (orderId) => {
        calls.push('order');
        return {
          orderId,
          itemTitle: 't',
          skuDesc: 's',
          quantity: 1,
          freightInsurance: false,
          freightProviderType: null,
          outboundWaybills: [],
          refunds: [],
        };
      },
      getNegotiationHistory: async () => [],
      submitReturnWaybill: async () => {},
      confirmReceipt: async () => {},
    };
    configureSync(h.core.context, { shopIds: () => [SHOP], clientFor: () => client });
    const resolved = nextResolved(h.core.events);
    // The miss answers from the cache at once; the refresh runs after the answer.
    const miss = await scan('JT1234567890123');
    expect(miss).toMatchObject({ outcome: 'not_found', refreshed: false, refreshPending: true, afterSale: null });
    const { scanId, result } = await resolved;
    expect(scanId).toBe(miss.scanId);
    expect(result).toMatchObject({ outcome: 'ready', refreshed: true, refreshPending: false, matchedBy: 'return_waybill' });
    expect(result.scanId).not.toBe(miss.scanId);
    expect(result.afterSale?.refundId).toBe(fresh.refundId);
    expect(calls.filter((c) => c === 'list').length).toBeGreaterThanOrEqual(1);
    // Both answers are recorded, the late one pointing at the miss it resolves.
    const audit = h.core.context.db
      .prepare("SELECT outcome, details FROM audit_log WHERE action = 'scan' ORDER BY id DESC LIMIT 2")
      .all() as { outcome: string; details: string }[];
    expect(audit.map((a) => a.outcome)).toEqual(['ready', 'not_found']);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ resolvesScanId: miss.scanId, refreshed: true });
    // A hit needs no refresh.
    calls.length = 0;
    h.clock.advance(10 * 60_000);
    expect((await scan('JT1234567890123')).refreshPending).toBe(false);
    await whenBackgroundIdle(h.core.context);
    expect(calls).toEqual([]);
  });

  it('a miss never waits on the platform: it answers while the refresh is still stuck, and a late miss gets no event', async () => {
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const lists: number[] = [];
    const client = {
      listRefunds: async () => {
        lists.push(1);
        await stuck;
        return { items: [], pcursor: 'nomore' };
      },
    } as unknown as PlatformClient;
    configureSync(h.core.context, { shopIds: () => [SHOP], clientFor: () => client });
    const events: unknown[] = [];
    h.core.events.subscribe((name, payload) => {
      if (name === 'scan.resolved') events.push(payload);
    });
    const first = await scan('YT1234567890123');
    const second = await scan('YT1234567890124');
    expect([first.refreshPending, second.refreshPending]).toEqual([true, true]);
    expect(lists.length).toBe(1); // the burst shares the running refresh, one more queued behind it
    release();
    await whenBackgroundIdle(h.core.context);
    expect(lists.length).toBe(2);
    expect(events).toEqual([]);
  });
});

describe('repeated scans', () => {
  it('a repeat within the window answers the real outcome (a second look, confirmable) flagged repeated', async () => {
    await h.ok('settings.save', { duplicateScanWindowMs: 120_000 });
    const refundId = seed(h, { status: 30, insurance: true, waybill: null, outbound: [SF(40)] });
    expect(await scan('SF1000000000040')).toMatchObject({ outcome: 'waiting_for_buyer', repeated: false });
    h.clock.advance(60_000);
    const again = await scan('sf-1000000000040');
    expect(again).toMatchObject({ outcome: 'waiting_for_buyer', insuranceWarning: 'required', repeated: true });
    expect(again.afterSale?.refundId).toBe(refundId);
    // The confirm goes through on the repeat's scanId; the guard against a second confirm is the state itself.
    await h.ok('receipts.confirm', { refundId, scanId: again.scanId, overrideInsuranceWarning: true });
    expect(await scan('SF1000000000040')).toMatchObject({ outcome: 'already_received', repeated: true });
    h.clock.advance(120_001);
    expect((await scan('SF1000000000040')).repeated).toBe(false);
  });

  it('does not count misses and garbled scans, and is off with a zero window', async () => {
    seed(h, { status: 40, waybill: SF(41) });
    await scan('YT9999999999999');
    expect(await scan('YT9999999999999')).toMatchObject({ outcome: 'not_found', repeated: false });
    await h.ok('settings.save', { duplicateScanWindowMs: 0 });
    await scan('SF1000000000041');
    expect(await scan('SF1000000000041')).toMatchObject({ outcome: 'ready', repeated: false });
  });
});

describe('who may scan, and the audit trail', () => {
  it('needs a signed-in operator but not agree_refund', async () => {
    seed(h, { status: 40, waybill: SF(50) });
    await signInAs(h, 'Picker'); // custom role without any permission
    expect((await scan('SF1000000000050')).outcome).toBe('ready');
    await h.ok('operators.signOut', {});
    await h.fails('scan.lookup', { code: 'SF1000000000050' }, 'not_signed_in');
  });

  it('audits every scan with who, the raw code and the outcome', async () => {
    const refundId = seed(h, { status: 40, waybill: SF(51) });
    const before = h.count('audit_log');
    const ready = await scan('SF1000000000051');
    await scan('中文');
    await scan('YT1111111111111');
    const scans = (await h.ok('audit.list', { limit: 10 })).filter((e) => e.action === 'scan');
    expect(h.count('audit_log')).toBe(before + 3);
    expect(scans.map((e) => e.outcome)).toEqual(['not_found', 'invalid_scan', 'ready']);
    expect(scans[2]).toMatchObject({
      operatorName: 'Boss',
      refundId,
      scannedCode: 'SF1000000000051',
      details: { scanId: ready.scanId, matchedBy: 'return_waybill', source: 'scanner' },
    });
    expect(scans[1]!.details).toMatchObject({ rejectReason: 'garbled_cjk' });
  });

  it('marks a registered unmatched parcel resolved when a later scan finds its after-sale', async () => {
    expect((await scan('SF1000000000052')).outcome).toBe('not_found');
    await h.ok('parcels.registerUnmatched', { code: 'SF1000000000052', note: 'no label' });
    const refundId = seed(h, { status: 40, waybill: SF(52) });
    expect((await scan('SF1000000000052')).outcome).toBe('ready');
    expect((await h.ok('parcels.listUnmatched', {}))[0]).toMatchObject({ resolvedRefundId: refundId });
  });

  it('keeps a huge or hostile scan bounded: schema refuses over 2048 chars, control characters never reach the audit', async () => {
    await h.fails('scan.lookup', { code: 'S'.repeat(2049) }, 'invalid_input');
    await h.fails('scan.lookup', { code: 'SF1', source: 'robot' as never }, 'invalid_input');
    await h.fails('scan.lookup', { code: 'SF1', extra: 1 } as never, 'invalid_input');
    const result = await scan('\u001b[31mSF1000000000053\u0007');
    const entry = (await h.ok('audit.list', { limit: 1 }))[0]!;
    expect([...(entry.scannedCode ?? '')].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(result.outcome).toBeDefined();
  });
});
