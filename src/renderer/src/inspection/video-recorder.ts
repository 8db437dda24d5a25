// The unpacking video: MediaRecorder on the desk camera from the scan to the decision, capped in duration and size.
// What it records goes to the core as it comes (about a second at a time, in chunks under the browser host's 256 KB
// request limit), so a session that ends mid-film leaves the video at the core, stored there, not in this page.
import type { EvidenceFile } from '../../../common/contract/inspection';
import type { MethodInput } from '../api/client';
import { deskApi } from '../api';
import {
  VIDEO_BITS_PER_SECOND,
  VIDEO_CHUNK_BYTES,
  VIDEO_MAX_BYTES,
  VIDEO_MAX_DURATION_MS,
  VIDEO_MIME,
} from '../../../common/contract/video';
import { blobToBase64, openCamera } from './camera';

export type StopReason = MethodInput<'evidence.videoFinish'>['stoppedBy'];

export interface Recording {
  readonly refundId: string;
  readonly scanId: string | undefined;
  readonly startedAt: number;
  /** Stops (once; later calls get the same answer) and finishes the video; null when nothing was recorded. */
  stop(reason: StopReason): Promise<EvidenceFile | null>;
}

/** Room kept under the size cap: MediaRecorder hands data over about once a second. */
const SIZE_MARGIN = 2 * 1024 * 1024;
const TIMESLICE_MS = 1000;

function recorderMime(): string {
  for (const candidate of ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', VIDEO_MIME]) {
    if (MediaRecorder.isTypeSupported(candidate)) return candidate;
  }
  return VIDEO_MIME;
}

/**
 * Sends what the recorder hands over, in order, one call at a time. A failed chunk stops the sending (the chunks after
 * it would leave a gap the core refuses); the failure is answered by `sent()`.
 */
export function chunkSender(uploadId: string, chunkBytes: number) {
  const step = Math.min(chunkBytes, VIDEO_CHUNK_BYTES);
  let index = 0;
  let bytes = 0;
  let failure: { error: unknown } | null = null;
  let queue: Promise<void> = Promise.resolve();

  async function send(data: Blob): Promise<void> {
    for (let offset = 0; offset < data.size && !failure; offset += step) {
      const dataBase64 = await blobToBase64(data.slice(offset, offset + step));
      await deskApi.call('evidence.videoChunk', { uploadId, index, dataBase64 });
      index++;
      bytes += Math.min(step, data.size - offset);
    }
  }

  return {
    add(data: Blob): void {
      queue = queue.then(() =>
        failure
          ? undefined
          : send(data).catch((error: unknown) => {
              failure = { error };
            }),
      );
    },
    /** Bytes the core has once everything added so far is sent; throws what stopped the sending. */
    async sent(): Promise<number> {
      await queue;
      if (failure) throw failure.error;
      return bytes;
    },
  };
}

/** Starts recording; `onCap` is called when a cap is reached, the owner then stops with that reason. */
export async function startRecording(
  target: { refundId: string; scanId: string | undefined },
  onCap: (reason: 'duration_cap' | 'size_cap') => void,
): Promise<Recording> {
  const camera = await openCamera();
  let upload: { uploadId: string; chunkBytes: number };
  try {
    upload = await deskApi.call('evidence.videoBegin', {
      refundId: target.refundId,
      mime: VIDEO_MIME,
      ...(target.scanId ? { scanId: target.scanId } : {}),
    });
  } catch (error) {
    camera.stop();
    throw error;
  }
  const sender = chunkSender(upload.uploadId, upload.chunkBytes);
  const recorder = new MediaRecorder(camera.stream, { mimeType: recorderMime(), videoBitsPerSecond: VIDEO_BITS_PER_SECOND });
  let size = 0;
  recorder.ondataavailable = (event) => {
    if (event.data.size === 0) return;
    sender.add(event.data);
    size += event.data.size;
    if (size >= VIDEO_MAX_BYTES - SIZE_MARGIN) onCap('size_cap');
  };
  const startedAt = Date.now();
  const capTimer = setTimeout(() => onCap('duration_cap'), VIDEO_MAX_DURATION_MS);
  recorder.start(TIMESLICE_MS);
  let stopped: Promise<EvidenceFile | null> | null = null;

  async function finish(reason: StopReason): Promise<EvidenceFile | null> {
    clearTimeout(capTimer);
    if (recorder.state !== 'inactive') {
      await new Promise<void>((resolve) => {
        recorder.addEventListener('stop', () => resolve(), { once: true });
        recorder.stop();
      });
    }
    camera.stop();
    // Nothing sent: the upload stays empty at the core, which drops it (at the session's end, or 20 minutes on).
    if ((await sender.sent()) === 0) return null;
    return deskApi.call('evidence.videoFinish', {
      uploadId: upload.uploadId,
      durationMs: Math.min(Math.round(Date.now() - startedAt), VIDEO_MAX_DURATION_MS),
      stoppedBy: reason,
    });
  }

  return {
    refundId: target.refundId,
    scanId: target.scanId,
    startedAt,
    stop: (reason) => (stopped ??= finish(reason)),
  };
}
