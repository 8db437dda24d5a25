// The unpacking video through the API: off by default, chunked under the host's body limit, sealed under its SHA-256
// (bound to the after-sale and the scan, audited), capped in size, and removed by the core after the retention days.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeExpiredVideos } from '../../../src/main/core/evidence/video-retention';
import { VIDEO_CHUNK_BYTES, VIDEO_MAX_BYTES, VIDEO_MIME } from '../../../src/common/contract/video';
import { signInAs, staffedDeskPerTest, type DeskHarness } from '../../unit/desk/support';
import { seed } from '../desk/fixtures';

let h: DeskHarness;
staffedDeskPerTest((harness) => {
  h = harness;
});

/** A WebM-looking byte string (EBML magic, then varying content) of the given size. */
function webm(size: number, seedByte = 1): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seedByte) & 0xff;
  bytes.set([0x1a, 0x45, 0xdf, 0xa3], 0);
  return bytes;
}

async function upload(refundId: string, bytes: Buffer, scanId?: string) {
  const { uploadId, chunkBytes } = await h.ok('evidence.videoBegin', { refundId, mime: VIDEO_MIME, ...(scanId ? { scanId } : {}) });
  for (let offset = 0, index = 0; offset < bytes.length; offset += chunkBytes, index++) {
    const dataBase64 = bytes.subarray(offset, offset + chunkBytes).toString('base64');
    await h.ok('evidence.videoChunk', { uploadId, index, dataBase64 });
  }
  return h.ok('evidence.videoFinish', { uploadId, durationMs: 4_000, stoppedBy: 'confirm' });
}

const fileRow = (sha256: string) =>
  h.core.context.db.prepare('SELECT * FROM evidence_files WHERE sha256 = ?').get(sha256) as
    { media: string; size: number; rel_path: string } | undefined;

describe('unpacking video', () => {
  it('is refused while the setting is off (the default)', async () => {
    const a = seed(h, { status: 40 });
    const error = await h.fails('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME }, 'invalid_state');
    expect(error.details).toMatchObject({ reason: 'video_off' });
  });

  it('stores the chunks as one file under its SHA-256, bound to the after-sale and the scan, audited', async () => {
    await h.ok('settings.save', { videoRecording: true });
    const a = seed(h, { status: 40 });
    const scan = await h.ok('scan.lookup', { code: a });
    const bytes = webm(VIDEO_CHUNK_BYTES * 2 + 1234);
    const file = await upload(a, bytes, scan.scanId);

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(file).toMatchObject({ sha256, media: 'video', mime: VIDEO_MIME, size: bytes.length });
    const row = fileRow(sha256)!;
    expect(fs.readFileSync(path.join(h.core.context.dataDir, row.rel_path))).toEqual(bytes);
    const link = h.core.context.db.prepare('SELECT refund_id, scan_id FROM evidence_links WHERE sha256 = ?').get(sha256);
    expect(link).toEqual({ refund_id: a, scan_id: scan.scanId });
    expect((await h.ok('inspection.ofAfterSale', { refundId: a })).evidence.map((e) => e.sha256)).toContain(sha256);
    const read = await h.ok('evidence.read', { sha256 });
    expect(Buffer.from(read.dataBase64, 'base64')).toEqual(bytes);
    expect(read.intact).toBe(true);
    const audit = await h.ok('audit.search', { action: 'evidence.addVideo' });
    expect(audit.entries[0]).toMatchObject({ refundId: a, outcome: 'stored', details: { sha256, stoppedBy: 'confirm' } });
    expect(fs.readdirSync(path.join(h.core.context.dataDir, 'evidence', 'tmp'))).toEqual([]);
  });

  it('acknowledges a resent chunk without writing it twice, and refuses chunks out of order', async () => {
    await h.ok('settings.save', { videoRecording: true });
    const a = seed(h, { status: 40 });
    const bytes = webm(1000);
    const { uploadId } = await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME });
    const first = bytes.subarray(0, 500).toString('base64');
    expect(await h.ok('evidence.videoChunk', { uploadId, index: 0, dataBase64: first })).toMatchObject({ nextIndex: 1, size: 500 });
    expect(await h.ok('evidence.videoChunk', { uploadId, index: 0, dataBase64: first })).toMatchObject({ nextIndex: 1, size: 500 });
    await h.fails('evidence.videoChunk', { uploadId, index: 2, dataBase64: first }, 'invalid_input');
    await h.ok('evidence.videoChunk', { uploadId, index: 1, dataBase64: bytes.subarray(500).toString('base64') });
    const file = await h.ok('evidence.videoFinish', { uploadId, durationMs: 1_000, stoppedBy: 'next_scan' });
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('refuses what is not WebM, chunks over the body-safe size, other operators and uploads past the size cap', async () => {
    await h.ok('settings.save', { videoRecording: true });
    const a = seed(h, { status: 40 });
    const { uploadId } = await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME });
    await h.fails(
      'evidence.videoChunk',
      { uploadId, index: 0, dataBase64: Buffer.alloc(VIDEO_CHUNK_BYTES + 3).toString('base64') },
      'invalid_input',
    );
    await h.ok('evidence.videoChunk', { uploadId, index: 0, dataBase64: Buffer.from('not a video at all').toString('base64') });
    await h.fails('evidence.videoFinish', { uploadId, durationMs: 1, stoppedBy: 'confirm' }, 'invalid_input');
    expect(h.count('evidence_files')).toBe(0);
    const bosses = await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME });
    await signInAs(h, 'Kefu');
    await h.fails('evidence.videoChunk', { uploadId: bosses.uploadId, index: 0, dataBase64: 'AAAA' }, 'not_found');

    const big = await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME });
    const chunk = webm(VIDEO_CHUNK_BYTES).toString('base64');
    const fit = Math.floor(VIDEO_MAX_BYTES / VIDEO_CHUNK_BYTES);
    for (let index = 0; index < fit; index++) await h.ok('evidence.videoChunk', { uploadId: big.uploadId, index, dataBase64: chunk });
    const error = await h.fails('evidence.videoChunk', { uploadId: big.uploadId, index: fit, dataBase64: chunk }, 'invalid_input');
    expect(error.details).toMatchObject({ reason: 'size_cap' });
  });

  it.each([
    ['signs out', async () => void (await h.ok('operators.signOut', {}))],
    [
      'is timed out for inactivity',
      async () => {
        h.clock.advance(3_600_000);
        await h.fails('scan.lookup', { code: '1' }, 'not_signed_in');
      },
    ],
    ['is replaced by another operator signing in', () => signInAs(h, 'Kefu')],
  ])('stores what arrived as the video when the operator filming %s before the desk finished it', async (_how, endSession) => {
    await h.ok('settings.save', { videoRecording: true, idleTimeoutMs: 60_000 });
    const a = seed(h, { status: 40 });
    const scan = await h.ok('scan.lookup', { code: a });
    const bytes = webm(VIDEO_CHUNK_BYTES + 500);
    const { uploadId } = await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME, scanId: scan.scanId });
    await h.ok('evidence.videoChunk', { uploadId, index: 0, dataBase64: bytes.subarray(0, VIDEO_CHUNK_BYTES).toString('base64') });
    await h.ok('evidence.videoChunk', { uploadId, index: 1, dataBase64: bytes.subarray(VIDEO_CHUNK_BYTES).toString('base64') });
    const empty = await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME });
    h.clock.advance(30_000);

    await endSession();

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(fileRow(sha256)).toMatchObject({ media: 'video', size: bytes.length });
    expect(h.count('evidence_files')).toBe(1); // the upload with no chunk is dropped, not stored
    expect(fs.readdirSync(path.join(h.core.context.dataDir, 'evidence', 'tmp'))).toEqual([]);
    await signInAs(h, 'Boss', '1234');
    const audit = await h.ok('audit.search', { action: 'evidence.addVideo' });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      refundId: a,
      outcome: 'stored',
      operatorName: 'Boss',
      details: { sha256, stoppedBy: 'session_end', scanId: scan.scanId, uploadId },
    });
    expect((audit.entries[0]!.details as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(30_000);
    await h.fails('evidence.videoFinish', { uploadId, durationMs: 1, stoppedBy: 'confirm' }, 'not_found');
    await h.fails('evidence.videoFinish', { uploadId: empty.uploadId, durationMs: 1, stoppedBy: 'confirm' }, 'not_found');
  });

  it('keeps the film of an upload whose page went away (not finished 20 minutes on) when the next video begins', async () => {
    await h.ok('settings.save', { videoRecording: true, idleTimeoutMs: 8 * 3600_000 });
    const a = seed(h, { status: 40 });
    const bytes = webm(2000, 7);
    const gone = await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME });
    await h.ok('evidence.videoChunk', { uploadId: gone.uploadId, index: 0, dataBase64: bytes.toString('base64') });
    h.clock.advance(19 * 60_000);
    await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME });
    expect(h.count('evidence_files')).toBe(0); // a recording may still be running at 19 minutes
    h.clock.advance(2 * 60_000);
    await h.ok('evidence.videoBegin', { refundId: a, mime: VIDEO_MIME });

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(fileRow(sha256)).toMatchObject({ media: 'video', size: bytes.length });
    expect(h.count('evidence_files')).toBe(1); // the empty one begun at 19 minutes is not stale yet
    const audit = await h.ok('audit.search', { action: 'evidence.addVideo' });
    expect(audit.entries[0]).toMatchObject({ operatorName: 'Boss', details: { sha256, stoppedBy: 'closed', uploadId: gone.uploadId } });
  });

  it('removes videos older than the retention days from the database and the disk, keeping photos and newer videos', async () => {
    await h.ok('settings.save', { videoRecording: true, videoRetentionDays: 7 });
    const a = seed(h, { status: 40 });
    const old = await upload(a, webm(3000, 1));
    await h.ok('evidence.add', {
      refundId: a,
      media: 'photo',
      mime: 'image/jpeg',
      dataBase64: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]).toString('base64'),
    });
    h.clock.advance(6 * 86_400_000);
    await signInAs(h, 'Boss', '1234'); // the idle timeout ended the session meanwhile
    const recent = await upload(a, webm(3000, 2));
    const oldPath = path.join(h.core.context.dataDir, fileRow(old.sha256)!.rel_path);
    expect(removeExpiredVideos(h.core.context)).toEqual([]);

    h.clock.advance(86_400_000 + 1);
    expect(removeExpiredVideos(h.core.context)).toEqual([old.sha256]);
    await signInAs(h, 'Boss', '1234');
    expect(fileRow(old.sha256)).toBeUndefined();
    expect(fs.existsSync(oldPath)).toBe(false);
    expect(fileRow(recent.sha256)).toMatchObject({ media: 'video' });
    const evidence = (await h.ok('inspection.ofAfterSale', { refundId: a })).evidence;
    expect(evidence.map((e) => e.media).sort()).toEqual(['photo', 'video']);
    const audit = await h.ok('audit.search', { action: 'evidence.videoExpired' });
    expect(audit.entries.map((e) => [e.refundId, e.details])).toEqual([[a, expect.objectContaining({ sha256: old.sha256 })]]);
  });
});
