// Inspection to refusal against the simulator: photos stored by hash, one upload per image, one reject, even when
// the reject's answer is lost; a failed inspection warns on confirm; exchanges; return-freight rejection images.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { drainOnce } from '../../../src/main/core/outbox/worker';
import { syncShop } from '../../../src/main/core/sync/engine';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import type { Envelope, MethodInput, MethodName, MethodOutput } from '../../../src/common/contract';
import { testCore } from '../../support/core';
import { connectToSimulator } from '../../support/simulator-shop';

let sim: RunningSimulator | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = sim = null;
});

/** Two different tiny JPEGs (the desk checks the magic bytes, the simulator too). */
export const photo = (n: number) => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, n, n + 1, n + 2, 0xff, 0xd9]).toString('base64');

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
  return (await core!.dispatch(method, input, 'http')) as Envelope<MethodOutput<M>>;
}
async function ok<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const answer = await call(method, input);
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message} ${JSON.stringify(answer.error.details)}`);
  return answer.data;
}

async function setUp() {
  sim = await startSimulator({ port: 0, seed: 'evidence-refusal', afterSales: 10, qpsPerApi: 10_000 });
  core = testCore({ platform: { qps: 2_000, timeoutMs: 1_500, retryBaseMs: 2, rateLimitBackoffMs: 10, readAttempts: 3 } });
  const shopId = await connectToSimulator(core, sim);
  configureSync(core.context, { retryBaseMs: 5, retryMaxMs: 40, recheckDelayMs: 0, fetchConcurrency: 4, workerIdleMs: 20 });
  await ok('settings.save', { undoWindowMs: 0 });
  return { shopId, sim };
}

async function drain(refundId: string): Promise<void> {
  const open = () =>
    core!.context.db
      .prepare("SELECT count(*) FROM outbox WHERE refund_id = ? AND state NOT IN ('done', 'cancelled', 'conflict')")
      .pluck()
      .get(refundId) as number;
  for (const until = Date.now() + 20_000; open() > 0 && Date.now() < until;) {
    await drainOnce(core!.context);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const outboxOf = (refundId: string) =>
  core!.context.db.prepare('SELECT kind, state, last_error FROM outbox WHERE refund_id = ? ORDER BY seq').all(refundId);

describe('inspection, evidence and refusal against the simulator', () => {
  it('damaged parcel: two photos, a reason that needs images, one upload per image and one reject though the answer was lost', async () => {
    const { shopId, sim: s } = await setUp();
    const parcel = s.control.addAfterSale({ status: 40, handlingWay: 1, returnWaybill: { expressNo: 'SF1234567890123', expressCode: 4 } });
    await syncShop(core!.context, shopId);
    const scan = await ok('scan.lookup', { code: 'SF1234567890123', source: 'scanner' });
    expect(scan.outcome).toBe('ready');

    await ok('inspection.record', { refundId: parcel.refundId, scanId: scan.scanId, result: 'damaged' });
    const first = await ok('evidence.add', {
      refundId: parcel.refundId,
      scanId: scan.scanId,
      media: 'photo',
      mime: 'image/jpeg',
      dataBase64: photo(1),
    });
    const second = await ok('evidence.add', { refundId: parcel.refundId, media: 'photo', mime: 'image/jpeg', dataBase64: photo(2) });
    const again = await ok('evidence.add', { refundId: parcel.refundId, media: 'photo', mime: 'image/jpeg', dataBase64: photo(1) });
    expect(again.sha256).toBe(first.sha256);

    const warned = await call('receipts.confirm', { refundId: parcel.refundId, scanId: scan.scanId });
    expect(warned.ok ? null : warned.error).toMatchObject({
      code: 'conflict',
      details: { reason: 'inspection_failed', result: 'damaged' },
    });

    const { reasons } = await ok('refusals.reasons', { refundId: parcel.refundId });
    const damaged = reasons.find((r) => r.requiresImages && !r.requiresDesc)!;
    expect(damaged).toBeDefined();
    const missing = await call('refusals.submit', { refundId: parcel.refundId, reasonCode: damaged.code, images: [] });
    expect(missing.ok ? null : missing.error.code).toBe('invalid_input');
    // Asked once per version: a second look answers from the cache.
    await ok('refusals.reasons', { refundId: parcel.refundId });
    expect(s.control.stats().calls['open.refund.reject.reason']).toBe(1);

    // The reject is applied, then its answer never arrives: the desk must re-read, not send again.
    s.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 2_500, methods: ['open.refund.reject'] });
    await ok('refusals.submit', {
      refundId: parcel.refundId,
      scanId: scan.scanId,
      reasonCode: damaged.code,
      images: [first.sha256, second.sha256],
    });
    await drainOnce(core!.context);
    s.control.setFaults({});
    await drain(parcel.refundId);

    expect(outboxOf(parcel.refundId)).toMatchObject([{ kind: 'reject_refund', state: 'done' }]);
    expect(s.control.stats().calls['open.item.image.upload']).toBe(2);
    expect(s.control.stats().writes.filter((w) => w.method === 'reject')).toHaveLength(1);
    // The lost answer was really met: the row went round again and settled by re-reading, with one request sent.
    expect(s.control.stats().calls['open.refund.reject']).toBe(1);
    expect(core!.context.db.prepare('SELECT attempts FROM outbox WHERE refund_id = ?').pluck().get(parcel.refundId)).toBe(2);
    const reject = s.control.stats().writes.find((w) => w.method === 'reject')!;
    expect((reject.params.rejectImages as string[]).length).toBe(2);
    expect(s.control.getAfterSale(parcel.refundId)?.status).toBe(12);

    const view = await ok('inspection.ofAfterSale', { refundId: parcel.refundId });
    expect(view.latest?.result).toBe('damaged');
    expect(view.evidence.map((e) => e.sha256).sort()).toEqual([first.sha256, second.sha256].sort());
    expect(view.evidence.every((e) => e.uploaded)).toBe(true);
    const read = await ok('evidence.read', { sha256: first.sha256 });
    expect(read).toMatchObject({ intact: true, mime: 'image/jpeg', dataBase64: photo(1) });
    const audit = core!.context.db.prepare('SELECT action, outcome FROM audit_log WHERE refund_id = ? ORDER BY id').all(parcel.refundId);
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'inspection.record', outcome: 'damaged' },
        { action: 'evidence.add', outcome: 'stored' },
        { action: 'refusal.submit', outcome: 'queued' },
      ]),
    );
    const stats = await ok('inspection.stats', { from: 0, to: Date.now() + 1000 });
    expect(stats.counts.damaged).toBe(1);
  }, 60_000);

  it('a version change after the inspection is a conflict for the operator, never a silent retry', async () => {
    const { shopId, sim: s } = await setUp();
    const parcel = s.control.addAfterSale({ status: 40, handlingWay: 1, returnWaybill: { expressNo: 'YT1234567890123', expressCode: 6 } });
    await syncShop(core!.context, shopId);
    await ok('inspection.record', { refundId: parcel.refundId, result: 'other', note: '外箱破损' });
    const { reasons } = await ok('refusals.reasons', { refundId: parcel.refundId });
    const other = reasons.find((r) => !r.requiresImages && r.requiresDesc)!;
    s.control.updateAfterSale(parcel.refundId, { refundDesc: 'buyer edited' });
    await ok('refusals.submit', { refundId: parcel.refundId, reasonCode: other.code, rejectDesc: '外箱破损，内物缺失' });
    await drain(parcel.refundId);
    expect(outboxOf(parcel.refundId)).toMatchObject([{ kind: 'reject_refund', state: 'conflict' }]);
    expect(String((outboxOf(parcel.refundId)[0] as { last_error: string }).last_error)).toMatch(
      /changed on the platform since the inspection/,
    );
    expect(s.control.stats().writes.filter((w) => w.method === 'reject')).toHaveLength(0);
  }, 60_000);

  it('an exchange is confirmed and the replacement sent with its new waybill', async () => {
    const { shopId, sim: s } = await setUp();
    const exchange = s.control.addAfterSale({
      status: 40,
      handlingWay: 3,
      returnWaybill: { expressNo: 'ZT1234567890123', expressCode: 3 },
    });
    await syncShop(core!.context, shopId);
    await ok('inspection.record', { refundId: exchange.refundId, result: 'passed' });
    expect((await ok('scan.lookup', { code: 'ZT1234567890123' })).outcome).toBe('exchange');
    const wish = await ok('exchanges.wish', { refundId: exchange.refundId });
    expect(wish?.skuNick).toBe(s.control.getAfterSale(exchange.refundId)?.exchangeInfo?.skuNick);
    expect(wish?.skuNick).toBeTruthy();
    const queued = await ok('exchanges.confirmAndSend', { refundId: exchange.refundId, expressNo: ' sf 9876543210987 ', expressCode: 4 });
    expect(queued.expressNo).toBe('SF9876543210987');
    await drain(exchange.refundId);
    expect(outboxOf(exchange.refundId)).toMatchObject([{ kind: 'confirm_and_send', state: 'done' }]);
    const write = s.control.stats().writes.find((w) => w.method === 'confirmAndSend');
    expect(write?.params).toMatchObject({ expressNo: 'SF9876543210987', expressCode: 4 });
    expect(s.control.getAfterSale(exchange.refundId)?.status).toBe(45);
  }, 60_000);

  it('a return-freight rejection carries the evidence photos as uploaded image URLs', async () => {
    const { shopId, sim: s } = await setUp();
    const parcel = s.control.addAfterSale({
      status: 40,
      handlingWay: 1,
      returnWaybill: { expressNo: 'JT1234567890123', expressCode: 5 },
      returnFreight: { returnFreightAmount: 1200, returnFreightStatus: 10, returnFreightApplyDesc: '运费', returnFreightApplyImages: [] },
      freightInsurance: false,
    });
    await syncShop(core!.context, shopId);
    const shot = await ok('evidence.add', { refundId: parcel.refundId, media: 'photo', mime: 'image/jpeg', dataBase64: photo(7) });
    await ok('receipts.confirm', {
      refundId: parcel.refundId,
      returnFreight: { advice: 'reject', reason: '包邮商品，运费不予承担', images: [shot.sha256] },
    });
    await drain(parcel.refundId);
    expect(outboxOf(parcel.refundId)).toMatchObject([{ kind: 'confirm_receipt', state: 'done' }]);
    const confirm = s.control.stats().writes.find((w) => w.method === 'confirmReceipt')!;
    expect(confirm.params.returnFreightRejectImages).toEqual([expect.stringMatching(/^https:\/\/.+\.jpg$/)]);
    expect(s.control.stats().calls['open.item.image.upload']).toBe(1);
  }, 60_000);

  it('evidence files on disk match the hashes in the database', async () => {
    await setUp();
    const parcel = sim!.control.addAfterSale({ status: 40, handlingWay: 1 });
    await syncShop(core!.context, (await ok('shops.list', {})).shops[0]!.id);
    const added = await ok('evidence.add', { refundId: parcel.refundId, media: 'photo', mime: 'image/jpeg', dataBase64: photo(9) });
    const row = core!.context.db.prepare('SELECT rel_path FROM evidence_files WHERE sha256 = ?').get(added.sha256) as { rel_path: string };
    const bytes = fs.readFileSync(path.join(core!.context.dataDir, row.rel_path));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(added.sha256);
    const png = await call('evidence.add', { refundId: parcel.refundId, media: 'photo', mime: 'image/png', dataBase64: photo(9) });
    expect(png.ok ? null : png.error.code).toBe('invalid_input');
  }, 60_000);
});
