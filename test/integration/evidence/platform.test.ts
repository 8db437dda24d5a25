// The evidence methods of the real client against the simulator: multipart upload, reasons, strict refusal, exchange.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { requireEvidenceClient } from '../../../src/main/core/platform/evidence-api';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import { testCore } from '../../support/core';
import { caught } from '../../support/platform-error';
import { connectToSimulator } from '../../support/simulator-shop';

let sim: RunningSimulator | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = sim = null;
});

export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03, 0xff, 0xd9]);

async function setUp() {
  sim = await startSimulator({ port: 0, seed: 'evidence-platform', afterSales: 5 });
  core = testCore({ platform: { qps: 500, timeoutMs: 3000, retryBaseMs: 5, rateLimitBackoffMs: 10 } });
  const shopId = await connectToSimulator(core, sim);
  const raw = core.context.platform.clientFor(shopId);
  return { sim, client: raw, evidence: requireEvidenceClient(raw) };
}

describe('evidence methods against the simulator', () => {
  it('uploads an image as multipart and answers a platform URL; refuses a non-image', async () => {
    const { evidence, sim: s } = await setUp();
    const url = await evidence.uploadImage({ bytes: JPEG, contentType: 'image/jpeg' });
    expect(url).toMatch(/^https:\/\/.+\.jpg$/);
    expect(s.control.stats().calls['open.item.image.upload']).toBe(1);
    const refused = await caught(evidence.uploadImage({ bytes: Buffer.from('not an image'), contentType: 'image/jpeg' }));
    expect(refused.kind).toBe('invalid_request');
    expect(refused.subCode).toBe('IMAGE_TYPE_INVALID');
  });

  it('refuses receipt strictly: reasons per after-sale, required images, refundVersion, then applies once', async () => {
    const { evidence, client, sim: s } = await setUp();
    const parcel = s.control.addAfterSale({ status: 40, handlingWay: 1, returnWaybill: { expressNo: 'SF1234567890123', expressCode: 4 } });
    const reasons = await evidence.getRejectReasons(parcel.refundId);
    const damaged = reasons.find((r) => r.code === 35)!;
    expect(damaged).toMatchObject({ requiresImages: true, requiresDesc: false });
    const version = (await client.getRefundDetail(parcel.refundId)).updateTime;

    const noImages = await caught(
      evidence.rejectRefund({ refundId: parcel.refundId, reasonCode: 35, rejectImages: [], refundVersion: version }),
    );
    expect(noImages.subCode).toBe('REJECT_IMAGE_REQUIRED');
    const foreign = await caught(
      evidence.rejectRefund({
        refundId: parcel.refundId,
        reasonCode: 35,
        rejectImages: ['https://example.com/x.jpg'],
        refundVersion: version,
      }),
    );
    expect(foreign.subCode).toBe('IMAGE_URL_INVALID');
    const url = await evidence.uploadImage({ bytes: JPEG, contentType: 'image/jpeg' });
    const stale = await caught(
      evidence.rejectRefund({ refundId: parcel.refundId, reasonCode: 35, rejectImages: [url], refundVersion: version - 1 }),
    );
    expect(stale.kind).toBe('version_conflict');
    const unknownReason = await caught(
      evidence.rejectRefund({ refundId: parcel.refundId, reasonCode: 11, rejectImages: [url], refundVersion: version }),
    );
    expect(unknownReason.subCode).toBe('INVALID_REASON_CODE');

    await evidence.rejectRefund({ refundId: parcel.refundId, reasonCode: 35, rejectImages: [url], refundVersion: version });
    expect(s.control.getAfterSale(parcel.refundId)).toMatchObject({ status: 12, negotiateStatus: 3 });
    expect(s.control.stats().writes.filter((w) => w.method === 'reject')).toHaveLength(1);
    expect(await evidence.getRejectReasons(parcel.refundId)).toEqual([]);
  });

  it('adds evidence and confirms an exchange with the outbound waybill', async () => {
    const { evidence, sim: s } = await setUp();
    const exchange = s.control.addAfterSale({
      status: 40,
      handlingWay: 3,
      returnWaybill: { expressNo: 'YT1234567890123', expressCode: 6 },
    });
    const url = await evidence.uploadImage({ bytes: JPEG, contentType: 'image/jpeg' });
    await evidence.addEvidence({ refundId: exchange.refundId, images: [url], content: '开箱视频截图' });
    const notExchange = s.control.addAfterSale({ status: 40, handlingWay: 1 });
    expect(
      (await caught(evidence.confirmAndSend({ refundId: notExchange.refundId, expressNo: 'SF9999999999999', expressCode: 4 }))).kind,
    ).toBe('invalid_state');
    await evidence.confirmAndSend({ refundId: exchange.refundId, expressNo: 'SF9999999999999', expressCode: 4 });
    expect(s.control.getAfterSale(exchange.refundId)?.status).toBe(45);
    expect(s.control.stats().writes.map((w) => w.method)).toEqual(['evidenceAdd', 'confirmAndSend']);
  });
});
