// The outbox worker: claims due rows, re-reads after anything ambiguous, sends once, sorts the outcome.
import { OUTBOX_NOTES } from '../../../common/contract/sync';
import { judgeConfirm, judgeWaybill, type Verdict } from '../../../common/desk';
import { requireEvidenceClient } from '../platform/evidence-api';
import { quotaWaitMs } from '../platform/errors';
import { PlatformError, type PlatformClient, type RefundDetail } from '../platform/types';
import type { CoreContext } from '../context/context';
import { waybillKey } from '../../../common/waybill';
import {
  claim,
  confirmPayloadSchema,
  countSend,
  dueRows,
  markConflict,
  markDone,
  markRetry,
  outboxCounts,
  waybillPayloadSchema,
  type OutboxRow,
} from './store';
import { judgeDecision, platformUrls, sendDecision } from './decisions';

/** What the worker reads: the database, the clock, events, and ctx.outbox with the port it reaches the world through. */
export type WorkerCtx = Pick<CoreContext, 'db' | 'clock' | 'logger' | 'events' | 'outbox' | 'dataDir'>;

/** What the platform's current state says about one of our writes (the shared desk rules decide). */
export function judge(row: Pick<OutboxRow, 'kind' | 'payload'>, detail: RefundDetail): Verdict {
  if (row.kind === 'reject_refund' || row.kind === 'confirm_and_send') {
    const verdict = judgeDecision(row, detail);
    // The decision's own words go in `detail`; for the typed reason, a decision refused is a matter of status.
    return verdict.kind === 'refused' ? { kind: 'refused', reason: 'status', detail: verdict.reason } : verdict;
  }
  if (row.kind === 'confirm_receipt') return judgeConfirm(detail);
  const payload = waybillPayloadSchema.parse(JSON.parse(row.payload));
  const onRecord = detail.returnWaybill && detail.returnWaybill.expressNo.trim() !== '' ? detail.returnWaybill.expressNo : null;
  return judgeWaybill(detail, onRecord, onRecord !== null && waybillKey(onRecord) === waybillKey(payload.expressNo));
}

/** The refusal in the operator's terms, for the conflict text. */
function verdictText(verdict: Extract<Verdict, { kind: 'refused' }>): string {
  switch (verdict.reason) {
    case 'waybill_on_record':
      return `the platform already has return waybill ${verdict.detail}`;
    case 'waybill_status':
      return `${verdict.detail} does not take a return waybill`;
    case 'not_a_return':
      return `${verdict.detail} is not a return-and-refund`;
    case 'status':
      return `${verdict.detail} does not allow confirming receipt`;
  }
}

export function backoffMs(attempts: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Failures that prove the request was not applied: nothing to re-check before sending again. */
function provesNotApplied(error: unknown): boolean {
  if (!(error instanceof PlatformError)) return false;
  if (error.kind === 'transient') return !error.maybeApplied;
  return (
    error.kind === 'rate_limited' || error.kind === 'auth_expired' || error.kind === 'auth_revoked' || error.kind === 'quota_exhausted'
  );
}

function isRefusal(error: unknown): error is PlatformError {
  return (
    error instanceof PlatformError &&
    (error.kind === 'invalid_state' || error.kind === 'not_found' || error.kind === 'invalid_request' || error.kind === 'version_conflict')
  );
}

function emitChanges(ctx: WorkerCtx, refundId: string): void {
  ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  ctx.events.emit('afterSales.changed', { refundIds: [refundId] });
}

function freshView(ctx: WorkerCtx, refundId: string): unknown {
  return ctx.outbox.port.view(refundId);
}

async function reread(ctx: WorkerCtx, client: PlatformClient, row: OutboxRow): Promise<RefundDetail> {
  const detail = await client.getRefundDetail(row.refund_id);
  ctx.outbox.port.applyDetail(row.shop_id, detail);
  return detail;
}

/** The evidence face of the shop's client (refusals, image uploads). */
function evidenceFor(ctx: WorkerCtx, shopId: string) {
  return requireEvidenceClient(ctx.outbox.port.clientFor(shopId));
}

const EVIDENCE_SHA = /^[0-9a-f]{64}$/;

async function send(ctx: WorkerCtx, client: PlatformClient, row: OutboxRow, expectedStatus: number | undefined): Promise<void> {
  const now = () => ctx.clock.now();
  if (row.kind === 'reject_refund' || row.kind === 'confirm_and_send') {
    await sendDecision(ctx.db, ctx.dataDir, now, row, evidenceFor(ctx, row.shop_id));
    return;
  }
  if (row.kind === 'submit_waybill') {
    const p = waybillPayloadSchema.parse(JSON.parse(row.payload));
    await client.submitReturnWaybill({ refundId: row.refund_id, expressNo: p.expressNo, expressCode: p.expressCode });
    return;
  }
  const p = confirmPayloadSchema.parse(JSON.parse(row.payload));
  let returnFreight = p.returnFreight;
  // Evidence photos named by hash become platform image URLs first (uploaded once, kept for every resend).
  if (returnFreight?.advice === 'reject' && returnFreight.images.some((image) => EVIDENCE_SHA.test(image))) {
    const hashes = returnFreight.images.filter((image) => EVIDENCE_SHA.test(image));
    const urls = await platformUrls(ctx.db, ctx.dataDir, now, row.shop_id, hashes, evidenceFor(ctx, row.shop_id));
    const byHash = new Map(hashes.map((hash, i) => [hash, urls[i]!]));
    returnFreight = { ...returnFreight, images: returnFreight.images.map((image) => byHash.get(image) ?? image) };
  }
  await client.confirmReceipt({ refundId: row.refund_id, expectedStatus, returnFreight });
}

/** Processes one claimed-or-claimable row to its next state. Answers false when the claim was lost. */
export async function processRow(ctx: WorkerCtx, row: OutboxRow): Promise<boolean> {
  const { options } = ctx.outbox;
  if (!claim(ctx.db, row.id, row.refund_id, ctx.clock.now())) return false;
  ctx.events.emit('afterSales.changed', { refundIds: [row.refund_id] });
  const client = ctx.outbox.port.clientFor(row.shop_id);
  let sent = false;
  const retry = (error: unknown, recheck: boolean, immediate = false) => {
    const now = ctx.clock.now();
    const attempts = row.attempts + 1;
    let delay = immediate ? 0 : backoffMs(attempts, options.retryBaseMs, options.retryMaxMs, options.random);
    if (recheck) delay = Math.max(delay, options.recheckDelayMs);
    // The day's quota is gone: another try before the platform's midnight (or the client's probe) is wasted.
    if (error instanceof PlatformError && error.kind === 'quota_exhausted') delay = Math.max(delay, quotaWaitMs(now));
    markRetry(ctx.db, row, now, now + delay, error instanceof Error ? error.message : String(error), recheck);
  };
  try {
    let expectedStatus = ctx.outbox.port.cachedStatus(row.refund_id);
    if (row.needs_recheck === 1) {
      // The last request may have been applied: the platform's state decides, never a second blind send.
      const detail = await reread(ctx, client, row);
      const verdict = judge(row, detail);
      if (verdict.kind === 'applied') {
        markDone(ctx.db, row, ctx.clock.now(), OUTBOX_NOTES.already_applied);
        return true;
      }
      if (verdict.kind === 'refused') {
        markConflict(ctx.db, row, ctx.clock.now(), verdictText(verdict), freshView(ctx, row.refund_id), verdict.reason);
        return true;
      }
      expectedStatus = detail.status;
    }
    countSend(ctx.db, row.id, ctx.clock.now());
    sent = true;
    await send(ctx, client, row, expectedStatus);
    markDone(ctx.db, row, ctx.clock.now(), null);
    // One read so the cache shows the platform's new state at once (status, waybill on record) and a confirm
    // queued behind an upload goes out with the right expected status instead of meeting a version conflict.
    await reread(ctx, client, row).catch(() => undefined);
    return true;
  } catch (error) {
    if (!sent) {
      // The re-read failed: nothing was sent in this attempt; keep whatever re-check was owed.
      retry(error, row.needs_recheck === 1);
      return true;
    }
    if (isRefusal(error)) {
      await settleRefusal(ctx, client, row, error, retry);
      return true;
    }
    retry(error, !provesNotApplied(error));
    return true;
  } finally {
    emitChanges(ctx, row.refund_id);
  }
}

/** A business refusal: re-read for the fresh state; it may already be applied, or still worth one more try. */
async function settleRefusal(
  ctx: WorkerCtx,
  client: PlatformClient,
  row: OutboxRow,
  error: PlatformError,
  retry: (error: unknown, recheck: boolean, immediate?: boolean) => void,
): Promise<void> {
  const { options } = ctx.outbox;
  let detail: RefundDetail;
  try {
    detail = await reread(ctx, client, row);
  } catch (readError) {
    if (readError instanceof PlatformError && readError.kind === 'not_found') {
      markConflict(ctx.db, row, ctx.clock.now(), refusalText(error), null, 'not_found');
      return;
    }
    retry(error, true);
    return;
  }
  const verdict = judge(row, detail);
  if (verdict.kind === 'applied') {
    markDone(ctx.db, row, ctx.clock.now(), OUTBOX_NOTES.already_applied);
    return;
  }
  // A refusal was decided on one version of the after-sale: a version conflict goes to the operator, never round again.
  const retriesVersion = row.kind !== 'reject_refund';
  if (
    retriesVersion &&
    error.kind === 'version_conflict' &&
    verdict.kind === 'applicable' &&
    row.attempts + 1 <= options.maxVersionRetries
  ) {
    // The re-read just refreshed the cache: go again right away with the fresh expected status.
    retry(error, false, true);
    return;
  }
  // The platform's own words once (its message often repeats itself), then ours when the re-read explains it.
  const platform = refusalText(error);
  const text = verdict.kind === 'refused' ? `${platform} (${verdictText(verdict)})` : platform;
  markConflict(ctx.db, row, ctx.clock.now(), text, freshView(ctx, row.refund_id), verdict.kind === 'refused' ? verdict.reason : 'refused');
}

function refusalText(error: PlatformError): string {
  if (!error.platformMessage) return error.message;
  const parts = [...new Set(error.platformMessage.split(/\s*[;；]\s*/).filter((p) => p !== ''))];
  return `${parts.join('; ')}${error.code ? ` [${error.code}]` : ''}`;
}

/** One pass over everything due now. Rows of different after-sales go side by side; one after-sale strictly in order. */
export async function drainOnce(ctx: WorkerCtx): Promise<number> {
  const { options } = ctx.outbox;
  let processed = 0;
  for (let pass = 0; pass < 100; pass += 1) {
    if (ctx.outbox.stopping) break;
    const rows = dueRows(ctx.db, ctx.clock.now(), 50);
    if (rows.length === 0) break;
    let next = 0;
    const lanes = Array.from({ length: Math.min(options.concurrency, rows.length) }, async () => {
      while (next < rows.length && !ctx.outbox.stopping) {
        const row = rows[next++]!;
        // Warehouse mode: a row made here goes to the shared outbox; whichever desk claims it sends it.
        const delegate = ctx.outbox.delegate;
        if (delegate && (await delegate.handOff(row))) continue;
        if (await processRow(ctx, row)) processed += 1;
      }
    });
    await Promise.all(lanes);
  }
  return processed + (await drainDelegated(ctx));
}

/** Warehouse mode: the rows this desk claimed in the shared outbox, sent with the same discipline as local ones. */
async function drainDelegated(ctx: WorkerCtx): Promise<number> {
  const { options } = ctx.outbox;
  let processed = 0;
  for (let pass = 0; pass < 100; pass += 1) {
    const delegate = ctx.outbox.delegate;
    if (!delegate || ctx.outbox.stopping) break;
    const rows = await delegate.claim(options.concurrency);
    if (rows.length === 0) break;
    // Side by side across after-sales, in order within one (its rows were claimed in queue order).
    const byAfterSale = new Map<string, OutboxRow[]>();
    for (const row of rows) byAfterSale.set(row.refund_id, [...(byAfterSale.get(row.refund_id) ?? []), row]);
    await Promise.all(
      [...byAfterSale.values()].map(async (lane) => {
        for (const row of lane) {
          await delegate.run(row, async () => {
            const done = await processRow(ctx, row);
            if (done) processed += 1;
            return done;
          });
        }
      }),
    );
  }
  return processed;
}
