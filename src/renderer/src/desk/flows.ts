// The desk's dialog-driven flows: upload a waybill for the buyer, confirm receipt (insurance warning, return
// freight decision, undo window), batch confirm, undo. Shared by the scan card, the queue row and the detail pane.
import type { AfterSale } from '../../../common/contract/after-sales';
import { FREIGHT_IMAGES_REQUIRED } from '../../../common/contract/desk';
import type { MethodInput, MethodOutput } from '../api/client';
import { deskApi } from '../api';
import { detailOf, errorCode, errorReason, errorText, sessionGone } from '../api/errors';
import { i18n } from '../i18n';
import { useDesk } from './store';
import { undoTargets } from './undo';
import { useNotices } from '../ui/notices';
import { useSession } from '../operators/session';
import { playSound } from '../sound/player';
import { openDialog, withFlow } from '../ui/dialogs';
import { insuranceWarningOf, type InsuranceWarning } from '../../../common/desk';
import WaybillDialog from './WaybillDialog.vue';
import AliasDialog from './AliasDialog.vue';
import InsuranceDialog from './InsuranceDialog.vue';
import FreightDialog from './FreightDialog.vue';
import BatchInsuranceDialog from './BatchInsuranceDialog.vue';
import BatchResultDialog, { type BatchRow } from './BatchResultDialog.vue';
import { askInspectionWarning, refuseReceipt } from '../inspection/flows';

type ConfirmRequest = MethodInput<'receipts.confirm'>;
type ConfirmResult = MethodOutput<'receipts.confirm'>;
type Submitted = MethodOutput<'waybills.submit'>;
type Aliased = MethodOutput<'waybills.alias'>;
type FreightDecision = { advice: 'agree' } | { advice: 'reject'; reason: string; images?: string[] };

const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);
const label = (a: AfterSale) => a.itemTitle ?? a.skuName ?? a.refundId;

function refuseWithoutPermission(): boolean {
  const session = useSession();
  if (session.canRefund) return false;
  useNotices().push('error', () => t('errors.forbidden'));
  playSound('error');
  return true;
}

export function uploadWaybill(afterSale: AfterSale, options: { initial?: string; scanId?: string } = {}): Promise<Submitted | null> {
  return withFlow(() => uploadWaybillFlow(afterSale, options));
}

async function uploadWaybillFlow(afterSale: AfterSale, options: { initial?: string; scanId?: string }): Promise<Submitted | null> {
  if (refuseWithoutPermission()) return null;
  const result = await openDialog<Submitted>(WaybillDialog, { afterSale, ...options });
  if (result) {
    useNotices().push('success', () => t('waybill.queued', { number: result.expressNo }));
    const desk = useDesk();
    desk.log({ code: result.expressNo, outcome: 'ready', refundId: afterSale.refundId });
    if (desk.card?.refundId === afterSale.refundId) await desk.refreshCard();
  }
  return result;
}

/** In 22/40 the platform takes no upload: the label on the parcel in hand becomes a local alias of this after-sale. */
export function aliasWaybill(afterSale: AfterSale, options: { scanId?: string } = {}): Promise<Aliased | null> {
  return withFlow(async () => {
    if (refuseWithoutPermission()) return null;
    const result = await openDialog<Aliased>(AliasDialog, { afterSale, ...options });
    if (result) {
      useNotices().push('success', () => t('alias.done', { label: result.expressNo }));
      const desk = useDesk();
      if (desk.card?.refundId === afterSale.refundId) await desk.refreshCard();
    }
    return result;
  });
}

async function fresh(afterSale: AfterSale): Promise<AfterSale> {
  try {
    return await deskApi.call('afterSales.get', { refundId: afterSale.refundId });
  } catch {
    return afterSale;
  }
}

/** The after-sale's evidence photos by hash (at most 6, the platform's limit), for a return-freight rejection. */
async function evidencePhotos(afterSale: AfterSale): Promise<string[]> {
  try {
    const { evidence } = await deskApi.call('inspection.ofAfterSale', { refundId: afterSale.refundId });
    return evidence
      .filter((e) => e.media === 'photo')
      .slice(0, 6)
      .map((e) => e.sha256);
  } catch {
    return [];
  }
}

async function askFreight(afterSale: AfterSale, position?: { index: number; total: number }): Promise<FreightDecision | null | undefined> {
  if (!afterSale.returnFreight) return undefined;
  return openDialog<FreightDecision>(FreightDialog, { afterSale, ...(position ? { position } : {}) });
}

/**
 * Confirms one after-sale through every guard: the insurance warning (pre-emptive from the card, or the core's
 * `conflict`/insurance_warning answer), the return-freight decision, then the undo window. Null when cancelled.
 */
export function confirmReceipt(
  start: AfterSale,
  options: { warning?: InsuranceWarning; scanId?: string } = {},
): Promise<ConfirmResult | null> {
  // One flow from the first dialog to the core's answer: a scan held meanwhile waits for all of it.
  return withFlow(() => confirmFlow(start, options));
}

async function confirmFlow(start: AfterSale, options: { warning?: InsuranceWarning; scanId?: string }): Promise<ConfirmResult | null> {
  if (refuseWithoutPermission()) return null;
  let afterSale = start;
  let warning: InsuranceWarning = options.warning ?? insuranceWarningOf(afterSale);
  let override = false;
  let overrideInspection = false;
  let freight: FreightDecision | undefined;
  let freightAsked = false;
  const notices = useNotices();
  for (let round = 0; round < 4; round++) {
    if (warning !== 'none' && !override) {
      const choice = await openDialog<'upload' | 'anyway'>(InsuranceDialog, { afterSale, warning });
      if (!choice) return null;
      if (choice === 'anyway') override = true;
      else {
        const submitted = await uploadWaybill(afterSale, options.scanId ? { scanId: options.scanId } : {});
        if (!submitted) return null;
        afterSale = await fresh(afterSale);
        warning = 'none';
      }
    }
    if (!freightAsked) {
      const decision = await askFreight(afterSale);
      if (decision === null) return null;
      freight = decision;
      freightAsked = true;
    }
    // A return-freight rejection carries the parcel's evidence photos (uploaded to Kuaishou before the confirm).
    if (freight?.advice === 'reject' && !('images' in freight)) freight = { ...freight, images: await evidencePhotos(afterSale) };
    const request: ConfirmRequest = {
      refundId: afterSale.refundId,
      overrideInsuranceWarning: override,
      overrideInspectionWarning: overrideInspection,
      ...(options.scanId ? { scanId: options.scanId } : {}),
      ...(freight ? { returnFreight: freight } : {}),
    };
    try {
      const result = await deskApi.call('receipts.confirm', request);
      const desk = useDesk();
      desk.addUndo({ refundId: result.refundId, undoUntil: result.undoUntil, label: label(afterSale) });
      if (desk.card?.refundId === afterSale.refundId) {
        desk.confirmedOnCard = afterSale.refundId;
        void desk.refreshCard();
      }
      desk.log({ code: afterSale.refundId, outcome: 'confirmed', refundId: afterSale.refundId });
      playSound('confirmed');
      return result;
    } catch (error) {
      if (errorCode(error) === 'conflict' && errorReason(error) === 'insurance_warning' && !override) {
        const details = (error as { details?: { warning?: unknown } }).details;
        warning = details?.warning === 'unknown' ? 'unknown' : 'required';
        continue;
      }
      if (errorCode(error) === 'conflict' && errorReason(error) === 'inspection_failed' && !overrideInspection) {
        const result = String((error as { details?: { result?: unknown } }).details?.result ?? 'other');
        const choice = await askInspectionWarning(afterSale, result);
        if (choice === 'anyway') {
          overrideInspection = true;
          continue;
        }
        if (choice === 'refuse') await refuseReceipt(afterSale, options.scanId);
        return null;
      }
      if (sessionGone(error)) return null;
      playSound('error');
      // The platform requires photos with a freight rejection: say exactly that, in the operator's language.
      notices.push('error', () =>
        errorReason(error) === FREIGHT_IMAGES_REQUIRED ? t('freightRules.imagesRequired') : errorText(t, error),
      );
      return null;
    }
  }
  return null;
}

export async function undoLast(): Promise<void> {
  const desk = useDesk();
  const now = Date.now();
  // A confirm whose window just ended is not "nothing": say it is too late (it is queued to send, even offline).
  const justExpired = desk.undo.some((u) => u.undoUntil <= now && now - u.undoUntil < 60_000);
  desk.pruneUndo(now);
  const targets = undoTargets(desk.undo, now);
  const notices = useNotices();
  if (targets.length === 0) {
    if (justExpired) notices.push('warning', () => t('undo.tooLate'));
    else notices.push('info', () => t('undo.nothing'));
    return;
  }
  // A batch is undone as a whole: every confirm of it still inside its window, each on its own.
  let undone = 0;
  let late = 0;
  for (const entry of targets) {
    try {
      const result = await deskApi.call('receipts.undo', { refundId: entry.refundId });
      desk.undo = desk.undo.filter((u) => u.refundId !== entry.refundId);
      if (result.undone) {
        undone += 1;
        if (desk.confirmedOnCard === entry.refundId) desk.confirmedOnCard = null;
        desk.log({ code: entry.refundId, outcome: 'undone', refundId: entry.refundId });
      } else late += 1;
    } catch (error) {
      if (sessionGone(error)) return;
      notices.push('error', () => errorText(t, error));
      playSound('error');
      return;
    }
  }
  if (undone > 0) {
    await desk.refreshCard();
    notices.push('success', () =>
      targets.length === 1 ? t('undo.done', { label: targets[0]!.label }) : t('undo.doneBatch', { count: undone }),
    );
  }
  if (late > 0) notices.push('warning', () => t('undo.tooLate'));
  playSound(late > 0 ? 'error' : 'undone');
}

/** Confirms several after-sales: one insurance dialog for the affected ones, freight decisions, per-item results. */
export function confirmBatch(selection: AfterSale[]): Promise<BatchRow[] | null> {
  return withFlow(() => batchFlow(selection));
}

async function batchFlow(selection: AfterSale[]): Promise<BatchRow[] | null> {
  if (selection.length === 0 || refuseWithoutPermission()) return null;
  const affected = selection
    .map((afterSale) => ({ afterSale, warning: insuranceWarningOf(afterSale) }))
    .filter((x): x is { afterSale: AfterSale; warning: 'required' | 'unknown' } => x.warning !== 'none');
  const overrides = new Set<string>();
  const skipped = new Set<string>();
  let items = selection;
  if (affected.length > 0) {
    const choice = await openDialog<'upload' | 'others' | 'all'>(BatchInsuranceDialog, { affected, total: selection.length });
    if (!choice) return null;
    if (choice === 'all') affected.forEach((a) => overrides.add(a.afterSale.refundId));
    if (choice === 'others') affected.forEach((a) => skipped.add(a.afterSale.refundId));
    if (choice === 'upload') {
      for (const { afterSale } of affected) {
        const done = await uploadWaybill(afterSale);
        if (!done) skipped.add(afterSale.refundId);
      }
    }
    items = selection.filter((a) => !skipped.has(a.refundId));
  }
  const requests: ConfirmRequest[] = [];
  // The claims are asked one after another in the batch's own order, each saying which one of how many it is.
  const claims = items.filter((a) => a.returnFreight !== null);
  for (const afterSale of items) {
    const index = claims.indexOf(afterSale);
    const decision = await askFreight(afterSale, index >= 0 ? { index: index + 1, total: claims.length } : undefined);
    if (decision === null) {
      skipped.add(afterSale.refundId);
      continue;
    }
    const withPhotos = decision?.advice === 'reject' ? { ...decision, images: await evidencePhotos(afterSale) } : decision;
    requests.push({
      refundId: afterSale.refundId,
      overrideInsuranceWarning: overrides.has(afterSale.refundId),
      ...(withPhotos ? { returnFreight: withPhotos } : {}),
    });
  }
  const rows: BatchRow[] = [];
  const byId = new Map(selection.map((a) => [a.refundId, a]));
  if (requests.length > 0) {
    try {
      const { results } = await deskApi.call('receipts.confirmBatch', { items: requests });
      const desk = useDesk();
      const undoable: { refundId: string; undoUntil: number; label: string }[] = [];
      for (const item of results) {
        const afterSale = byId.get(item.refundId);
        const title = afterSale ? label(afterSale) : item.refundId;
        if (item.ok) {
          undoable.push({ refundId: item.refundId, undoUntil: item.result.undoUntil, label: title });
          rows.push({ refundId: item.refundId, title, status: 'ok', message: () => t('batch.queued') });
        } else {
          rows.push({
            refundId: item.refundId,
            title,
            status: 'failed',
            message: () =>
              item.error.reason === FREIGHT_IMAGES_REQUIRED ? t('freightRules.imagesRequired') : t(`errors.${item.error.code}`),
            detail: item.error.reason === FREIGHT_IMAGES_REQUIRED ? null : detailOf(item.error),
          });
        }
      }
      if (undoable.length > 0) desk.addUndoGroup(undoable);
      playSound(rows.some((r) => r.status === 'failed') ? 'error' : 'confirmed');
    } catch (error) {
      if (sessionGone(error)) return null;
      useNotices().push('error', () => errorText(t, error));
      playSound('error');
      return null;
    }
  }
  for (const id of skipped) {
    const afterSale = byId.get(id);
    rows.push({ refundId: id, title: afterSale ? label(afterSale) : id, status: 'skipped', message: () => t('batch.skippedInsurance') });
  }
  await openDialog(BatchResultDialog, { rows });
  return rows;
}
