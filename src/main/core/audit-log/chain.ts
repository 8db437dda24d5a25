// The audit log's hash chain: each entry's hash covers the previous entry's hash and all its own fields, so
// rewriting, replacing or removing an entry (anything but cutting the newest ones off) breaks the chain.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { AuditChainCheck } from '../../../common/contract/security';
import { statement } from '../sql/statements';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  id: number;
  at: number;
  operator_id: string | null;
  operator_name: string | null;
  action: string;
  refund_id: string | null;
  scanned_code: string | null;
  outcome: string;
  overridden_warning: string | null;
  details: string | null;
}

export function entryHash(prevHash: string, row: ChainedFields): string {
  const fields = [
    prevHash,
    row.id,
    row.at,
    row.operator_id,
    row.operator_name,
    row.action,
    row.refund_id,
    row.scanned_code,
    row.outcome,
    row.overridden_warning,
    row.details,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** The newest entry's id and hash: where the next entry chains on. */
export function chainHead(db: Database.Database): { id: number; hash: string } {
  const row = statement(db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { id: number; hash: string | null } | undefined;
  return row ? { id: row.id, hash: row.hash ?? GENESIS_HASH } : { id: 0, hash: GENESIS_HASH };
}

/** Migration use only (the no-update trigger is down meanwhile): chains the entries written before the chain existed. */
export function chainAuditLog(db: Database.Database): void {
  const update = statement(db, 'UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
  let prev = GENESIS_HASH;
  for (const row of statement(db, 'SELECT * FROM audit_log ORDER BY id').all() as ChainedFields[]) {
    const hash = entryHash(prev, row);
    update.run(prev, hash, row.id);
    prev = hash;
  }
}

/** Walks the whole log in id order and reports the first entry that does not chain. */
export function verifyAuditChain(db: Database.Database, now: number): AuditChainCheck {
  let prev = GENESIS_HASH;
  let checked = 0;
  const rows = statement(db, 'SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<
    ChainedFields & { prev_hash: string | null; hash: string | null }
  >;
  for (const row of rows) {
    let reason: string | null = null;
    if (row.prev_hash !== prev) reason = 'does not follow the entry before it (one was removed, replaced or inserted)';
    else if (row.hash !== entryHash(prev, row)) reason = 'its contents were changed after it was written';
    if (reason !== null) {
      return { ok: false, checked, firstBadId: row.id, reason, verifiedAt: now };
    }
    prev = row.hash!;
    checked += 1;
  }
  return { ok: true, checked, firstBadId: null, reason: null, verifiedAt: now };
}

declare module '../context/context' {
  interface CoreContext {
    /** The chain as verified when the core started (createCore); audit.verify shows it beside a fresh check. */
    auditChainAtStart: AuditChainCheck | null;
  }
}
