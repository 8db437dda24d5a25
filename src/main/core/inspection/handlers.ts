// inspection.* and evidence.*: the one-key inspection result and the evidence photos of an after-sale.
import type { MethodInput, MethodOutput } from '../../../common/contract';
import { DeskError } from '../../../common/contract/errors';
import { PHOTO_MAX_BYTES, inspectionResultSchema } from '../../../common/contract/inspection';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { audited, scannedCodeOf } from '../audit-log/audited';
import { defineHandlers } from '../context/handlers';
import { requireOperator } from '../operators/session';
import { getAfterSale } from '../after-sales/views';
import { readFile, storeFile, verifyFile } from '../evidence/files';
import { evidenceOf, fileRow, inspectionCounts, inspectionsOf, insertInspection, linkFile } from '../evidence/store';
import { refusalHandlers } from './refusal';

function requireAfterSale(ctx: CoreContext, refundId: string) {
  const afterSale = getAfterSale(ctx, refundId);
  if (!afterSale) throw new DeskError('not_found', `No after-sale ${refundId} at this desk`, { refundId });
  return afterSale;
}

/** The image kind the bytes really are, whatever the caller says: evidence must be what it claims. */
function imageMime(bytes: Buffer): 'image/jpeg' | 'image/png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return 'image/png';
  return null;
}

function recordInspection(ctx: CoreContext, input: MethodInput<'inspection.record'>): Promise<MethodOutput<'inspection.record'>> {
  return audited(ctx, { action: 'inspection.record', refundId: input.refundId, scanId: input.scanId }, () => {
    const operator = requireOperator(ctx);
    requireAfterSale(ctx, input.refundId);
    const at = ctx.clock.now();
    const note = input.note && input.note !== '' ? input.note : null;
    return ctx.db.transaction(() => {
      const id = insertInspection(ctx.db, {
        refundId: input.refundId,
        scanId: input.scanId ?? null,
        result: input.result,
        note,
        operatorId: operator.id,
        at,
      });
      recordAudit(ctx, {
        action: 'inspection.record',
        outcome: input.result,
        refundId: input.refundId,
        scannedCode: scannedCodeOf(ctx, input.scanId),
        details: { inspectionId: id, note, scanId: input.scanId ?? null },
      });
      ctx.events.emit('afterSales.changed', { refundIds: [input.refundId] });
      return { id, refundId: input.refundId, result: input.result, note, operatorName: operator.name, at };
    })();
  });
}

function addPhoto(ctx: CoreContext, input: MethodInput<'evidence.add'>): Promise<MethodOutput<'evidence.add'>> {
  return audited(ctx, { action: 'evidence.add', refundId: input.refundId, scanId: input.scanId }, () => {
    const operator = requireOperator(ctx);
    const afterSale = requireAfterSale(ctx, input.refundId);
    const bytes = Buffer.from(input.dataBase64, 'base64');
    if (bytes.length === 0 || bytes.length > PHOTO_MAX_BYTES) {
      throw new DeskError('invalid_input', `A photo must be 1 byte to ${PHOTO_MAX_BYTES} bytes`, {
        issues: [{ path: 'dataBase64', message: `size ${bytes.length} out of range` }],
      });
    }
    const actual = imageMime(bytes);
    if (actual !== input.mime) {
      throw new DeskError('invalid_input', `The photo is not a ${input.mime} image`, {
        issues: [{ path: 'dataBase64', message: `content is ${actual ?? 'not an image'}` }],
      });
    }
    // The file is complete under its hash before the database names it: a crash leaves no row without its file.
    const stored = storeFile(ctx.dataDir, bytes, actual === 'image/png' ? 'png' : 'jpg');
    const at = ctx.clock.now();
    ctx.db.transaction(() => {
      linkFile(
        ctx.db,
        { sha256: stored.sha256, media: 'photo', mime: actual, size: stored.size, relPath: stored.relPath },
        { refundId: input.refundId, scanId: input.scanId ?? null, operatorId: operator.id, at },
      );
      recordAudit(ctx, {
        action: 'evidence.add',
        outcome: 'stored',
        refundId: input.refundId,
        scannedCode: scannedCodeOf(ctx, input.scanId),
        details: { sha256: stored.sha256, media: 'photo', mime: actual, size: stored.size },
      });
    })();
    const file = evidenceOf(ctx.db, input.refundId, afterSale.shopId).find((f) => f.sha256 === stored.sha256);
    if (!file) throw new DeskError('internal', 'The evidence photo was stored but cannot be read back');
    return file;
  });
}

function readEvidence(ctx: CoreContext, input: MethodInput<'evidence.read'>): MethodOutput<'evidence.read'> {
  requireOperator(ctx);
  const row = fileRow(ctx.db, input.sha256);
  if (!row) throw new DeskError('not_found', 'No evidence file with that hash', { sha256: input.sha256 });
  let bytes: Buffer;
  try {
    bytes = readFile(ctx.dataDir, row.rel_path);
  } catch {
    throw new DeskError('not_found', 'The evidence file is missing from the data directory', { sha256: input.sha256 });
  }
  return {
    sha256: row.sha256,
    mime: row.mime,
    dataBase64: bytes.toString('base64'),
    intact: verifyFile(ctx.dataDir, row.rel_path, row.sha256),
  };
}

export const inspectionHandlers = defineHandlers({
  'inspection.record': recordInspection,
  'inspection.ofAfterSale': (ctx, input) => {
    requireOperator(ctx);
    const afterSale = requireAfterSale(ctx, input.refundId);
    const history = inspectionsOf(ctx.db, input.refundId);
    return { latest: history[0] ?? null, history, evidence: evidenceOf(ctx.db, input.refundId, afterSale.shopId) };
  },
  'inspection.stats': (ctx, input) => {
    requireOperator(ctx);
    const raw = inspectionCounts(ctx.db, input.from, input.to);
    const counts = Object.fromEntries(
      inspectionResultSchema.options.map((r) => [r, raw[r] ?? 0]),
    ) as MethodOutput<'inspection.stats'>['counts'];
    return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
  },
  'evidence.add': addPhoto,
  'evidence.read': readEvidence,
  ...refusalHandlers,
});
