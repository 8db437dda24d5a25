// Outbox rows for the inspection decisions: refusing a return with evidence images, and confirming an exchange
// while sending the replacement. Enqueued like a confirm (one per after-sale), judged on re-read, sent once.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { DeskError } from '../../../common/contract/errors';
import { fileRow, uploadedUrl, saveUpload } from '../evidence/store';
import { readFile } from '../evidence/files';
import type { EvidenceClient } from '../platform/evidence-api';
import type { RefundDetail } from '../platform/types';
import { statement } from '../sql/statements';
import { uuidv7 } from '../kernel/uuid7';
import { readFacts, recomputeLocalState, rowsOfRefund, type OutboxRow } from './store';

const SHA256 = /^[0-9a-f]{64}$/;

export const rejectPayloadSchema = z.object({
  reasonCode: z.number().int(),
  reasonText: z.string(),
  rejectDesc: z.string().optional(),
  images: z.array(z.string().regex(SHA256)).max(6),
  refundVersion: z.number().int(),
});
export const sendPayloadSchema = z.object({ expressNo: z.string().min(1), expressCode: z.number().int() });
export type RejectPayload = z.infer<typeof rejectPayloadSchema>;
export type SendPayload = z.infer<typeof sendPayloadSchema>;

/** Statuses a refusal of the receipt leaves behind: 12 = the merchant refused, waiting for the buyer. */
const REFUSED_STATUSES = [12];
const REFUSABLE_STATUSES = [10, 11, 40];

type Verdict = { kind: 'applied' } | { kind: 'applicable' } | { kind: 'refused'; reason: string };

function insertRow(
  db: Database.Database,
  now: number,
  row: { kind: 'reject_refund' | 'confirm_and_send'; refundId: string; payload: unknown; operatorId: string | null },
): { outboxId: string } {
  return db.transaction(() => {
    const afterSale = readFacts(db, row.refundId);
    if (!afterSale) throw new DeskError('not_found', `No after-sale ${row.refundId} in the local cache`, { refundId: row.refundId });
    const live = rowsOfRefund(db, row.refundId).find(
      (r) =>
        (r.kind === 'reject_refund' || r.kind === 'confirm_and_send' || r.kind === 'confirm_receipt') &&
        r.state !== 'cancelled' &&
        r.state !== 'conflict',
    );
    if (live) {
      if (live.kind === row.kind) return { outboxId: live.id };
      throw new DeskError('conflict', `A ${live.kind.replace(/_/g, ' ')} of this after-sale is already queued`, {
        reason: 'decision_queued',
        kind: live.kind,
      });
    }
    const id = uuidv7(now);
    const n = rowsOfRefund(db, row.refundId).filter((r) => r.kind === row.kind).length;
    statement(
      db,
      `INSERT INTO outbox (id, idempotency_key, kind, shop_id, refund_id, payload, state, not_before, undo_until, operator_id, created_at, updated_at)
       VALUES (@id, @key, @kind, @shopId, @refundId, @payload, 'waiting', @now, NULL, @operatorId, @now, @now)`,
    ).run({
      id,
      key: `${row.kind}:${row.refundId}#${n + 1}`,
      kind: row.kind,
      shopId: afterSale.shop_id,
      refundId: row.refundId,
      payload: JSON.stringify(row.payload),
      operatorId: row.operatorId,
      now,
    });
    recomputeLocalState(db, row.refundId, now);
    return { outboxId: id };
  })();
}

export function enqueueReject(
  db: Database.Database,
  now: number,
  req: { refundId: string; payload: RejectPayload; operatorId: string | null },
): { outboxId: string } {
  return insertRow(db, now, {
    kind: 'reject_refund',
    refundId: req.refundId,
    payload: rejectPayloadSchema.parse(req.payload),
    operatorId: req.operatorId,
  });
}

export function enqueueConfirmAndSend(
  db: Database.Database,
  now: number,
  req: { refundId: string; payload: SendPayload; operatorId: string | null },
): { outboxId: string } {
  return insertRow(db, now, {
    kind: 'confirm_and_send',
    refundId: req.refundId,
    payload: sendPayloadSchema.parse(req.payload),
    operatorId: req.operatorId,
  });
}

/** What the platform's current state says about a decision row. */
export function judgeDecision(row: Pick<OutboxRow, 'kind' | 'payload'>, detail: RefundDetail): Verdict {
  if (row.kind === 'confirm_and_send') {
    if (detail.status === 45 || (detail.handlingWay === 3 && detail.status === 60)) return { kind: 'applied' };
    if (detail.handlingWay === 3 && detail.status === 40) return { kind: 'applicable' };
    return { kind: 'refused', reason: `status ${detail.status} does not allow confirming the exchange` };
  }
  const payload = rejectPayloadSchema.parse(JSON.parse(row.payload));
  if (REFUSED_STATUSES.includes(detail.status)) return { kind: 'applied' };
  // The operator decided on one version of the after-sale: a newer one is shown to them, never refused blindly.
  if (detail.updateTime !== payload.refundVersion) {
    return {
      kind: 'refused',
      reason: `the after-sale changed on the platform since the inspection (version ${payload.refundVersion} → ${detail.updateTime})`,
    };
  }
  if (REFUSABLE_STATUSES.includes(detail.status)) return { kind: 'applicable' };
  return { kind: 'refused', reason: `status ${detail.status} cannot be refused` };
}

/**
 * Platform URLs of evidence images for one shop, uploading only those without one. Each URL is stored the
 * moment its upload answers, so a resend (after a crash, a timeout, a refusal) never uploads an image twice.
 */
export async function platformUrls(
  db: Database.Database,
  dataDir: string,
  now: () => number,
  shopId: string,
  images: readonly string[],
  evidence: EvidenceClient,
): Promise<string[]> {
  const urls: string[] = [];
  for (const sha256 of images) {
    const known = uploadedUrl(db, sha256, shopId);
    if (known) {
      urls.push(known);
      continue;
    }
    const file = fileRow(db, sha256);
    if (!file || file.media !== 'photo')
      throw new DeskError('not_found', `No evidence photo ${sha256.slice(0, 12)}… at this desk`, { sha256 });
    const url = await evidence.uploadImage({
      bytes: readFile(dataDir, file.rel_path),
      contentType: file.mime === 'image/png' ? 'image/png' : 'image/jpeg',
    });
    saveUpload(db, sha256, shopId, url, now());
    urls.push(url);
  }
  return urls;
}

export async function sendDecision(
  db: Database.Database,
  dataDir: string,
  now: () => number,
  row: OutboxRow,
  evidence: EvidenceClient,
): Promise<void> {
  if (row.kind === 'confirm_and_send') {
    const p = sendPayloadSchema.parse(JSON.parse(row.payload));
    await evidence.confirmAndSend({ refundId: row.refund_id, expressNo: p.expressNo, expressCode: p.expressCode });
    return;
  }
  const p = rejectPayloadSchema.parse(JSON.parse(row.payload));
  const urls = await platformUrls(db, dataDir, now, row.shop_id, p.images, evidence);
  await evidence.rejectRefund({
    refundId: row.refund_id,
    reasonCode: p.reasonCode,
    ...(p.rejectDesc ? { rejectDesc: p.rejectDesc } : {}),
    rejectImages: urls,
    refundVersion: p.refundVersion,
  });
}
