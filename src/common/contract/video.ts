// Contract of the unpacking video: recorded at the desk from the scan to the decision, sent in chunks (the browser
// host refuses request bodies over 256 KB), stored content-addressed like the photos.
import { z } from 'zod';
import { defineMethods } from './define';
import { decimalIdSchema, scanIdSchema } from './ids';
import { evidenceFileSchema } from './inspection';

/** Raw bytes per chunk: base64 (×4/3) plus the JSON envelope stays well under the host's 256 KB body limit. */
export const VIDEO_CHUNK_BYTES = 160 * 1024;
/** Size cap of one video; the recorder stops before it, the core refuses a chunk beyond it. */
export const VIDEO_MAX_BYTES = 64 * 1024 * 1024;
/** Duration cap: the recorder stops here even without a decision (a parcel is unpacked in minutes). */
export const VIDEO_MAX_DURATION_MS = 10 * 60_000;
/** Bitrate asked of MediaRecorder: ~40 MB at the duration cap, under the size cap. */
export const VIDEO_BITS_PER_SECOND = 500_000;
export const VIDEO_MIME = 'video/webm';

const uploadIdSchema = z.string().uuid();

/** What ended a video; `session_end` is the core's own: the operator's session ended before the desk finished it. */
export const videoStopReasonSchema = z.enum([
  'confirm',
  'refuse',
  'exchange',
  'next_scan',
  'inspection',
  'duration_cap',
  'size_cap',
  'closed',
  'session_end',
]);

export const videoMethods = defineMethods({
  'evidence.videoBegin': {
    permission: 'signed_in',
    changesState: true,
    input: z.object({ refundId: decimalIdSchema, scanId: scanIdSchema.optional(), mime: z.literal(VIDEO_MIME) }).strict(),
    output: z.object({ uploadId: uploadIdSchema, chunkBytes: z.number().int().positive(), maxBytes: z.number().int().positive() }),
  },
  'evidence.videoChunk': {
    permission: 'signed_in',
    changesState: true,
    input: z
      .object({
        uploadId: uploadIdSchema,
        /** 0, 1, 2 … in order; resending the last one (its answer lost) is acknowledged without writing twice. */
        index: z.number().int().nonnegative(),
        dataBase64: z
          .string()
          .min(4)
          .max(Math.ceil(VIDEO_CHUNK_BYTES / 3) * 4 + 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
      })
      .strict(),
    output: z.object({ uploadId: uploadIdSchema, nextIndex: z.number().int().nonnegative(), size: z.number().int().nonnegative() }),
  },
  'evidence.videoFinish': {
    permission: 'signed_in',
    changesState: true,
    input: z
      .object({
        uploadId: uploadIdSchema,
        durationMs: z
          .number()
          .int()
          .nonnegative()
          .max(VIDEO_MAX_DURATION_MS + 5_000),
        /** Why the recording stopped: the decision that ended it, or the caps. */
        stoppedBy: videoStopReasonSchema,
      })
      .strict(),
    output: evidenceFileSchema,
  },
});
