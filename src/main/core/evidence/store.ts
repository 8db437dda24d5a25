// The evidence tables: inspections, files and their links to after-sales, platform uploads, cached reject reasons.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EvidenceFile, Inspection, InspectionResult, RejectReason } from '../../../common/contract/inspection';
import { rejectReasonSchema } from '../../../common/contract/inspection';
import { statement } from '../sql/statements';

interface InspectionRow {
  id: string;
  refund_id: string;
  result: InspectionResult;
  note: string | null;
  operator_name: string | null;
  created_at: number;
}

const toInspection = (r: InspectionRow): Inspection => ({
  id: r.id,
  refundId: r.refund_id,
  result: r.result,
  note: r.note,
  operatorName: r.operator_name,
  at: r.created_at,
});

export function insertInspection(
  db: Database.Database,
  row: { refundId: string; scanId: string | null; result: InspectionResult; note: string | null; operatorId: string; at: number },
): string {
  const id = randomUUID();
  statement(
    db,
    `INSERT INTO inspections (id, refund_id, scan_id, result, note, operator_id, created_at)
     VALUES (@id, @refundId, @scanId, @result, @note, @operatorId, @at)`,
  ).run({ id, ...row });
  return id;
}

const INSPECTION_SELECT = `SELECT i.id, i.refund_id, i.result, i.note, o.name AS operator_name, i.created_at
  FROM inspections i LEFT JOIN operators o ON o.id = i.operator_id`;

export function inspectionsOf(db: Database.Database, refundId: string): Inspection[] {
  const rows = statement(db, `${INSPECTION_SELECT} WHERE i.refund_id = ? ORDER BY i.created_at DESC, i.rowid DESC`).all(
    refundId,
  ) as InspectionRow[];
  return rows.map(toInspection);
}

export function latestInspection(db: Database.Database, refundId: string): Inspection | null {
  return inspectionsOf(db, refundId)[0] ?? null;
}

/** The latest result per after-sale inspected in [from, to), counted by result. */
export function inspectionCounts(db: Database.Database, from: number, to: number): Record<string, number> {
  const rows = statement(
    db,
    `SELECT result, count(*) AS n FROM inspections i
     WHERE created_at >= @from AND created_at < @to
       AND NOT EXISTS (SELECT 1 FROM inspections j WHERE j.refund_id = i.refund_id AND j.created_at < @to
                         AND (j.created_at > i.created_at OR (j.created_at = i.created_at AND j.rowid > i.rowid)))
     GROUP BY result`,
  ).all({ from, to }) as { result: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.result, r.n]));
}

export interface EvidenceFileRow {
  sha256: string;
  media: 'photo' | 'video';
  mime: string;
  size: number;
  rel_path: string;
  created_at: number;
}

export function fileRow(db: Database.Database, sha256: string): EvidenceFileRow | undefined {
  return statement(db, `SELECT * FROM evidence_files WHERE sha256 = ?`).get(sha256) as EvidenceFileRow | undefined;
}

export function allFiles(db: Database.Database): EvidenceFileRow[] {
  return statement(db, `SELECT * FROM evidence_files ORDER BY created_at`).all() as EvidenceFileRow[];
}

/** Records a stored file (once per content) and links it to the after-sale (once per after-sale). */
export function linkFile(
  db: Database.Database,
  file: { sha256: string; media: 'photo' | 'video'; mime: string; size: number; relPath: string },
  link: { refundId: string; scanId: string | null; operatorId: string; at: number },
): void {
  statement(
    db,
    `INSERT INTO evidence_files (sha256, media, mime, size, rel_path, created_at) VALUES (@sha256, @media, @mime, @size, @relPath, @at)
     ON CONFLICT (sha256) DO UPDATE SET rel_path = excluded.rel_path`,
  ).run({ ...file, at: link.at });
  statement(
    db,
    `INSERT INTO evidence_links (refund_id, sha256, scan_id, operator_id, created_at) VALUES (@refundId, @sha256, @scanId, @operatorId, @at)
     ON CONFLICT DO NOTHING`,
  ).run({ ...link, sha256: file.sha256 });
}

export function isLinked(db: Database.Database, refundId: string, sha256: string): boolean {
  return statement(db, `SELECT 1 FROM evidence_links WHERE refund_id = ? AND sha256 = ?`).get(refundId, sha256) !== undefined;
}

export function evidenceOf(db: Database.Database, refundId: string, shopId: string | null): EvidenceFile[] {
  const rows = statement(
    db,
    `SELECT f.sha256, f.media, f.mime, f.size, l.created_at, o.name AS operator_name,
            EXISTS (SELECT 1 FROM evidence_uploads u WHERE u.sha256 = f.sha256 AND u.shop_id = @shopId) AS uploaded
     FROM evidence_links l JOIN evidence_files f ON f.sha256 = l.sha256 LEFT JOIN operators o ON o.id = l.operator_id
     WHERE l.refund_id = @refundId ORDER BY l.created_at, f.sha256`,
  ).all({ refundId, shopId }) as (Omit<EvidenceFileRow, 'rel_path'> & { operator_name: string | null; uploaded: number })[];
  return rows.map((r) => ({
    sha256: r.sha256,
    media: r.media,
    mime: r.mime,
    size: r.size,
    at: r.created_at,
    operatorName: r.operator_name,
    uploaded: r.uploaded === 1,
  }));
}

export function uploadedUrl(db: Database.Database, sha256: string, shopId: string): string | null {
  return (
    (statement(db, `SELECT url FROM evidence_uploads WHERE sha256 = ? AND shop_id = ?`).pluck().get(sha256, shopId) as
      string | undefined) ?? null
  );
}

export function saveUpload(db: Database.Database, sha256: string, shopId: string, url: string, at: number): void {
  statement(
    db,
    `INSERT INTO evidence_uploads (sha256, shop_id, url, uploaded_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (sha256, shop_id) DO NOTHING`,
  ).run(sha256, shopId, url, at);
}

export function cachedReasons(
  db: Database.Database,
  refundId: string,
): { version: number; fetchedAt: number; reasons: RejectReason[] } | null {
  const row = statement(db, `SELECT version, fetched_at, reasons FROM reject_reasons WHERE refund_id = ?`).get(refundId) as
    { version: number; fetched_at: number; reasons: string } | undefined;
  if (!row) return null;
  const reasons = z.array(rejectReasonSchema).safeParse(JSON.parse(row.reasons));
  return reasons.success ? { version: row.version, fetchedAt: row.fetched_at, reasons: reasons.data } : null;
}

export function saveReasons(db: Database.Database, refundId: string, version: number, reasons: RejectReason[], at: number): void {
  statement(
    db,
    `INSERT INTO reject_reasons (refund_id, version, reasons, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (refund_id) DO UPDATE SET version = excluded.version, reasons = excluded.reasons, fetched_at = excluded.fetched_at`,
  ).run(refundId, version, JSON.stringify(reasons), at);
}
