// The unpacking video: MediaRecorder on the desk camera from the scan to the decision, capped in duration and size,
// then sent to the core in chunks small enough for the browser host's 256 KB request limit.
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
import { blobToBase64 } from './camera';

export type StopReason = MethodInput<'evidence.videoFinish'>['stoppedBy'];

export interface Recording {
  readonly refundId: string;
  readonly scanId: string | undefined;
  readonly startedAt: number;
  /** Stops (once; later calls get the same answer) and stores the video; null when nothing was recorded. */
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

/** Starts recording; `onCap` is called when a cap is reached, the owner then stops with that reason. */
export async function startRecording(
  target: { refundId: string; scanId: string | undefined },
  onCap: (reason: 'duration_cap' | 'size_cap') => void,
): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
  const recorder = new MediaRecorder(stream, { mimeType: recorderMime(), videoBitsPerSecond: VIDEO_BITS_PER_SECOND });
  const parts: Blob[] = [];
  let size = 0;
  recorder.ondataavailable = (event) => {
    if (event.data.size === 0) return;
    parts.push(event.data);
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
    stream.getTracks().forEach((track) => track.stop());
    const video = new Blob(parts, { type: VIDEO_MIME });
    if (video.size === 0) return null;
    return uploadVideo(video, target, Date.now() - startedAt, reason);
  }

  return {
    refundId: target.refundId,
    scanId: target.scanId,
    startedAt,
    stop: (reason) => (stopped ??= finish(reason)),
  };
}

/** Sends the video in order, chunk by chunk; a chunk whose answer was lost is simply sent again (the core acks it). */
export async function uploadVideo(
  video: Blob,
  target: { refundId: string; scanId: string | undefined },
  durationMs: number,
  stoppedBy: StopReason,
): Promise<EvidenceFile> {
  const { uploadId, chunkBytes } = await deskApi.call('evidence.videoBegin', {
    refundId: target.refundId,
    mime: VIDEO_MIME,
    ...(target.scanId ? { scanId: target.scanId } : {}),
  });
  const step = Math.min(chunkBytes, VIDEO_CHUNK_BYTES);
  for (let offset = 0, index = 0; offset < video.size; offset += step, index++) {
    const dataBase64 = await blobToBase64(video.slice(offset, offset + step));
    await deskApi.call('evidence.videoChunk', { uploadId, index, dataBase64 });
  }
  return deskApi.call('evidence.videoFinish', {
    uploadId,
    durationMs: Math.min(Math.round(durationMs), VIDEO_MAX_DURATION_MS),
    stoppedBy,
  });
}
