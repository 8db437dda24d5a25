// scan.lookup: normalize the scan, find the after-sale in the cache, guard duplicates, answer one outcome; a miss
// answers at once and refreshes in the background (scan.resolved follows when that finds the parcel).
import { randomUUID } from 'node:crypto';
import type { AfterSale } from '../../../common/contract/after-sales';
import type { MethodInput, MethodOutput } from '../../../common/contract';
import { classifyScan } from '../../../common/waybill';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { requireOperator } from '../operators/session';
import { resolveUnmatched } from '../parcels/parcels';
import { readSettings } from '../settings/settings';
import { findByCode, type MatchedBy } from '../after-sales/lookup';
import { getAfterSale } from '../after-sales/views';
import { refreshInBackground } from '../sync/background';
import { insuranceWarningOf, outcomeOf } from '../../../common/desk';
import { relaxedTransaction } from '../db/relaxed-commit';
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
  'closed',
  'not_confirmable',
  'multiple',
  'exchange',
];

interface Match {
  matchedBy: MatchedBy;
  afterSales: AfterSale[];
}

/** 15–19 digit numbers are tried as refund ids before anything else (docs/waybill-numbers.md, normalizing step 6), then the index in its order. */
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

export function scanLookup(ctx: CoreContext, input: MethodInput<'scan.lookup'>): Promise<ScanResult> {
  const operator = requireOperator(ctx);
  const source = input.source ?? 'manual';
  const classification = classifyScan(input.code);
  let result = answer(ctx, input.code, classification, false);
  if (result.outcome === 'not_found' && result.normalized !== null) {
    // Maybe the buyer filled the waybill a minute ago: the desk answers from the cache now and looks again
    // after a targeted refresh, off the scan path (the platform may take seconds during a backfill).
    const started = refreshInBackground(ctx, (refreshed) => resolveLater(ctx, operator.id, source, result, classification, refreshed));
    result = { ...result, refreshPending: started };
  }
  record(ctx, operator.id, source, result);
  return Promise.resolve(result);
}

type Classification = ReturnType<typeof classifyScan>;

/** The outcome of one scan against the cache as it is now (no platform call). */
function answer(ctx: CoreContext, code: string, classification: Classification, refreshed: boolean): ScanResult {
  let result: ScanResult = {
    outcome: 'invalid_scan',
    scanId: randomUUID(),
    code,
    normalized: null,
    matchedBy: null,
    afterSale: null,
    candidates: [],
    insuranceWarning: 'none',
    rejectReason: null,
    refreshed,
    refreshPending: false,
    repeated: false,
  };
  if (!classification.normalized.ok) return { ...result, rejectReason: classification.normalized.reason };
  const normalized = classification.normalized.value;
  const match = lookup(ctx, normalized, classification.idLike);
  result = { ...result, normalized, outcome: 'not_found' };
  if (match === null) return result;
  const single = match.afterSales.length === 1 ? match.afterSales[0]! : null;
  return {
    ...result,
    matchedBy: match.matchedBy,
    afterSale: single,
    candidates: single ? [] : match.afterSales,
    insuranceWarning: single ? insuranceWarningOf(single) : 'none',
    outcome: single ? outcomeOf(single) : 'multiple',
    repeated: seenRecently(ctx, normalized),
  };
}

/** After the background refresh: when the parcel is now in the cache, record that answer and tell the renderer. */
function resolveLater(
  ctx: CoreContext,
  operatorId: string,
  source: string,
  missed: ScanResult,
  classification: Classification,
  refreshed: boolean,
): void {
  if (!refreshed) return;
  const found = answer(ctx, missed.code, classification, true);
  if (found.outcome === 'not_found' || found.outcome === 'invalid_scan') return;
  record(ctx, operatorId, source, found, missed.scanId);
  ctx.events.emit('scan.resolved', { scanId: missed.scanId, result: found });
}

function record(ctx: CoreContext, operatorId: string, source: string, result: ScanResult, resolves?: string): void {
  const refundId = result.afterSale?.refundId ?? null;
  // The scan log is not a money event: no fsync per scan; durable within the flush window (docs/performance.md).
  relaxedTransaction(ctx.db, () => {
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
        ...(result.refreshPending ? { refreshPending: true } : {}),
        ...(resolves ? { resolvesScanId: resolves } : {}),
        ...(resolved > 0 ? { resolvedUnmatchedParcels: resolved } : {}),
      },
    });
  });
}
