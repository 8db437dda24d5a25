// The unpacking video in Chromium with its fake camera: with the setting on, a scan starts recording (the indicator
// shows it), the confirm stops it, and the video is stored whose SHA-256 matches the database; then it plays back
// from the after-sale's evidence. The next scan stops a recording too, and a session that ends mid-film keeps the film.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { saveSettings } from '../../src/main/core/settings/settings';
import { e2eDesk, FAKE_CAMERA } from './support/fixture';
import { scanBurst } from './support/scanner';

const ids: Record<string, string> = {};

const { it, app } = e2eDesk({
  seed: 'e2e-video',
  afterSales: 4,
  start: 'first-run',
  ...FAKE_CAMERA,
  configure: (desk) => {
    saveSettings(desk.core.context, { videoRecording: true, undoWindowMs: 0 });
  },
  prepare: (add) => {
    ids.first = add({ status: 40, returnWaybill: { expressNo: 'YT5550001113334', expressCode: 6 }, freightInsurance: false });
    ids.second = add({ status: 40, returnWaybill: { expressNo: 'YT5550001114445', expressCode: 6 }, freightInsurance: false });
    ids.third = add({ status: 40, returnWaybill: { expressNo: 'YT5550001115556', expressCode: 6 }, freightInsurance: false });
  },
});

/** The stored videos with the after-sale and scan each is bound to, oldest first. */
const videos = () =>
  app.desk.core.context.db
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

describe('unpacking video in Chromium', () => {
  it('signs in and syncs the demo shop', async ({ app, call }) => {
    await app.firstRun();
    await call('sync.run', {});
    for (const id of Object.values(ids)) {
      await expect
        .poll(() => call<{ returnWaybill: unknown }>('afterSales.get', { refundId: id }).then((a) => a.returnWaybill !== null), {
          timeout: 30_000,
        })
        .toBe(true);
    }
  });

  it('scan → recording indicator → confirm → a video stored whose hash matches the database, bound to the scan', async ({ page, desk }) => {
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

  it('the next scan stops the recording of the previous parcel and starts one for the new parcel', async ({ page, desk }) => {
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

  it('the session ends mid-film (signed out through the core): the film so far is kept as the video, stopped by session_end', async ({
    page,
    desk,
    call,
  }) => {
    await expect.poll(() => page.getByTestId('video-recording').getAttribute('data-refund'), { timeout: 15_000 }).toBe(ids.third);
    await page.waitForTimeout(2_500); // the film reaches the core while it is recorded, about a second at a time
    expect(await call<{ signedOut: boolean }>('operators.signOut', {})).toEqual({ signedOut: true });
    await expect.poll(() => videos().map((v) => v.refund_id), { timeout: 20_000 }).toEqual([ids.first, ids.second, ids.third]);
    const kept = videos()[2]!;
    const bytes = fs.readFileSync(path.join(desk.dataDir, kept.rel_path));
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(kept.sha256);
    const reasons = desk.core.context.db
      .prepare("SELECT json_extract(details, '$.stoppedBy') FROM audit_log WHERE action = 'evidence.addVideo' ORDER BY id")
      .pluck()
      .all();
    expect(reasons).toEqual(['confirm', 'next_scan', 'session_end']);
    await page.getByTestId('signin-screen').waitFor({ timeout: 15_000 });
    await page.getByTestId('video-recording').waitFor({ state: 'detached', timeout: 15_000 });
  });
});
