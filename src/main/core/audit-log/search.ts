// The audit viewer's query: filters by operator, action, outcome, after-sale, time range and overridden warnings;
// this desk's log alone (paged by id), or every desk's (warehouse mode: all_desks_audit, paged by a cursor).
import type { AuditEntry } from '../../../common/contract/audit';
import type { AuditSearch } from '../../../common/contract/backoffice';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';
import { auditEntryFromRow, type AuditRow } from './audit';

/** Newest first, paged by id; every filter is optional and they combine with AND. */
const FILTER = `(@operatorId IS NULL OR operator_id = @operatorId)
         AND (@action IS NULL OR action = @action)
         AND (@outcome IS NULL OR outcome = @outcome)
         AND (@refundId IS NULL OR refund_id = @refundId)
         AND (@from IS NULL OR at >= @from)
         AND (@to IS NULL OR at < @to)
         AND (@overriddenOnly = 0 OR overridden_warning IS NOT NULL)`;

function filterParams(filter: AuditSearch) {
  return {
    operatorId: filter.operatorId ?? null,
    action: filter.action ?? null,
    outcome: filter.outcome ?? null,
    refundId: filter.refundId ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    overriddenOnly: filter.overriddenOnly ? 1 : 0,
  };
}

export function searchAudit(ctx: Pick<CoreContext, 'db'>, filter: AuditSearch): AuditEntry[] {
  if (filter.allDesks) return searchAllDesks(ctx, filter);
  const rows = statement(
    ctx.db,
    `SELECT * FROM audit_log WHERE (@beforeId IS NULL OR id < @beforeId) AND ${FILTER} ORDER BY id DESC LIMIT @limit`,
  ).all({
    ...filterParams(filter),
    beforeId: filter.beforeId ?? null,
    limit: filter.limit ?? 200,
  }) as AuditRow[];
  return rows.map(auditEntryFromRow);
}

type AllDesksRow = AuditRow & { desk_id: string | null; remote: 0 | 1; row_id: number };

/** Every desk's entries by time (this desk's before another's in the same millisecond); a cursor names the position. */
function searchAllDesks(ctx: Pick<CoreContext, 'db'>, filter: AuditSearch): AuditEntry[] {
  const [at, remote, rowId] = (filter.before ?? '').split('.').map(Number);
  const rows = statement(
    ctx.db,
    `SELECT * FROM all_desks_audit WHERE (@beforeAt IS NULL OR (at, remote, row_id) < (@beforeAt, @beforeRemote, @beforeRow)) AND ${FILTER}
       ORDER BY at DESC, remote DESC, row_id DESC LIMIT @limit`,
  ).all({
    ...filterParams(filter),
    beforeAt: filter.before ? at : null,
    beforeRemote: filter.before ? remote : null,
    beforeRow: filter.before ? rowId : null,
    limit: filter.limit ?? 200,
  }) as AllDesksRow[];
  return rows.map((row) => ({ ...auditEntryFromRow(row), desk: row.desk_id, cursor: `${row.at}.${row.remote}.${row.row_id}` }));
}

/** How many entries the filter matches in all (an export's progress counts toward it); paging is left out. */
export function countAudit(ctx: Pick<CoreContext, 'db'>, filter: AuditSearch): number {
  const from = filter.allDesks ? 'all_desks_audit' : 'audit_log';
  return statement(ctx.db, `SELECT count(*) FROM ${from} WHERE ${FILTER}`).pluck().get(filterParams(filter)) as number;
}

/** Every action name the log holds (every desk's, in warehouse mode), for the viewer's action filter. */
export function auditActions(ctx: Pick<CoreContext, 'db'>): string[] {
  return statement(ctx.db, 'SELECT DISTINCT action FROM all_desks_audit ORDER BY action').pluck().all() as string[];
}
