// Unmatched parcels: what arrived at the desk that no after-sale claims, registered so it is not forgotten.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { unmatchedParcelSchema } from '../../../common/contract/audit';
import { DeskError } from '../../../common/contract/errors';
import { normalizeScan } from '../../../common/waybill';
import { printableCode, recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import type { OperatorRecord } from '../operators/store';
import { statement } from '../sql/statements';

export type UnmatchedParcel = z.infer<typeof unmatchedParcelSchema>;

interface ParcelRow {
  id: string;
  code: string;
  normalized: string | null;
  note: string;
  registered_at: number;
  operator_name: string | null;
  resolved_refund_id: string | null;
}

const toParcel = (row: ParcelRow): UnmatchedParcel => ({
  id: row.id,
  code: row.code,
  normalized: row.normalized,
  note: row.note,
  registeredAt: row.registered_at,
  operatorName: row.operator_name,
  resolvedRefundId: row.resolved_refund_id,
});

/** Reasons a code is useless to register (nothing to match later); other unreadable codes are kept raw. */
const REFUSED = new Set(['empty', 'control_only', 'garbled_cjk', 'too_long']);

export function registerUnmatched(ctx: CoreContext, operator: OperatorRecord, input: { code: string; note: string }): UnmatchedParcel {
  const normalized = normalizeScan(input.code);
  if (!normalized.ok && REFUSED.has(normalized.reason)) {
    throw new DeskError('invalid_input', normalized.message, {
      reason: normalized.reason,
      issues: [{ path: 'code', message: normalized.message }],
    });
  }
  const value = normalized.ok ? normalized.value : null;
  const code = printableCode(input.code.trim())!;
  return ctx.db.transaction(() => {
    // Registering the same parcel twice answers the open entry instead of a second one.
    if (value !== null) {
      const open = statement(
        ctx.db,
        'SELECT * FROM unmatched_parcels WHERE normalized = ? AND resolved_refund_id IS NULL ORDER BY registered_at LIMIT 1',
      ).get(value) as ParcelRow | undefined;
      if (open) return toParcel(open);
    }
    const id = randomUUID();
    statement(
      ctx.db,
      `INSERT INTO unmatched_parcels (id, code, normalized, note, registered_at, operator_id, operator_name)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, code, value, input.note.trim(), ctx.clock.now(), operator.id, operator.name);
    recordAudit(ctx, {
      action: 'parcels.registerUnmatched',
      outcome: 'registered',
      scannedCode: input.code,
      details: { parcelId: id, normalized: value },
    });
    return toParcel(statement(ctx.db, 'SELECT * FROM unmatched_parcels WHERE id = ?').get(id) as ParcelRow);
  })();
}

export function listUnmatched(ctx: Pick<CoreContext, 'db'>): UnmatchedParcel[] {
  const rows = statement(
    ctx.db,
    'SELECT * FROM unmatched_parcels ORDER BY resolved_refund_id IS NOT NULL, registered_at DESC LIMIT 1000',
  ).all() as ParcelRow[];
  return rows.map(toParcel);
}

/** A later scan that finds an after-sale for a registered parcel marks it resolved (inside the scan's transaction). */
export function resolveUnmatched(ctx: Pick<CoreContext, 'db' | 'clock'>, normalized: string, refundId: string): number {
  return statement(
    ctx.db,
    'UPDATE unmatched_parcels SET resolved_refund_id = ?, resolved_at = ? WHERE normalized = ? AND resolved_refund_id IS NULL',
  ).run(refundId, ctx.clock.now(), normalized).changes;
}

export function getUnmatched(ctx: Pick<CoreContext, 'db'>, id: string): UnmatchedParcel | null {
  const row = statement(ctx.db, 'SELECT * FROM unmatched_parcels WHERE id = ?').get(id) as ParcelRow | undefined;
  return row ? toParcel(row) : null;
}
