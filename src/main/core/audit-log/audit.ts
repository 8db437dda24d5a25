// The append-only audit log: recordAudit for every desk action, and its reader.
import type { AuditEntry } from '../../../common/contract/audit';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';
import { chainHead, entryHash, type ChainedFields } from './chain';

export interface AuditInput {
  action: string;
  outcome: string;
  refundId?: string | null;
  scannedCode?: string | null;
  overriddenWarning?: string | null;
  details?: Record<string, unknown> | null;
  /** Who acted; defaults to the signed-in operator of the session (null when nobody is). */
  operator?: { id: string; name: string } | null;
}

/** Scanned codes may be long or hold control characters: keep a bounded, printable copy. */
const MAX_CODE = 256;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_RE = /[\u0000-\u001F\u007F-\u009F]/g;

export function printableCode(code: string | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const clean = code.replace(CONTROL_RE, '\uFFFD');
  return clean.length > MAX_CODE ? `${clean.slice(0, MAX_CODE)}…` : clean;
}

function sessionOperator(ctx: Pick<CoreContext, 'db' | 'session'>): { id: string; name: string } | null {
  const id = ctx.session.operatorId;
  if (id === null) return null;
  const name = statement(ctx.db, 'SELECT name FROM operators WHERE id = ?').pluck().get(id) as string | undefined;
  return name === undefined ? null : { id, name };
}

/** Appends one entry and returns its id; call it inside the action's transaction so both commit together. */
export function recordAudit(ctx: Pick<CoreContext, 'db' | 'clock' | 'session'>, input: AuditInput): number {
  const who = input.operator === undefined ? sessionOperator(ctx) : input.operator;
  // better-sqlite3 is synchronous and one process owns the data directory: nothing can slip in between
  // reading the head and appending to it, so the next id and its chain link are settled here.
  const head = chainHead(ctx.db);
  const entry = {
    id: head.id + 1,
    at: ctx.clock.now(),
    operator_id: who?.id ?? null,
    operator_name: who?.name ?? null,
    action: input.action,
    refund_id: input.refundId ?? null,
    scanned_code: printableCode(input.scannedCode),
    outcome: input.outcome,
    overridden_warning: input.overriddenWarning ?? null,
    details: input.details ? JSON.stringify(input.details) : null,
  };
  statement(
    ctx.db,
    `INSERT INTO audit_log (id, at, operator_id, operator_name, action, refund_id, scanned_code, outcome, overridden_warning, details, prev_hash, hash)
       VALUES (@id, @at, @operator_id, @operator_name, @action, @refund_id, @scanned_code, @outcome, @overridden_warning, @details, @prev_hash, @hash)`,
  ).run({ ...entry, prev_hash: head.hash, hash: entryHash(head.hash, entry) });
  return entry.id;
}

/** A stored entry: exactly the fields its hash covers. */
export type AuditRow = ChainedFields;

function parseDetails(raw: string | null): Record<string, unknown> | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return null;
  }
}

/** Newest first, paged by id. */
export function listAudit(ctx: Pick<CoreContext, 'db'>, options: { limit: number; beforeId?: number; refundId?: string }): AuditEntry[] {
  const rows = statement(
    ctx.db,
    `SELECT * FROM audit_log WHERE (@beforeId IS NULL OR id < @beforeId) AND (@refundId IS NULL OR refund_id = @refundId)
       ORDER BY id DESC LIMIT @limit`,
  ).all({ beforeId: options.beforeId ?? null, refundId: options.refundId ?? null, limit: options.limit }) as AuditRow[];
  return rows.map(auditEntryFromRow);
}

export function auditEntryFromRow(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    operatorId: row.operator_id,
    operatorName: row.operator_name,
    action: row.action,
    refundId: row.refund_id,
    scannedCode: row.scanned_code,
    outcome: row.outcome,
    overriddenWarning: row.overridden_warning,
    details: parseDetails(row.details),
  };
}
