// The unpacking video through the browser host: a chunk of the largest size the contract allows fits under the
// host's request-body limit, where the whole video in one body would not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startBrowserHost, type BrowserHost } from '../../../src/main/web/host';
import { VIDEO_CHUNK_BYTES, VIDEO_MIME } from '../../../src/common/contract/video';
import { tempRendererDir } from '../../support/core';
import { deskHarness, MAIN, type DeskHarness } from '../../unit/desk/support';
import { seed } from '../desk/fixtures';

interface Answer {
  ok: boolean;
  data?: Record<string, unknown>;
}

let h: DeskHarness;
let host: BrowserHost;

beforeAll(async () => {
  const rendererDir = tempRendererDir();
  h = deskHarness();
  host = await startBrowserHost({ core: h.core, rendererDir, token: 'video-token' });
});
afterAll(async () => {
  await host.close();
  await h.core.close();
});

async function call(method: string, input: unknown): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer video-token' },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

describe('unpacking video over the browser host', () => {
  it('takes full-size chunks under the 256 KB body limit and refuses the video as one body', async () => {
    expect((await call('operators.bootstrap', MAIN)).body.ok).toBe(true);
    expect((await call('settings.save', { videoRecording: true })).body.ok).toBe(true);
    const refundId = seed(h, { status: 40 });
    const begun = await call('evidence.videoBegin', { refundId, mime: VIDEO_MIME });
    expect(begun.body.ok).toBe(true);
    const uploadId = String(begun.body.data?.uploadId);

    const video = Buffer.alloc(VIDEO_CHUNK_BYTES * 2, 9);
    video.set([0x1a, 0x45, 0xdf, 0xa3], 0);
    expect(JSON.stringify({ uploadId, index: 0, dataBase64: video.toString('base64') }).length).toBeGreaterThan(MAX_BODY_BYTES);
    const whole = await call('evidence.videoChunk', { uploadId, index: 0, dataBase64: video.toString('base64') });
    expect(whole.status).toBe(413);

    for (const index of [0, 1]) {
      const chunk = video.subarray(index * VIDEO_CHUNK_BYTES, (index + 1) * VIDEO_CHUNK_BYTES).toString('base64');
      const sent = await call('evidence.videoChunk', { uploadId, index, dataBase64: chunk });
      expect([sent.status, sent.body.ok]).toEqual([200, true]);
    }
    const finished = await call('evidence.videoFinish', { uploadId, durationMs: 2_000, stoppedBy: 'confirm' });
    expect(finished.body).toMatchObject({ ok: true, data: { media: 'video', size: video.length } });
  });
});
