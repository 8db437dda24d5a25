// refusals.reasons / refusals.submit (拒绝收货 with evidence) and exchanges.confirmAndSend (换货: confirm and ship).
import type { MethodInput, MethodOutput } from '../../../common/contract';
import { DeskError } from '../../../common/contract/errors';
import type { AfterSale } from '../../../common/contract/after-sales';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { audited, scannedCodeOf } from '../audit-log/audited';
import { defineHandlers } from '../context/handlers';
import { requirePermission } from '../operators/permissions';
import { requireOperator } from '../operators/session';
import { enqueueConfirmAndSend, enqueueReject } from '../outbox/decisions';
import { outboxCounts } from '../outbox/store';
import { deskErrorFromPlatform } from '../platform/desk-errors';
import { requireEvidenceClient } from '../platform/evidence-api';
import { PlatformError } from '../platform/types';
import { getAfterSale } from '../after-sales/views';
import { cachedReasons, fileRow, isLinked, saveReasons } from '../evidence/store';
import { courierOf, waybillNumberOf } from '../waybills/input';

const REFUSABLE_STATUSES = [10, 11, 40];
const EXCHANGE = 3;

function requireAfterSale(ctx: CoreContext, refundId: string): AfterSale {
  const afterSale = getAfterSale(ctx, refundId);
  if (!afterSale) throw new DeskError('not_found', `No after-sale ${refundId} at this desk`, { refundId });
  return afterSale;
}

/** The reasons for the after-sale's current version: from the cache, or asked of the platform once per version. */
async function reasonsFor(ctx: CoreContext, afterSale: AfterSale, refresh: boolean): Promise<MethodOutput<'refusals.reasons'>> {
  const cached = cachedReasons(ctx.db, afterSale.refundId);
  if (cached && cached.version === afterSale.updateTime && !refresh) return { refundId: afterSale.refundId, ...cached };
  let reasons;
  try {
    reasons = await requireEvidenceClient(ctx.platform.clientFor(afterSale.shopId)).getRejectReasons(afterSale.refundId);
  } catch (error) {
    if (error instanceof PlatformError) throw deskErrorFromPlatform(error);
    throw error;
  }
  const fetchedAt = ctx.clock.now();
  saveReasons(ctx.db, afterSale.refundId, afterSale.updateTime, reasons, fetchedAt);
  return { refundId: afterSale.refundId, version: afterSale.updateTime, fetchedAt, reasons };
}

function wake(ctx: CoreContext, refundId: string): void {
  ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  ctx.events.emit('afterSales.changed', { refundIds: [refundId] });
  ctx.outbox.wake();
}

async function submitRefusal(ctx: CoreContext, input: MethodInput<'refusals.submit'>): Promise<MethodOutput<'refusals.submit'>> {
  return audited(ctx, { action: 'refusal.submit', refundId: input.refundId, scanId: input.scanId }, async () => {
    const operator = requirePermission(ctx, 'agree_refund');
    const afterSale = requireAfterSale(ctx, input.refundId);
    if (!REFUSABLE_STATUSES.includes(afterSale.status)) {
      throw new DeskError('invalid_state', `Status ${afterSale.status} cannot be refused (10, 11 or 40 can)`, { status: afterSale.status });
    }
    const { reasons } = await reasonsFor(ctx, afterSale, false);
    const reason = reasons.find((r) => r.code === input.reasonCode);
    const issue = (path: string, message: string) => new DeskError('invalid_input', message, { issues: [{ path, message }] });
    if (!reason) throw issue('reasonCode', `Reason ${input.reasonCode} is not offered for this after-sale`);
    const desc = input.rejectDesc ?? '';
    if (reason.requiresDesc && desc === '') throw issue('rejectDesc', `"${reason.text}" needs a description`);
    if (reason.requiresImages && (input.images ?? []).length === 0) throw issue('images', `"${reason.text}" needs at least one photo`);
    const images = [...new Set(input.images ?? [])];
    for (const sha256 of images) {
      if (!isLinked(ctx.db, input.refundId, sha256) || fileRow(ctx.db, sha256)?.media !== 'photo') {
        throw issue('images', `Photo ${sha256.slice(0, 12)}… is not evidence of this after-sale`);
      }
    }
    return ctx.db.transaction(() => {
      const queued = enqueueReject(ctx.db, ctx.clock.now(), {
        refundId: input.refundId,
        operatorId: operator.id,
        payload: {
          reasonCode: reason.code,
          reasonText: reason.text,
          ...(desc ? { rejectDesc: desc } : {}),
          images,
          refundVersion: afterSale.updateTime,
        },
      });
      recordAudit(ctx, {
        action: 'refusal.submit',
        outcome: 'queued',
        refundId: input.refundId,
        scannedCode: scannedCodeOf(ctx, input.scanId),
        details: {
          outboxId: queued.outboxId,
          reasonCode: reason.code,
          reasonText: reason.text,
          rejectDesc: desc || null,
          images,
          refundVersion: afterSale.updateTime,
        },
      });
      wake(ctx, input.refundId);
      return { refundId: input.refundId, outboxId: queued.outboxId };
    })();
  });
}

function confirmAndSend(
  ctx: CoreContext,
  input: MethodInput<'exchanges.confirmAndSend'>,
): Promise<MethodOutput<'exchanges.confirmAndSend'>> {
  return audited(ctx, { action: 'exchange.confirmAndSend', refundId: input.refundId, scanId: input.scanId }, () => {
    const operator = requirePermission(ctx, 'agree_refund');
    const normalized = waybillNumberOf(input.expressNo);
    courierOf(input.expressCode);
    const afterSale = requireAfterSale(ctx, input.refundId);
    if (afterSale.handlingWay !== EXCHANGE || afterSale.status !== 40) {
      throw new DeskError('invalid_state', 'Only an exchange whose item came back (status 40) can be confirmed and sent', {
        status: afterSale.status,
        handlingWay: afterSale.handlingWay,
      });
    }
    return ctx.db.transaction(() => {
      const queued = enqueueConfirmAndSend(ctx.db, ctx.clock.now(), {
        refundId: input.refundId,
        operatorId: operator.id,
        payload: { expressNo: normalized.value, expressCode: input.expressCode },
      });
      recordAudit(ctx, {
        action: 'exchange.confirmAndSend',
        outcome: 'queued',
        refundId: input.refundId,
        scannedCode: scannedCodeOf(ctx, input.scanId),
        details: { outboxId: queued.outboxId, expressNo: normalized.value, expressCode: input.expressCode },
      });
      wake(ctx, input.refundId);
      return { refundId: input.refundId, outboxId: queued.outboxId, expressNo: normalized.value };
    })();
  });
}

export const refusalHandlers = defineHandlers({
  'refusals.reasons': async (ctx, input) => {
    requireOperator(ctx);
    return reasonsFor(ctx, requireAfterSale(ctx, input.refundId), input.refresh ?? false);
  },
  'refusals.submit': submitRefusal,
  'exchanges.confirmAndSend': confirmAndSend,
  'exchanges.wish': async (ctx, input) => {
    requireOperator(ctx);
    const afterSale = requireAfterSale(ctx, input.refundId);
    try {
      const wish = await requireEvidenceClient(ctx.platform.clientFor(afterSale.shopId)).getExchangeWish(afterSale.refundId);
      return wish ? { refundId: afterSale.refundId, ...wish } : null;
    } catch (error) {
      if (error instanceof PlatformError) throw deskErrorFromPlatform(error);
      throw error;
    }
  },
});
