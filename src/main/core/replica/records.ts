// The desk's records as warehouse mode shares them: journal reads of what was written here (by rowid, so what was
// written while the warehouse was away goes up later), and applying other desks' audit, unmatched parcels and inspections.
import { z } from 'zod';
import { inspectionResultSchema } from '../../../common/contract/inspection';
import { normalizeScan } from '../../../common/waybill';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';

type Db = Pick<CoreContext, 'db'>;

/** The local tables whose rows go up, each read in rowid order after a stored position. */
export const JOURNAL_TABLES = ['audit_log', 'desk_scans', 'unmatched_parcels', 'inspections', 'evidence_links'] as const;
export type JournalTable = (typeof JOURNAL_TABLES)[number];

/** The local shop id of the after-sale, so the warehouse row can name its shop. */
const SHOP_OF = (column: string) => `(SELECT a.shop_id FROM after_sales a WHERE a.refund_id = ${column})`;

const JOURNAL_SQL: Record<JournalTable, string> = {
  audit_log: `SELECT rowid AS journal_rowid, id, at, operator_id, operator_name, action, refund_id, scanned_code, outcome,
      overridden_warning, details, hash, ${SHOP_OF('refund_id')} AS shop_id FROM audit_log`,
  desk_scans: `SELECT rowid AS journal_rowid, id, at, operator_id, code, outcome, refund_id, ${SHOP_OF('refund_id')} AS shop_id FROM desk_scans`,
  // Parcels followed down from other desks are theirs to share.
  unmatched_parcels: `SELECT rowid AS journal_rowid, id, code, normalized, note, registered_at, operator_id, operator_name
      FROM unmatched_parcels WHERE origin_desk IS NULL AND`,
  inspections: `SELECT rowid AS journal_rowid, id, refund_id, result, note, operator_id, created_at, ${SHOP_OF('refund_id')} AS shop_id
      FROM inspections WHERE origin_desk IS NULL AND`,
  evidence_links: `SELECT l.rowid AS journal_rowid, l.refund_id, l.sha256, l.created_at, f.media, f.mime, f.size,
      ${SHOP_OF('l.refund_id')} AS shop_id FROM evidence_links l JOIN evidence_files f ON f.sha256 = l.sha256`,
};

export interface JournalRow {
  journal_rowid: number;
  [column: string]: unknown;
}

/** The next rows of a local table written after `afterRowid` (rowids only grow: these tables are never rewritten). */
export function journalRows(ctx: Db, table: JournalTable, afterRowid: number, limit: number): JournalRow[] {
  const base = JOURNAL_SQL[table];
  const rowid = table === 'evidence_links' ? 'l.rowid' : 'rowid';
  const where = base.endsWith(' AND') ? `${base} ${rowid} > ?` : `${base} WHERE ${rowid} > ?`;
  return statement(ctx.db, `${where} ORDER BY ${rowid} LIMIT ?`).all(afterRowid, limit) as JournalRow[];
}

export interface ParcelResolution {
  id: string;
  resolved_refund_id: string;
  resolved_at: number;
  shop_id: string | null;
}

/** Parcels resolved at or after `sinceMs` (any origin: a parcel of another desk may be resolved by a scan here). */
export function parcelResolutionsSince(ctx: Db, sinceMs: number, limit: number): ParcelResolution[] {
  return statement(
    ctx.db,
    `SELECT id, resolved_refund_id, resolved_at, ${SHOP_OF('resolved_refund_id')} AS shop_id FROM unmatched_parcels
       WHERE resolved_refund_id IS NOT NULL AND resolved_at >= ? ORDER BY resolved_at, rowid LIMIT ?`,
  ).all(sinceMs, limit) as ParcelResolution[];
}

export const replicatedAuditSchema = z.object({
  auditId: z.string().min(1),
  deskId: z.string().min(1),
  /** The entry's id at its own desk, when it said so. */
  deskEntryId: z.number().int().nullable(),
  at: z.number().int(),
  operatorId: z.string().nullable(),
  operatorName: z.string().nullable(),
  action: z.string(),
  refundId: z.string().nullable(),
  scannedCode: z.string().nullable(),
  outcome: z.string(),
  overriddenWarning: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type ReplicatedAudit = z.infer<typeof replicatedAuditSchema>;

/** Keeps other desks' entries beside this desk's chain (never in it); a repeated entry is ignored. Answers how many were new. */
export function applyReplicatedAudit(ctx: Db, entries: readonly ReplicatedAudit[]): number {
  const insert = statement(
    ctx.db,
    `INSERT INTO warehouse_audit_log (audit_id, desk_id, desk_entry_id, at, operator_id, operator_name, action, refund_id, scanned_code, outcome,
       overridden_warning, details)
     VALUES (@auditId, @deskId, @deskEntryId, @at, @operatorId, @operatorName, @action, @refundId, @scannedCode, @outcome, @overriddenWarning, @details)
     ON CONFLICT (audit_id) DO NOTHING`,
  );
  return ctx.db.transaction(() => {
    let added = 0;
    for (const entry of entries) {
      const row = replicatedAuditSchema.parse(entry);
      added += insert.run({ ...row, details: row.details === null ? null : JSON.stringify(row.details) }).changes;
    }
    return added;
  })();
}

export const replicatedParcelSchema = z.object({
  id: z.string().min(1),
  /** The desk that registered it; null when it was this desk. */
  originDesk: z.string().nullable(),
  code: z.string().min(1),
  /** As the registering desk normalized it; null when it could not (computed again here when absent). */
  normalized: z.string().nullable(),
  note: z.string(),
  registeredAt: z.number().int(),
  operatorId: z.string().nullable(),
  operatorName: z.string().nullable(),
  resolvedRefundId: z.string().nullable(),
  resolvedAt: z.number().int().nullable(),
});
export type ReplicatedParcel = z.infer<typeof replicatedParcelSchema>;

/**
 * Makes parcels registered at other desks known here (a scan here then resolves them, registering the same code
 * here answers that entry), and takes in resolutions made elsewhere. Idempotent. Answers how many rows changed.
 */
export function applyReplicatedParcels(ctx: Db, parcels: readonly ReplicatedParcel[]): number {
  const insert = statement(
    ctx.db,
    `INSERT INTO unmatched_parcels (id, code, normalized, note, registered_at, operator_id, operator_name, resolved_refund_id, resolved_at, origin_desk)
     VALUES (@id, @code, @normalized, @note, @registeredAt, NULL, @operatorName, @resolvedRefundId, @resolvedAt, @originDesk)
     ON CONFLICT (id) DO NOTHING`,
  );
  const resolve = statement(
    ctx.db,
    'UPDATE unmatched_parcels SET resolved_refund_id = @resolvedRefundId, resolved_at = @resolvedAt WHERE id = @id AND resolved_refund_id IS NULL',
  );
  return ctx.db.transaction(() => {
    let changed = 0;
    for (const parcel of parcels) {
      const row = replicatedParcelSchema.parse(parcel);
      const again = normalizeScan(row.code);
      const normalized = row.normalized ?? (again.ok ? again.value : null);
      // operator_id refers to this desk's operators; the name says who it was.
      const added = insert.run({ ...row, normalized }).changes;
      changed += added;
      if (added === 0 && row.resolvedRefundId !== null && row.resolvedAt !== null) changed += resolve.run(row).changes;
    }
    return changed;
  })();
}

export const replicatedInspectionSchema = z.object({
  id: z.string().min(1),
  originDesk: z.string().min(1),
  refundId: z.string().regex(/^[0-9]+$/),
  result: inspectionResultSchema,
  note: z.string().nullable(),
  /** Operators are shared by id in warehouse mode; an id unknown here shows no name. */
  operatorId: z.string().nullable(),
  at: z.number().int(),
});
export type ReplicatedInspection = z.infer<typeof replicatedInspectionSchema>;

/**
 * Makes another desk's inspection results known here, so the after-sale's latest inspection (and the warning
 * before confirming a failed one) is the same at every desk. Idempotent. Answers how many were new.
 */
export function applyReplicatedInspections(ctx: Db, inspections: readonly ReplicatedInspection[]): number {
  const insert = statement(
    ctx.db,
    `INSERT INTO inspections (id, refund_id, scan_id, result, note, operator_id, created_at, origin_desk)
     VALUES (@id, @refundId, NULL, @result, @note, @operatorId, @at, @originDesk) ON CONFLICT (id) DO NOTHING`,
  );
  return ctx.db.transaction(() => {
    let added = 0;
    for (const inspection of inspections) added += insert.run(replicatedInspectionSchema.parse(inspection)).changes;
    return added;
  })();
}
