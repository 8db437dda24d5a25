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

/** The order of every desk's entries, newest first: by time, another desk's before this desk's in the same ms. */
const newerFirst = (a: AllDesksRow, b: AllDesksRow) => b.at - a.at || b.remote - a.remote || b.row_id - a.row_id;

/**
 * Every desk's entries by time, paged by a cursor (at.remote.row_id). Each table is read on its own, in index
 * order with the limit, and the two pages merged: no sort of the whole log for one page.
 */
function searchAllDesks(ctx: Pick<CoreContext, 'db'>, filter: AuditSearch): AuditEntry[] {
  const [at, remote, rowId] = filter.before ? filter.before.split('.').map(Number) : [null, null, null];
  const params = { ...filterParams(filter), bAt: at, bRemote: remote, bRow: rowId, limit: filter.limit ?? 200 };
  // Position before the cursor, for rows of one table (remote fixed) compared as (at, remote, row_id).
  const before = (remoteOf: 0 | 1, rowCol: string) =>
    `(@bAt IS NULL OR at < @bAt OR (at = @bAt AND (${remoteOf} < @bRemote OR (${remoteOf} = @bRemote AND ${rowCol} < @bRow))))`;
  const own = statement(
    ctx.db,
    `SELECT *, NULL AS desk_id, 0 AS remote, id AS row_id FROM audit_log WHERE ${before(0, 'id')} AND ${FILTER}
       ORDER BY at DESC, id DESC LIMIT @limit`,
  ).all(params) as AllDesksRow[];
  const others = statement(
    ctx.db,
    `SELECT *, coalesce(desk_entry_id, rowid) AS id, 1 AS remote, rowid AS row_id FROM warehouse_audit_log
       WHERE ${before(1, 'rowid')} AND ${FILTER} ORDER BY at DESC, rowid DESC LIMIT @limit`,
  ).all(params) as AllDesksRow[];
  return [...own, ...others]
    .sort(newerFirst)
    .slice(0, params.limit)
    .map((row) => ({ ...auditEntryFromRow(row), desk: row.desk_id, cursor: `${row.at}.${row.remote}.${row.row_id}` }));
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
