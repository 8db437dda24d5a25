// The unpacking video in Chromium with its fake camera: with the setting on, a scan starts recording (the indicator
// shows it), the confirm stops it, and the video is stored whose SHA-256 matches the database; then it plays back
// from the after-sale's evidence. The next scan stops a recording too.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/main/sim';
import { saveSettings } from '../../src/main/core/settings/settings';
import { configureSync } from '../../src/main/core/sync/runtime';
import { launchChromium } from './support/browser';
import { startDesk, type RunningDesk } from './support/desk';
import { scanBurst } from './support/scanner';

const PIN = '246810';

describe('unpacking video in Chromium', () => {
  let browser: Browser;
  let desk: RunningDesk;
  let sim: RunningSimulator;
  let page: Page;
  const ids: Record<string, string> = {};

  async function call<T = unknown>(method: string, input: unknown = {}): Promise<T> {
    const answer = await desk.core.dispatch(method, input, 'http');
    if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`);
    return answer.data as T;
  }
  const videos = () =>
    desk.core.context.db
      .prepare(
        "SELECT f.sha256, f.rel_path, f.size, l.refund_id, l.scan_id FROM evidence_files f JOIN evidence_links l USING (sha256) WHERE f.media = 'video' ORDER BY f.created_at",
      )
      .all() as {
      sha256: string;
      rel_path: string;
      size: number;
      refund_id: string;
      scan_id: string | null;
    }[];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 'e2e-video', afterSales: 4, settleDelayMs: 600_000 });
    ids.first = sim.control.addAfterSale({
      status: 40,
      returnWaybill: { expressNo: 'YT5550001113334', expressCode: 6 },
      freightInsurance: false,
    }).refundId;
    ids.second = sim.control.addAfterSale({
      status: 40,
      returnWaybill: { expressNo: 'YT5550001114445', expressCode: 6 },
      freightInsurance: false,
    }).refundId;
    ids.third = sim.control.addAfterSale({
      status: 40,
      returnWaybill: { expressNo: 'YT5550001115556', expressCode: 6 },
      freightInsurance: false,
    }).refundId;
    desk = await startDesk({ platform: { startDemoSimulator: async () => sim, qps: 50 } });
    configureSync(desk.core.context, { horizonMs: 3 * 86_400_000, retryBaseMs: 200, retryMaxMs: 600, recheckDelayMs: 50 });
    saveSettings(desk.core.context, { videoRecording: true, undoWindowMs: 0 });
    browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.grantPermissions(['camera'], { origin: desk.host.url });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await sim?.close();
  });

  it('signs in and syncs the demo shop', async () => {
    await page.goto(desk.host.url);
    await page.getByTestId('signin-name').focus();
    await page.keyboard.type('店长');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Enter');
    await page.getByTestId('shops-screen').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-screen').waitFor({ timeout: 30_000 });
    await call('sync.run', {});
    for (const id of Object.values(ids)) {
      await expect
        .poll(() => call<{ returnWaybill: unknown }>('afterSales.get', { refundId: id }).then((a) => a.returnWaybill !== null), {
          timeout: 30_000,
        })
        .toBe(true);
    }
  });

  it('scan → recording indicator → confirm → a video stored whose hash matches the database, bound to the scan', async () => {
    await scanBurst(page, 'YT5550001113334');
    await expect.poll(() => page.getByTestId('scan-card').getAttribute('data-outcome')).toBe('ready');
    await page.getByTestId('video-recording').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('video-recording').getAttribute('data-refund')).toBe(ids.first);
    await page.waitForTimeout(2_500); // a few seconds of unpacking
    await page.keyboard.press('Enter'); // confirm receipt
    await page.getByTestId('video-recording').waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => videos().length, { timeout: 20_000 }).toBe(1);

    const [video] = videos();
    expect(video!.refund_id).toBe(ids.first);
    const scanId = desk.core.context.db
      .prepare('SELECT id FROM desk_scans WHERE code = ? ORDER BY rowid DESC')
      .pluck()
      .get('YT5550001113334');
    expect(video!.scan_id).toBe(scanId);
    const bytes = fs.readFileSync(path.join(desk.dataDir, video!.rel_path));
    expect(bytes.length).toBe(video!.size);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])); // a real WebM from MediaRecorder
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(video!.sha256);
    const audit = desk.core.context.db
      .prepare("SELECT details FROM audit_log WHERE action = 'evidence.addVideo'")
      .pluck()
      .all() as string[];
    expect(audit.map((d) => JSON.parse(d) as { stoppedBy: string; sha256: string })).toEqual([
      expect.objectContaining({ stoppedBy: 'confirm', sha256: video!.sha256 }),
    ]);

    // Viewable from the after-sale's evidence: the player gets the bytes, checked against their hash.
    await page.getByTestId('evidence-video').first().click();
    await expect.poll(() => page.getByTestId('evidence-video-player').getAttribute('data-intact')).toBe('true');
    await page.getByTestId('evidence-video-close').click();
    await page.getByTestId('evidence-video-player').waitFor({ state: 'detached' });
  });

  it('the next scan stops the recording of the previous parcel and starts one for the new parcel', async () => {
    await page
      .getByTestId('evidence-video-player')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await page.mouse.click(5, 5);
    await scanBurst(page, 'YT5550001114445');
    await expect.poll(() => page.getByTestId('video-recording').getAttribute('data-refund'), { timeout: 15_000 }).toBe(ids.second);
    await page.waitForTimeout(1_500);
    await scanBurst(page, 'YT5550001115556');
    await expect.poll(() => videos().map((v) => v.refund_id), { timeout: 20_000 }).toEqual([ids.first, ids.second]);
    await expect.poll(() => page.getByTestId('video-recording').getAttribute('data-refund'), { timeout: 15_000 }).toBe(ids.third);
    const reasons = desk.core.context.db
      .prepare("SELECT json_extract(details, '$.stoppedBy') FROM audit_log WHERE action = 'evidence.addVideo'")
      .pluck()
      .all();
    expect(reasons).toEqual(['confirm', 'next_scan']);
  });
});
