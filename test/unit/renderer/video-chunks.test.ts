// The unpacking video is sent while it is recorded: the chunk sender keeps the core's order (one call at a time,
// indexes without gaps, chunks under the host's body limit) and stops at the first failure, which it reports.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { VIDEO_CHUNK_BYTES } from '../../../src/common/contract/video';

const calls: { index: number; bytes: Uint8Array }[] = [];
let inFlight = 0;
let maxInFlight = 0;
let failAt: number | null = null;
vi.mock('../../../src/renderer/src/api', () => ({
  deskApi: {
    call: async (method: string, input: { uploadId: string; index: number; dataBase64: string }) => {
      expect(method).toBe('evidence.videoChunk');
      expect(input.uploadId).toBe('u-1');
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      if (input.index === failAt) throw new Error('the desk went away');
      calls.push({ index: input.index, bytes: Uint8Array.from(atob(input.dataBase64), (c) => c.charCodeAt(0)) });
      return { uploadId: input.uploadId, nextIndex: input.index + 1, size: 0 };
    },
    on: () => () => undefined,
  },
}));

const { chunkSender } = await import('../../../src/renderer/src/inspection/video-recorder');

function bytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(size));
  for (let i = 0; i < size; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

function joined(parts: Uint8Array[]): number[] {
  return parts.flatMap((part) => [...part]);
}

beforeEach(() => {
  calls.length = 0;
  maxInFlight = 0;
  failAt = null;
});

describe('the video chunk sender', () => {
  it('sends each piece of film in order, one call at a time, in chunks the host accepts', async () => {
    const first = bytes(VIDEO_CHUNK_BYTES + 40_000, 1);
    const second = bytes(10_000, 2);
    const sender = chunkSender('u-1', 1_000_000);
    sender.add(new Blob([first]));
    sender.add(new Blob([second]));
    expect(await sender.sent()).toBe(first.length + second.length);
    expect(calls.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(calls.every((c) => c.bytes.length <= VIDEO_CHUNK_BYTES)).toBe(true);
    expect(joined(calls.map((c) => c.bytes))).toEqual(joined([first, second]));
    expect(maxInFlight).toBe(1);
  });

  it('stops at the first failed chunk (a gap would be refused) and reports it', async () => {
    failAt = 1;
    const sender = chunkSender('u-1', 50_000);
    sender.add(new Blob([bytes(80_000, 3)]));
    sender.add(new Blob([bytes(5_000, 4)]));
    await expect(sender.sent()).rejects.toThrow('the desk went away');
    expect(calls.map((c) => c.index)).toEqual([0]);
  });

  it('has sent nothing when nothing was added', async () => {
    expect(await chunkSender('u-1', 50_000).sent()).toBe(0);
    expect(calls).toEqual([]);
  });
});
