// scan.lookup: normalize the scan, find the after-sale (refreshing once on a miss), guard duplicates, answer one outcome.
import { randomUUID } from 'node:crypto';
import type { AfterSale } from '../../../shared/contract/after-sales';
import type { MethodInput, MethodOutput } from '../../../shared/contract';
import { classifyScan } from '../../../shared/waybill';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { requireOperator } from '../operators/session';
import { resolveUnmatched } from '../parcels/parcels';
import { readSettings } from '../settings/settings';
import { findByCode, type MatchedBy } from '../after-sales/lookup';
import { getAfterSale } from '../after-sales/views';
import { targetedRefresh } from '../sync/refresh';
import { insuranceWarningOf, outcomeOf } from '../../../shared/desk';
import { statement } from '../sql/statements';

type ScanResult = MethodOutput<'scan.lookup'>;

/**
 * Outcomes that mean "this parcel was looked at": a repeat within the window is answered as usual and flagged
 * `repeated`. The guard against a second confirm is the after-sale's own state (already_received), never the scan.
 */
const COUNTS_AS_SEEN = [
  'ready',
  'waiting_for_buyer',
  'already_received',
  'not_a_return',
  'exchange',
  'closed',
  'not_confirmable',
  'multiple',
];

interface Match {
  matchedBy: MatchedBy;
  afterSales: AfterSale[];
}

/** 15–19 digit numbers are tried as refund ids before anything else (docs/waybills.md, normalizing step 6), then the index in its order. */
function lookup(ctx: CoreContext, normalized: string, idLike: boolean): Match | null {
  if (idLike) {
    const byId = getAfterSale(ctx, normalized);
    if (byId) return { matchedBy: 'refund_id', afterSales: [byId] };
  }
  const found = findByCode(ctx, normalized);
  if (!found) return null;
  const afterSales = found.refundIds.map((id) => getAfterSale(ctx, id)).filter((a): a is AfterSale => a !== null);
  return afterSales.length > 0 ? { matchedBy: found.matchedBy, afterSales } : null;
}

function seenRecently(ctx: CoreContext, normalized: string): boolean {
  const windowMs = readSettings(ctx).duplicateScanWindowMs;
  if (windowMs <= 0) return false;
  const since = ctx.clock.now() - windowMs;
  const hit = statement(
    ctx.db,
    `SELECT 1 FROM desk_scans WHERE normalized = ? AND at > ? AND outcome IN (${COUNTS_AS_SEEN.map(() => '?').join(', ')}) LIMIT 1`,
  ).get(normalized, since, ...COUNTS_AS_SEEN);
  return hit !== undefined;
}

export async function scanLookup(ctx: CoreContext, input: MethodInput<'scan.lookup'>): Promise<ScanResult> {
  const operator = requireOperator(ctx);
  const scanId = randomUUID();
  const classification = classifyScan(input.code);
  let result: ScanResult = {
    outcome: 'invalid_scan',
    scanId,
    code: input.code,
    normalized: null,
    matchedBy: null,
    afterSale: null,
    candidates: [],
    insuranceWarning: 'none',
    rejectReason: null,
    refreshed: false,
    repeated: false,
  };
  if (!classification.normalized.ok) {
    result.rejectReason = classification.normalized.reason;
  } else {
    const normalized = classification.normalized.value;
    let match = lookup(ctx, normalized, classification.idLike);
    let refreshed = false;
    if (match === null) {
      // Maybe the buyer filled the waybill a minute ago: one short refresh, then answer.
      refreshed = (await targetedRefresh(ctx)).refreshed;
      match = lookup(ctx, normalized, classification.idLike);
    }
    result = { ...result, normalized, refreshed, outcome: 'not_found' };
    if (match !== null) {
      const single = match.afterSales.length === 1 ? match.afterSales[0]! : null;
      result = {
        ...result,
        matchedBy: match.matchedBy,
        afterSale: single,
        candidates: single ? [] : match.afterSales,
        insuranceWarning: single ? insuranceWarningOf(single) : 'none',
        outcome: single ? outcomeOf(single) : 'multiple',
        repeated: seenRecently(ctx, normalized),
      };
    }
  }
  record(ctx, operator.id, input.source ?? 'manual', result);
  return result;
}

function record(ctx: CoreContext, operatorId: string, source: string, result: ScanResult): void {
  const refundId = result.afterSale?.refundId ?? null;
  ctx.db.transaction(() => {
    statement(
      ctx.db,
      'INSERT INTO desk_scans (id, at, operator_id, code, normalized, outcome, matched_by, refund_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      result.scanId,
      ctx.clock.now(),
      operatorId,
      result.code.slice(0, 512),
      result.normalized,
      result.outcome,
      result.matchedBy,
      refundId,
    );
    const resolved = refundId !== null && result.normalized !== null ? resolveUnmatched(ctx, result.normalized, refundId) : 0;
    recordAudit(ctx, {
      action: 'scan',
      outcome: result.outcome,
      refundId,
      scannedCode: result.code,
      details: {
        scanId: result.scanId,
        source,
        normalized: result.normalized,
        matchedBy: result.matchedBy,
        candidates: result.candidates.map((c) => c.refundId),
        insuranceWarning: result.insuranceWarning,
        rejectReason: result.rejectReason,
        refreshed: result.refreshed,
        repeated: result.repeated,
        ...(resolved > 0 ? { resolvedUnmatchedParcels: resolved } : {}),
      },
    });
  })();
}
