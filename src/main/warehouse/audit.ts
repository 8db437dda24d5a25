// The warehouse audit: append-only rows whose hashes chain in seq order (the chain is computed by the database).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { parseRows, int8Schema } from './pool';
import { uuidv7 } from './uuid7';

export const auditRowSchema = z.object({
  audit_id: z.string().uuid(),
  at_ms: int8Schema,
  desk_id: z.string(),
  operator_id: z.string().uuid().nullable(),
  operator_name: z.string().nullable(),
  action: z.string(),
  shop_id: z.string().nullable(),
  target: z.string().nullable(),
  details: z.string(),
  prev_hash: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  seq: int8Schema,
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export interface AuditEntry {
  /** Made at the desk (UUIDv7) so a repeated push is harmless; generated when absent. */
  auditId?: string;
  atMs: number;
  deskId: string;
  operatorId?: string | null;
  operatorName?: string | null;
  action: string;
  shopId?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
}

/** Appends one entry (ON CONFLICT DO NOTHING: a desk pushing its journal again after a crash adds nothing). */
export async function appendAudit(db: pg.Pool | pg.ClientBase, entry: AuditEntry): Promise<string> {
  const auditId = entry.auditId ?? uuidv7(entry.atMs);
  await db.query(
    `INSERT INTO audit_log (audit_id, at_ms, desk_id, operator_id, operator_name, action, shop_id, target, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (audit_id) DO NOTHING`,
    [
      auditId,
      entry.atMs,
      entry.deskId,
      entry.operatorId ?? null,
      entry.operatorName ?? null,
      entry.action,
      entry.shopId ?? null,
      entry.target ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
  return auditId;
}

/** Same encoding as audit_log_field() in migration 4: "<characters>:<text>", or "-" for null. */
function field(value: string | null): string {
  return value === null ? '-' : `${[...value].length}:${value}`;
}

export function auditHash(row: Omit<AuditRow, 'hash' | 'seq'>): string {
  const text = [
    row.prev_hash,
    row.audit_id,
    row.at_ms,
    row.desk_id,
    row.operator_id,
    row.operator_name,
    row.action,
    row.shop_id,
    row.target,
    row.details,
  ]
    .map(field)
    .join('\n');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Walks the whole chain in seq order; names the first entry whose hash or link does not hold. */
export async function verifyAuditChain(
  pool: pg.Pool,
): Promise<{ ok: true; entries: number } | { ok: false; brokenAt: string; entries: number }> {
  let previous = '';
  let after = '0';
  let entries = 0;
  for (;;) {
    const result = await pool.query('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000', [after]);
    const rows = parseRows(auditRowSchema, result.rows);
    if (rows.length === 0) return { ok: true, entries };
    for (const row of rows) {
      if (row.prev_hash !== previous || auditHash(row) !== row.hash) return { ok: false, brokenAt: row.audit_id, entries };
      previous = row.hash;
      entries += 1;
    }
    after = rows[rows.length - 1]!.seq;
  }
}
