// evidence.video*: the unpacking video arrives in ordered chunks, while it is recorded, into a temporary file bound to
// one after-sale and scan, and is sealed under its SHA-256 on finish, or by the core when the filming operator's session
// ends first. The begin and the stored video are audited; chunks only append.
import { randomUUID } from 'node:crypto';
import type { MethodInput, MethodOutput } from '../../../common/contract';
import type { EvidenceFile } from '../../../common/contract/inspection';
import { DeskError } from '../../../common/contract/errors';
import { VIDEO_CHUNK_BYTES, VIDEO_MAX_BYTES, VIDEO_MAX_DURATION_MS, VIDEO_MIME } from '../../../common/contract/video';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { audited, scannedCodeOf } from '../audit-log/audited';
import { defineHandlers } from '../context/handlers';
import { requireOperator } from '../operators/session';
import { getOperator } from '../operators/store';
import { readSettings } from '../settings/settings';
import { getAfterSale } from '../after-sales/views';
import { evidenceOf, linkFile } from '../evidence/store';
import { appendTempVideo, discardTempVideo, openTempVideo, sealTempVideo, type TempVideo } from '../evidence/video-files';

interface Upload {
  refundId: string;
  scanId: string | null;
  operatorId: string;
  startedAt: number;
  nextIndex: number;
  temp: TempVideo;
}

/** An upload not finished within this time after it began is ended by the core (its recorder is long gone). */
const STALE_AFTER_MS = VIDEO_MAX_DURATION_MS + 10 * 60_000;
const uploads = new WeakMap<object, Map<string, Upload>>();

function uploadsOf(ctx: CoreContext): Map<string, Upload> {
  let map = uploads.get(ctx.db);
  if (!map) {
    uploads.set(ctx.db, (map = new Map()));
    ctx.session.onEnd.add((operatorId) => storeAbandoned(ctx, (upload) => upload.operatorId === operatorId, 'session_end'));
  }
  return map;
}

/**
 * Ends the uploads that `abandoned` picks, which the desk will not finish: what arrived is kept as the video (stopped
 * by `stoppedBy`, audited for the operator who filmed), an upload with nothing in it is dropped. Film streams in while
 * it is recorded, so a session ended mid-film, or a page that went away, loses at most its last second.
 */
function storeAbandoned(ctx: CoreContext, abandoned: (upload: Upload) => boolean, stoppedBy: 'session_end' | 'closed'): void {
  const map = uploadsOf(ctx);
  for (const [uploadId, upload] of map) {
    if (!abandoned(upload)) continue;
    map.delete(uploadId);
    const durationMs = Math.min(ctx.clock.now() - upload.startedAt, VIDEO_MAX_DURATION_MS);
    try {
      if (upload.temp.size === 0) discardTempVideo(upload.temp);
      else storeVideo(ctx, uploadId, upload, { durationMs, stoppedBy });
    } catch (error) {
      // A video that cannot be stored (not WebM) must not stop a session from ending; the refusal is in the log.
      ctx.logger.warn('an abandoned video upload could not be stored', { uploadId, error: String(error) });
    }
  }
}

/** Uploads begun longer ago than any recording lasts: their page went away (closed, reloaded, crashed). */
function storeStale(ctx: CoreContext, now: number): void {
  storeAbandoned(ctx, (upload) => now - upload.startedAt > STALE_AFTER_MS, 'closed');
}

/** The upload, only for the operator who began it. */
function requireUpload(ctx: CoreContext, uploadId: string, operatorId: string): Upload {
  const upload = uploadsOf(ctx).get(uploadId);
  if (!upload || upload.operatorId !== operatorId) {
    throw new DeskError('not_found', 'No video upload with that id is open', { uploadId });
  }
  return upload;
}

function begin(ctx: CoreContext, input: MethodInput<'evidence.videoBegin'>): Promise<MethodOutput<'evidence.videoBegin'>> {
  return audited(ctx, { action: 'evidence.videoBegin', refundId: input.refundId, scanId: input.scanId }, () => {
    const operator = requireOperator(ctx);
    if (!readSettings(ctx).videoRecording) {
      throw new DeskError('invalid_state', 'Unpacking video is turned off in the settings', { reason: 'video_off' });
    }
    if (!getAfterSale(ctx, input.refundId)) {
      throw new DeskError('not_found', `No after-sale ${input.refundId} at this desk`, { refundId: input.refundId });
    }
    const now = ctx.clock.now();
    storeStale(ctx, now);
    const uploadId = randomUUID();
    const temp = openTempVideo(ctx.dataDir);
    uploadsOf(ctx).set(uploadId, {
      refundId: input.refundId,
      scanId: input.scanId ?? null,
      operatorId: operator.id,
      startedAt: now,
      nextIndex: 0,
      temp,
    });
    recordAudit(ctx, {
      action: 'evidence.videoBegin',
      outcome: 'started',
      refundId: input.refundId,
      scannedCode: scannedCodeOf(ctx, input.scanId),
      details: { uploadId, scanId: input.scanId ?? null },
    });
    return { uploadId, chunkBytes: VIDEO_CHUNK_BYTES, maxBytes: VIDEO_MAX_BYTES };
  });
}

function chunk(ctx: CoreContext, input: MethodInput<'evidence.videoChunk'>): MethodOutput<'evidence.videoChunk'> {
  const operator = requireOperator(ctx);
  const upload = requireUpload(ctx, input.uploadId, operator.id);
  const ack = () => ({ uploadId: input.uploadId, nextIndex: upload.nextIndex, size: upload.temp.size });
  if (input.index < upload.nextIndex) return ack(); // a resend whose first answer was lost
  if (input.index > upload.nextIndex) {
    throw new DeskError('invalid_input', `Chunk ${input.index} arrived before chunk ${upload.nextIndex}`, {
      issues: [{ path: 'index', message: `expected ${upload.nextIndex}` }],
    });
  }
  const bytes = Buffer.from(input.dataBase64, 'base64');
  if (bytes.length === 0 || bytes.length > VIDEO_CHUNK_BYTES) {
    throw new DeskError('invalid_input', `A chunk holds 1 to ${VIDEO_CHUNK_BYTES} bytes`, {
      issues: [{ path: 'dataBase64', message: `size ${bytes.length} out of range` }],
    });
  }
  if (upload.temp.size + bytes.length > VIDEO_MAX_BYTES) {
    throw new DeskError('invalid_input', `A video holds at most ${VIDEO_MAX_BYTES} bytes`, {
      reason: 'size_cap',
      issues: [{ path: 'dataBase64', message: 'over the size cap' }],
    });
  }
  appendTempVideo(upload.temp, bytes);
  upload.nextIndex += 1;
  return ack();
}

function finish(ctx: CoreContext, input: MethodInput<'evidence.videoFinish'>): Promise<MethodOutput<'evidence.videoFinish'>> {
  const pending = uploadsOf(ctx).get(input.uploadId);
  return audited(ctx, { action: 'evidence.addVideo', refundId: pending?.refundId ?? null, scanId: pending?.scanId ?? undefined }, () => {
    const operator = requireOperator(ctx);
    const upload = requireUpload(ctx, input.uploadId, operator.id);
    uploadsOf(ctx).delete(input.uploadId);
    if (upload.temp.size === 0) {
      discardTempVideo(upload.temp);
      throw new DeskError('invalid_input', 'The video is empty', { issues: [{ path: 'uploadId', message: 'no chunk received' }] });
    }
    return storeVideo(ctx, input.uploadId, upload, input);
  });
}

/** Seals the temporary file under its hash, then names it in the database and the audit (in that order). */
function storeVideo(
  ctx: CoreContext,
  uploadId: string,
  upload: Upload,
  how: Pick<MethodInput<'evidence.videoFinish'>, 'durationMs' | 'stoppedBy'>,
): EvidenceFile {
  const stored = sealTempVideo(ctx.dataDir, upload.temp);
  if (!stored) {
    throw new DeskError('invalid_input', 'The upload is not a WebM video', { issues: [{ path: 'dataBase64', message: 'not WebM' }] });
  }
  const afterSale = getAfterSale(ctx, upload.refundId);
  const at = ctx.clock.now();
  // The file is complete under its hash before the database names it: a crash leaves no row without its file.
  ctx.db.transaction(() => {
    linkFile(
      ctx.db,
      { sha256: stored.sha256, media: 'video', mime: VIDEO_MIME, size: stored.size, relPath: stored.relPath },
      { refundId: upload.refundId, scanId: upload.scanId, operatorId: upload.operatorId, at },
    );
    const filming = getOperator(ctx, upload.operatorId);
    recordAudit(ctx, {
      action: 'evidence.addVideo',
      outcome: 'stored',
      operator: filming ? { id: filming.id, name: filming.name } : null,
      refundId: upload.refundId,
      scannedCode: scannedCodeOf(ctx, upload.scanId ?? undefined),
      details: {
        sha256: stored.sha256,
        size: stored.size,
        durationMs: how.durationMs,
        stoppedBy: how.stoppedBy,
        scanId: upload.scanId,
        uploadId,
      },
    });
  })();
  ctx.events.emit('afterSales.changed', { refundIds: [upload.refundId] });
  const file = evidenceOf(ctx.db, upload.refundId, afterSale?.shopId ?? null).find((f) => f.sha256 === stored.sha256);
  if (!file) throw new DeskError('internal', 'The video was stored but cannot be read back');
  return file;
}

export const videoHandlers = defineHandlers({
  'evidence.videoBegin': begin,
  'evidence.videoChunk': chunk,
  'evidence.videoFinish': finish,
});
