// receipts.* on a real core: permissions, preconditions, the insurance rule, return-freight decisions, batch, undo.
import { describe, expect, it } from 'vitest';
import { signInAs, staffedDeskPerTest, type DeskHarness } from '../../unit/desk/support';
import { outboxRows, SF, seed } from './fixtures';

let h: DeskHarness;
let ids: Record<'main' | 'admin' | 'cs' | 'custom', string>;
staffedDeskPerTest((harness, staff) => {
  h = harness;
  ids = staff;
});

const audits = async (action: string) => (await h.ok('audit.list', { limit: 200 })).filter((e) => e.action === action);

describe('permission matrix', () => {
  it.each([
    ['Boss', '1234'],
    ['Admin', '0000'],
    ['Kefu', '0000'],
  ])('%s (built-in role) may confirm and upload waybills', async (name, pin) => {
    await signInAs(h, name, pin);
    const a = seed(h, { status: 40, waybill: SF(1) });
    const b = seed(h, { status: 30, insurance: false });
    await h.ok('receipts.confirm', { refundId: a });
    await h.ok('waybills.submit', { refundId: b, expressNo: 'YT1234567890123', expressCode: 6 });
    expect(outboxRows(h).map((r) => r.kind)).toEqual(['confirm_receipt', 'submit_waybill']);
  });

  it('a custom role without agree_refund is refused with forbidden and nothing is queued; the refusal is audited', async () => {
    await signInAs(h, 'Picker');
    const a = seed(h, { status: 40, waybill: SF(2) });
    await h.fails('receipts.confirm', { refundId: a }, 'forbidden');
    await h.fails('receipts.confirmBatch', { items: [{ refundId: a }] }, 'forbidden');
    await h.fails('waybills.submit', { refundId: a, expressNo: 'YT1234567890123', expressCode: 6 }, 'forbidden');
    await h.fails('receipts.undo', { refundId: a }, 'forbidden');
    expect(outboxRows(h)).toEqual([]);
    expect((await h.ok('afterSales.get', { refundId: a })).local.state).toBe('none');
    await signInAs(h, 'Boss', '1234');
    // Refused by dispatch from the contract's declared permission, before the handler runs: audited there.
    for (const method of ['receipts.confirm', 'receipts.confirmBatch', 'waybills.submit', 'receipts.undo']) {
      expect(await audits(method), method).toMatchObject([
        { outcome: 'forbidden', operatorName: 'Picker', details: { needed: 'agree_refund' } },
      ]);
    }
  });

  it('a custom role granted agree_refund may confirm', async () => {
    await h.ok('operators.save', { id: ids.custom, name: 'Picker', role: 'custom', permissions: ['agree_refund'] });
    await signInAs(h, 'Picker');
    const a = seed(h, { status: 40, waybill: SF(3) });
    await h.ok('receipts.confirm', { refundId: a });
    expect(outboxRows(h, a)).toHaveLength(1);
    expect(outboxRows(h, a)[0]!.operator_id).toBe(ids.custom);
  });

  it('signed out: not_signed_in for every desk action', async () => {
    const a = seed(h, { status: 40, waybill: SF(4) });
    await h.ok('operators.signOut', {});
    await h.fails('receipts.confirm', { refundId: a }, 'not_signed_in');
    await h.fails('receipts.confirmBatch', { items: [{ refundId: a }] }, 'not_signed_in');
    await h.fails('receipts.undo', { refundId: a }, 'not_signed_in');
    await h.fails('waybills.submit', { refundId: a, expressNo: 'YT1234567890123', expressCode: 6 }, 'not_signed_in');
    expect(outboxRows(h)).toEqual([]);
  });
});

describe('receipts.confirm', () => {
  it('queues the confirm with its undo window, audits it with the scanned code, and a second confirm is a conflict', async () => {
    const a = seed(h, { status: 40, waybill: SF(10) });
    const scanned = await h.ok('scan.lookup', { code: 'SF1000000000010' });
    const result = await h.ok('receipts.confirm', { refundId: a, scanId: scanned.scanId });
    expect(result).toMatchObject({ refundId: a, undoUntil: h.clock.now() + 5_000, returnFreightAmount: null });
    expect((await h.ok('afterSales.get', { refundId: a })).local.state).toBe('confirm_pending');
    const entry = (await audits('receipt.confirm'))[0]!;
    expect(entry).toMatchObject({
      outcome: 'queued',
      operatorName: 'Boss',
      scannedCode: 'SF1000000000010',
      overriddenWarning: null,
      details: { outboxId: result.outboxId },
    });
    const again = await h.fails('receipts.confirm', { refundId: a }, 'conflict');
    expect(again.details).toMatchObject({ reason: 'already_confirmed' });
    expect(outboxRows(h, a)).toHaveLength(1);
    const listed = await h.ok('outbox.list', {});
    expect(listed).toEqual([expect.objectContaining({ id: result.outboxId, kind: 'confirm_receipt', operatorName: 'Boss' })]);
  });

  it('refuses other statuses with invalid_state and the status, refund-only with invalid_state, unknown ids with not_found', async () => {
    for (const status of [10, 11, 12, 21, 50, 60, 70]) {
      const id = seed(h, { status, waybill: SF(20 + status) });
      expect((await h.fails('receipts.confirm', { refundId: id }, 'invalid_state')).details).toMatchObject({ status });
    }
    const refundOnly = seed(h, { handlingWay: 10, status: 40 });
    expect((await h.fails('receipts.confirm', { refundId: refundOnly }, 'invalid_state')).details).toMatchObject({
      reason: 'not_a_return',
    });
    await h.fails('receipts.confirm', { refundId: '1999999999999999999' }, 'not_found');
    expect(outboxRows(h)).toEqual([]);
  });

  it('refuses an after-sale whose detail was never read', async () => {
    const a = seed(h, { status: 40, detail: false });
    expect((await h.fails('receipts.confirm', { refundId: a }, 'conflict')).details).toMatchObject({ reason: 'detail_not_synced' });
    expect(outboxRows(h)).toEqual([]);
  });
});

describe('the insurance rule', () => {
  it('required: refused with conflict/insurance_warning until overridden, and the override is audited', async () => {
    const a = seed(h, { status: 30, insurance: true });
    const refused = await h.fails('receipts.confirm', { refundId: a }, 'conflict');
    expect(refused.details).toMatchObject({ reason: 'insurance_warning', warning: 'required' });
    expect(outboxRows(h)).toEqual([]);
    await h.ok('receipts.confirm', { refundId: a, overrideInsuranceWarning: true });
    expect(outboxRows(h, a)).toHaveLength(1);
    const [queued, refusal] = await audits('receipt.confirm');
    expect(queued).toMatchObject({ outcome: 'queued', overriddenWarning: 'insurance_required' });
    expect(refusal).toMatchObject({ outcome: 'refused:conflict', details: { error: { reason: 'insurance_warning' } } });
  });

  it('unknown (order not synced) warns as well; none confirms straight away', async () => {
    const unknown = seed(h, { status: 30 });
    const none = seed(h, { status: 30, insurance: false });
    expect((await h.fails('receipts.confirm', { refundId: unknown }, 'conflict')).details).toMatchObject({ warning: 'unknown' });
    await h.ok('receipts.confirm', { refundId: unknown, overrideInsuranceWarning: true });
    await h.ok('receipts.confirm', { refundId: none });
    const entries = await audits('receipt.confirm');
    expect(entries.filter((e) => e.outcome === 'queued').map((e) => e.overriddenWarning)).toEqual([null, 'insurance_unknown']);
  });

  it('does not apply once the waybill is uploaded for the buyer: upload first, then confirm', async () => {
    const a = seed(h, { status: 30, insurance: true });
    await h.ok('waybills.submit', { refundId: a, expressNo: 'SF1000000000099', expressCode: 4 });
    expect((await h.ok('scan.lookup', { code: 'SF1000000000099' })).outcome).toBe('ready');
    const result = await h.ok('receipts.confirm', { refundId: a });
    expect(result.refundId).toBe(a);
    expect(outboxRows(h, a).map((r) => r.kind)).toEqual(['submit_waybill', 'confirm_receipt']);
    expect((await audits('receipt.confirm'))[0]!.overriddenWarning).toBeNull();
  });
});

describe('return-freight decision', () => {
  const claim = { amount: 1200, status: 10, applyDesc: '运费12元', images: [] };

  it('is required when the buyer claims postage', async () => {
    const a = seed(h, { status: 40, waybill: SF(60), freight: claim });
    const error = await h.fails('receipts.confirm', { refundId: a }, 'invalid_input');
    expect(error.details).toMatchObject({ reason: 'return_freight_decision_required', claim: { amount: 1200 } });
    expect(outboxRows(h)).toEqual([]);
  });

  it('agree sends the claimed amount', async () => {
    const a = seed(h, { status: 40, waybill: SF(61), freight: claim });
    const result = await h.ok('receipts.confirm', { refundId: a, returnFreight: { advice: 'agree' } });
    expect(result.returnFreightAmount).toBe(1200);
    expect(JSON.parse(outboxRows(h, a)[0]!.payload)).toEqual({ returnFreight: { advice: 'agree', amount: 1200 } });
  });

  it('reject needs a reason (at most 200 chars, the conservative limit) and at least one image, and sends them', async () => {
    const a = seed(h, { status: 40, waybill: SF(62), freight: claim });
    const photo = ['https://img.example/parcel-1.jpg'];
    await h.fails('receipts.confirm', { refundId: a, returnFreight: { advice: 'reject', images: photo } as never }, 'invalid_input');
    await h.fails('receipts.confirm', { refundId: a, returnFreight: { advice: 'reject', reason: '   ', images: photo } }, 'invalid_input');
    await h.fails(
      'receipts.confirm',
      { refundId: a, returnFreight: { advice: 'reject', reason: 'x'.repeat(201), images: photo } },
      'invalid_input',
    );
    await h.fails(
      'receipts.confirm',
      { refundId: a, returnFreight: { advice: 'reject', reason: 'r', images: Array(7).fill('u') } },
      'invalid_input',
    );
    const result = await h.ok('receipts.confirm', {
      refundId: a,
      returnFreight: { advice: 'reject', reason: '包装破损，运费不予承担', images: photo },
    });
    expect(result.returnFreightAmount).toBeNull();
    expect(JSON.parse(outboxRows(h, a)[0]!.payload)).toEqual({
      returnFreight: { advice: 'reject', reason: '包装破损，运费不予承担', images: photo },
    });
  });

  it('reject without any image is refused at the desk with a typed reason, and nothing is queued or sent', async () => {
    const a = seed(h, { status: 40, waybill: SF(64), freight: claim });
    for (const returnFreight of [
      { advice: 'reject' as const, reason: '包装破损' },
      { advice: 'reject' as const, reason: '包装破损', images: [] },
    ]) {
      const error = await h.fails('receipts.confirm', { refundId: a, returnFreight }, 'invalid_input');
      expect(error.message).toMatch(/at least one photo/);
      expect(error.details).toMatchObject({ reason: 'return_freight_images_required', issues: [{ path: 'returnFreight.images' }] });
    }
    const { results } = await h.ok('receipts.confirmBatch', {
      items: [{ refundId: a, returnFreight: { advice: 'reject', reason: '包装破损' } }],
    });
    expect(results).toEqual([
      {
        ok: false,
        refundId: a,
        error: { code: 'invalid_input', message: expect.stringMatching(/photo/), reason: 'return_freight_images_required' },
      },
    ]);
    expect(outboxRows(h)).toEqual([]);
    expect((await audits('receipt.confirm')).filter((e) => e.outcome === 'queued')).toHaveLength(0);
  });

  it('is refused when there is no claim', async () => {
    const a = seed(h, { status: 40, waybill: SF(63) });
    const error = await h.fails('receipts.confirm', { refundId: a, returnFreight: { advice: 'agree' } }, 'invalid_input');
    expect(error.details).toMatchObject({ reason: 'no_return_freight_claim' });
    expect(outboxRows(h)).toEqual([]);
  });
});

describe('batch and undo', () => {
  it('answers per item with mixed outcomes; each good item is queued on its own', async () => {
    const ok1 = seed(h, { status: 40, waybill: SF(70) });
    const insured = seed(h, { status: 30, insurance: true });
    const closed = seed(h, { status: 70 });
    const freight = seed(h, { status: 40, waybill: SF(71), freight: { amount: 800, status: 10, applyDesc: '', images: [] } });
    const ok2 = seed(h, { status: 22 });
    const { results } = await h.ok('receipts.confirmBatch', {
      items: [
        { refundId: ok1 },
        { refundId: insured },
        { refundId: closed },
        { refundId: freight },
        { refundId: ok2 },
        { refundId: '1888888888888888888' },
        { refundId: ok1 },
      ],
    });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ok',
      'conflict',
      'invalid_state',
      'invalid_input',
      'ok',
      'not_found',
      'conflict',
    ]);
    expect(outboxRows(h).map((r) => r.kind)).toEqual(['confirm_receipt', 'confirm_receipt']);
    // The operator chose "confirm all anyway" for the insured one.
    const second = await h.ok('receipts.confirmBatch', { items: [{ refundId: insured, overrideInsuranceWarning: true }] });
    expect(second.results[0]!.ok).toBe(true);
    expect((await audits('receipt.confirm')).filter((e) => e.outcome === 'queued')).toHaveLength(3);
  });

  it('undo inside the window cancels the confirm; after it answers undone:false; both audited', async () => {
    const a = seed(h, { status: 40, waybill: SF(80) });
    await h.ok('receipts.confirm', { refundId: a });
    h.clock.advance(4_000);
    expect(await h.ok('receipts.undo', { refundId: a })).toEqual({ refundId: a, undone: true });
    expect((await h.ok('afterSales.get', { refundId: a })).local.state).toBe('none');
    await h.ok('receipts.confirm', { refundId: a });
    h.clock.advance(5_001);
    expect(await h.ok('receipts.undo', { refundId: a })).toEqual({ refundId: a, undone: false });
    expect((await audits('receipt.undo')).map((e) => e.outcome)).toEqual(['too_late', 'undone']);
    expect(outboxRows(h, a).map((r) => r.state)).toEqual(['cancelled', 'waiting']);
  });
});

describe('hostile inputs', () => {
  it('answers invalid_input and changes nothing', async () => {
    const a = seed(h, { status: 40, waybill: SF(90) });
    const bad: unknown[] = [
      { refundId: 12345 },
      { refundId: '9007199254740993.5' },
      { refundId: '-1' },
      { refundId: '0123' },
      { refundId: "1' OR 1=1 --" },
      { refundId: '1'.repeat(21) },
      { refundId: a, overrideInsuranceWarning: 'yes' },
      { refundId: a, returnFreight: { advice: 'maybe' } },
      { refundId: a, admin: true },
      null,
      [],
    ];
    for (const input of bad) await h.fails('receipts.confirm', input as never, 'invalid_input');
    await h.fails('receipts.confirmBatch', { items: [] }, 'invalid_input');
    await h.fails('receipts.confirmBatch', { items: Array.from({ length: 201 }, () => ({ refundId: a })) }, 'invalid_input');
    await h.fails('receipts.undo', { refundId: 'abc' }, 'invalid_input');
    expect(outboxRows(h)).toEqual([]);
    expect((await h.ok('afterSales.get', { refundId: a })).local.state).toBe('none');
  });
});
