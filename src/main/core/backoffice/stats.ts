// Statistics of a time range, read from the audit log, the outbox and the recorded inspections so they agree with them.
// Scans are read from all_desks_audit: this desk's log plus, in warehouse mode, the entries of the other desks; confirms
// and waybills from all_desks_outbox, the same way. The scan-to-confirm median joins this desk's scans only.
import type Database from 'better-sqlite3';
import type { Stats } from '../../../common/contract/backoffice';
import type { CoreContext } from '../context/context';
import { inspectionOutcomes } from '../../../common/contract/inspection-stats';
import { statement } from '../sql/statements';
import { inspectionCounts } from '../evidence/store';
import { outboxCounts } from '../outbox/store';

const HOUR = 3_600_000;

function labelled(db: Database.Database, sql: string, params: Record<string, unknown>): { label: string; count: number }[] {
  return statement(db, sql).all(params) as { label: string; count: number }[];
}

export function statsSummary(ctx: Pick<CoreContext, 'db'>, input: { from: number; to: number; utcOffsetMinutes: number }): Stats {
  const db = ctx.db;
  const range = { from: input.from, to: input.to };
  const scanRows = statement(
    db,
    `SELECT at, outcome, operator_name, refund_id, json_extract(details, '$.insuranceWarning') AS warning
       FROM all_desks_audit WHERE action = 'scan' AND at >= @from AND at < @to`,
  ).all(range) as { at: number; outcome: string; operator_name: string | null; refund_id: string | null; warning: string | null }[];
  const scansByHour = Array.from({ length: 24 }, () => 0);
  const outcomes: Record<string, number> = {};
  let insuranceWarningsShown = 0;
  for (const row of scanRows) {
    const hour = Math.floor((row.at + input.utcOffsetMinutes * 60_000) / HOUR) % 24;
    scansByHour[(hour + 24) % 24]! += 1;
    outcomes[row.outcome] = (outcomes[row.outcome] ?? 0) + 1;
    if (row.warning === 'required' || row.warning === 'unknown') insuranceWarningsShown += 1;
  }
  const scansByOperator = labelled(
    db,
    `SELECT coalesce(operator_name, '') AS label, count(*) AS count FROM all_desks_audit
       WHERE action = 'scan' AND at >= @from AND at < @to GROUP BY operator_name ORDER BY count DESC, label`,
    range,
  );
  const scansByShop = labelled(
    db,
    `SELECT coalesce(s.name, a.shop_id) AS label, count(*) AS count FROM all_desks_audit l
       JOIN after_sales a ON a.refund_id = l.refund_id LEFT JOIN shops s ON s.id = a.shop_id
       WHERE l.action = 'scan' AND l.at >= @from AND l.at < @to GROUP BY a.shop_id ORDER BY count DESC, label`,
    range,
  );
  // A confirm counts once it is in the outbox and was not undone (an undone confirm is a cancelled row). all_desks_outbox
  // adds the other desks' shared rows (migration 13); only a local row can be undone: a row goes up after its undo window.
  const confirms = statement(
    db,
    `SELECT count(*) AS count, coalesce(sum(a.refund_fee), 0) AS amount, coalesce(sum(o.state = 'done'), 0) AS accepted
       FROM all_desks_outbox o LEFT JOIN after_sales a ON a.refund_id = o.refund_id
       WHERE o.kind = 'confirm_receipt' AND o.state <> 'cancelled' AND o.created_at >= @from AND o.created_at < @to`,
  ).get(range) as { count: number; amount: number; accepted: number };
  const waybillsUploaded = statement(
    db,
    `SELECT count(*) FROM all_desks_outbox o
       WHERE o.kind = 'submit_waybill' AND o.state <> 'cancelled' AND o.created_at >= @from AND o.created_at < @to`,
  )
    .pluck()
    .get(range) as number;
  const insuranceWarningsOverridden = statement(
    db,
    `SELECT count(*) FROM all_desks_audit WHERE action = 'receipt.confirm' AND outcome = 'queued'
       AND overridden_warning LIKE 'insurance_%' AND at >= @from AND at < @to`,
  )
    .pluck()
    .get(range) as number;
  const waits = statement(
    db,
    `SELECT (l.at - s.at) / 1000.0 FROM audit_log l JOIN desk_scans s ON s.id = json_extract(l.details, '$.scanId')
       WHERE l.action = 'receipt.confirm' AND l.outcome = 'queued' AND l.at >= @from AND l.at < @to ORDER BY 1`,
  )
    .pluck()
    .all(range) as number[];
  const { pending, conflicts } = outboxCounts(db);
  return {
    ...range,
    scans: scanRows.length,
    scansByHour,
    scansByOperator,
    scansByShop,
    outcomes,
    confirms: confirms.count,
    confirmedAmountFen: confirms.amount,
    confirmsAccepted: confirms.accepted,
    insuranceWarningsShown,
    insuranceWarningsOverridden,
    waybillsUploaded,
    scanToConfirmMedianS: median(waits),
    scanToConfirmCount: waits.length,
    outboxPending: pending,
    outboxConflicts: conflicts,
    inspections: inspectionOutcomes(inspectionCounts(db, input.from, input.to)),
  };
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(value * 10) / 10;
}
