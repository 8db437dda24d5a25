// The desk records in PostgreSQL: a desk's journal rows written up idempotently (ids made from the desk and its
// local row, ON CONFLICT DO NOTHING), and the audit and unmatched-parcel feed rows read back for other desks.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type {
  JournalRow,
  JournalTable,
  ParcelResolution,
  ReplicatedAudit,
  ReplicatedInspection,
  ReplicatedParcel,
} from '../../core/replica/records';
import { auditRowSchema } from '../audit';
import { parseRows } from '../pool';
import { uuidv7 } from '../uuid7';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Operator ids are UUIDs at every desk; anything else is kept out of the uuid column rather than failing the batch. */
const uuidOrNull = (value: unknown): string | null => (typeof value === 'string' && UUID.test(value) ? value : null);
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number => Number(value);

/**
 * A UUIDv7 for a row that has only a local id (an audit entry, an evidence link): its time, and "random" bits
 * taken from the desk and the local key, so pushing the same row again gives the same id and adds nothing.
 */
export function stableUuidv7(atMs: number, deskId: string, kind: string, localKey: string): string {
  return uuidv7(atMs, createHash('sha256').update(`${deskId}\n${kind}\n${localKey}`).digest().subarray(0, 10));
}

/** What the rows need from the desk: its id, and the warehouse id of a local shop (null when not shared). */
export interface JournalContext {
  deskId: string;
  warehouseShop(localShopId: unknown): string | null;
}

interface Insert {
  table: string;
  columns: string[];
  key: string;
  values: unknown[][];
}

function parseDetails(raw: unknown): Record<string, unknown> | null {
  if (typeof raw !== 'string') return null;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return null;
  }
}

/** The warehouse row(s) for a batch of one local table's journal. */
function toInsert(table: JournalTable, rows: readonly JournalRow[], at: JournalContext): Insert {
  switch (table) {
    case 'audit_log':
      return {
        table: 'audit_log',
        key: 'audit_id',
        columns: ['audit_id', 'at_ms', 'desk_id', 'operator_id', 'operator_name', 'action', 'shop_id', 'target', 'details'],
        values: rows.map((r) => [
          stableUuidv7(num(r.at), at.deskId, 'audit', String(r.id)),
          r.at,
          at.deskId,
          uuidOrNull(r.operator_id),
          textOrNull(r.operator_name),
          r.action,
          at.warehouseShop(r.shop_id),
          textOrNull(r.refund_id),
          // The fields of a desk's entry the warehouse has no column for, and where it sits in the desk's own chain.
          JSON.stringify({
            outcome: r.outcome,
            scannedCode: textOrNull(r.scanned_code),
            overriddenWarning: textOrNull(r.overridden_warning),
            details: parseDetails(r.details),
            local: { id: r.id, hash: textOrNull(r.hash) },
          }),
        ]),
      };
    case 'desk_scans':
      return {
        table: 'scans',
        key: 'scan_id',
        columns: ['scan_id', 'desk_id', 'operator_id', 'code', 'outcome', 'shop_id', 'after_sale_id', 'scanned_at_ms'],
        values: rows.map((r) => [
          r.id,
          at.deskId,
          uuidOrNull(r.operator_id),
          r.code,
          r.outcome,
          at.warehouseShop(r.shop_id),
          textOrNull(r.refund_id),
          r.at,
        ]),
      };
    case 'unmatched_parcels':
      return {
        table: 'unmatched_parcels',
        key: 'parcel_id',
        columns: ['parcel_id', 'desk_id', 'operator_id', 'operator_name', 'waybill', 'normalized', 'note', 'registered_at_ms'],
        values: rows.map((r) => [
          r.id,
          at.deskId,
          uuidOrNull(r.operator_id),
          textOrNull(r.operator_name),
          r.code,
          textOrNull(r.normalized),
          r.note,
          r.registered_at,
        ]),
      };
    case 'inspections':
      return {
        table: 'inspections',
        key: 'inspection_id',
        columns: ['inspection_id', 'shop_id', 'after_sale_id', 'desk_id', 'operator_id', 'result', 'notes', 'inspected_at_ms'],
        values: rows.map((r) => [
          r.id,
          at.warehouseShop(r.shop_id),
          r.refund_id,
          at.deskId,
          uuidOrNull(r.operator_id),
          r.result,
          textOrNull(r.note) ?? '',
          r.created_at,
        ]),
      };
    case 'evidence_links':
      // Metadata only: the file stays on this desk (stored_on), found again by its hash.
      return {
        table: 'inspection_evidence',
        key: 'evidence_id',
        columns: ['evidence_id', 'shop_id', 'after_sale_id', 'kind', 'mime', 'bytes', 'sha256', 'stored_on', 'captured_at_ms'],
        values: rows.map((r) => [
          stableUuidv7(num(r.created_at), at.deskId, 'evidence', `${String(r.refund_id)}\n${String(r.sha256)}`),
          at.warehouseShop(r.shop_id),
          r.refund_id,
          r.media,
          r.mime,
          r.size,
          r.sha256,
          at.deskId,
          r.created_at,
        ]),
      };
  }
}

/** Writes one batch of a local table's journal; rows already in the warehouse are left as they are. Answers how many were new. */
export async function pushJournal(
  db: pg.ClientBase,
  table: JournalTable,
  rows: readonly JournalRow[],
  at: JournalContext,
): Promise<number> {
  if (rows.length === 0) return 0;
  const insert = toInsert(table, rows, at);
  const params: unknown[] = [];
  const tuples = insert.values.map((values) => {
    const first = params.length;
    params.push(...values);
    return `(${values.map((_, i) => `$${first + i + 1}`).join(', ')})`;
  });
  const result = await db.query(
    `INSERT INTO ${insert.table} (${insert.columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${insert.key}) DO NOTHING`,
    params,
  );
  return result.rowCount ?? 0;
}

/** A parcel resolved at some desk: the first resolution stands, a repeated one changes nothing. */
export async function pushResolutions(db: pg.ClientBase, resolutions: readonly ParcelResolution[], at: JournalContext): Promise<number> {
  if (resolutions.length === 0) return 0;
  const result = await db.query(
    `UPDATE unmatched_parcels u SET resolved_after_sale_id = r.after_sale_id, resolved_shop_id = r.shop_id, resolved_at_ms = r.at_ms
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[]) AS r (parcel_id, after_sale_id, shop_id, at_ms)
      WHERE u.parcel_id = r.parcel_id AND u.resolved_at_ms IS NULL`,
    [
      resolutions.map((r) => r.id),
      resolutions.map((r) => r.resolved_refund_id),
      resolutions.map((r) => at.warehouseShop(r.shop_id)),
      resolutions.map((r) => r.resolved_at),
    ],
  );
  return result.rowCount ?? 0;
}

const deskEnvelope = z.object({
  outcome: z.string(),
  scannedCode: z.string().nullable().optional(),
  overriddenWarning: z.string().nullable().optional(),
  details: z.record(z.string(), z.unknown()).nullable().optional(),
  local: z.object({ id: z.number().int() }).passthrough().optional(),
});

/** An audit feed row as a desk keeps it; an entry written by something other than a desk keeps its details whole. */
export function auditFromFeed(raw: unknown): ReplicatedAudit & { seq: string } {
  const row = auditRowSchema.parse(raw);
  const details = parseDetails(row.details);
  const desk = deskEnvelope.safeParse(details);
  return {
    seq: row.seq,
    auditId: row.audit_id,
    deskId: row.desk_id,
    deskEntryId: desk.success ? (desk.data.local?.id ?? null) : null,
    at: Number(row.at_ms),
    operatorId: row.operator_id,
    operatorName: row.operator_name,
    action: row.action,
    refundId: row.target,
    scannedCode: desk.success ? (desk.data.scannedCode ?? null) : null,
    outcome: desk.success ? desk.data.outcome : '',
    overriddenWarning: desk.success ? (desk.data.overriddenWarning ?? null) : null,
    details: desk.success ? (desk.data.details ?? null) : details,
  };
}

const ms = z.union([z.string().regex(/^-?[0-9]+$/), z.number().int()]).transform(Number);
const parcelFeedRow = z.object({
  parcel_id: z.string().uuid(),
  desk_id: z.string(),
  operator_id: z.string().nullable(),
  operator_name: z.string().nullable(),
  waybill: z.string().min(1),
  normalized: z.string().nullable(),
  note: z.string(),
  registered_at_ms: ms,
  resolved_after_sale_id: z.string().nullable(),
  resolved_at_ms: ms.nullable(),
  seq: z.string(),
});

/** Unmatched-parcel feed rows as a desk keeps them (`ownDeskId`'s own parcels have no origin desk). */
export function parcelsFromFeed(rows: readonly unknown[], ownDeskId: string): ReplicatedParcel[] {
  return parseRows(parcelFeedRow, rows).map((row) => ({
    id: row.parcel_id,
    originDesk: row.desk_id === ownDeskId ? null : row.desk_id,
    code: row.waybill,
    normalized: row.normalized,
    note: row.note,
    registeredAt: row.registered_at_ms,
    operatorId: row.operator_id,
    operatorName: row.operator_name,
    resolvedRefundId: row.resolved_after_sale_id,
    resolvedAt: row.resolved_at_ms,
  }));
}

const inspectionFeedRow = z.object({
  inspection_id: z.string().uuid(),
  after_sale_id: z.string(),
  desk_id: z.string(),
  operator_id: z.string().nullable(),
  result: z.string(),
  notes: z.string(),
  inspected_at_ms: ms,
  seq: z.string(),
});

/** Inspection feed rows of other desks as a desk keeps them (its own are in its table already). */
export function inspectionsFromFeed(rows: readonly unknown[], ownDeskId: string): ReplicatedInspection[] {
  return parseRows(inspectionFeedRow, rows)
    .filter((row) => row.desk_id !== ownDeskId)
    .map((row) => ({
      id: row.inspection_id,
      originDesk: row.desk_id,
      refundId: row.after_sale_id,
      // The core checks the result against the desk's own list (applyReplicatedInspections).
      result: row.result as ReplicatedInspection['result'],
      note: row.notes === '' ? null : row.notes,
      operatorId: row.operator_id,
      at: row.inspected_at_ms,
    }));
}
