// The inspection flows of the desk: record a result (with a note for "other"), refuse with evidence, confirm an
// exchange and send the replacement, and the failed-inspection warning before a confirm refunds the buyer.
import type { AfterSale } from '../../../common/contract/after-sales';
import type { InspectionResult } from '../../../common/contract/inspection';
import type { MethodOutput } from '../api/client';
import { deskApi } from '../api';
import { errorText, sessionGone } from '../api/errors';
import { i18n } from '../i18n';
import { openDialog, withFlow } from '../ui/dialogs';
import { useNotices } from '../ui/notices';
import { playSound } from '../sound/player';
import NoteDialog from './NoteDialog.vue';
import RefuseDialog from './RefuseDialog.vue';
import ExchangeDialog from './ExchangeDialog.vue';
import InspectionWarningDialog from './InspectionWarningDialog.vue';
import { announceDecision } from './decisions';

const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);

function fail(error: unknown): null {
  if (!sessionGone(error)) {
    playSound('error');
    useNotices().push('error', () => errorText(t, error));
  }
  return null;
}

export function recordInspection(
  afterSale: AfterSale,
  result: InspectionResult,
  scanId: string | undefined,
): Promise<MethodOutput<'inspection.record'> | null> {
  return withFlow(async () => {
    let note: string | undefined;
    if (result === 'other') {
      const written = await openDialog<string>(NoteDialog, { title: t('inspection.notePrompt') });
      if (!written) return null;
      note = written;
    }
    try {
      const recorded = await deskApi.call('inspection.record', {
        refundId: afterSale.refundId,
        result,
        ...(note ? { note } : {}),
        ...(scanId ? { scanId } : {}),
      });
      useNotices().push(result === 'passed' ? 'success' : 'warning', () =>
        t('inspection.recorded', { result: t(`inspection.result.${result}`) }),
      );
      return recorded;
    } catch (error) {
      return fail(error);
    }
  });
}

export function refuseReceipt(afterSale: AfterSale, scanId: string | undefined): Promise<MethodOutput<'refusals.submit'> | null> {
  return withFlow(async () => {
    const done = await openDialog<MethodOutput<'refusals.submit'>>(RefuseDialog, { afterSale, ...(scanId ? { scanId } : {}) });
    if (done) {
      announceDecision(afterSale.refundId, 'refuse');
      playSound('confirmed');
      useNotices().push('success', () => t('inspection.refused'));
    }
    return done;
  });
}

export function confirmExchange(
  afterSale: AfterSale,
  scanId: string | undefined,
): Promise<MethodOutput<'exchanges.confirmAndSend'> | null> {
  return withFlow(async () => {
    const done = await openDialog<MethodOutput<'exchanges.confirmAndSend'>>(ExchangeDialog, { afterSale, ...(scanId ? { scanId } : {}) });
    if (done) {
      announceDecision(afterSale.refundId, 'exchange');
      playSound('confirmed');
      useNotices().push('success', () => t('inspection.exchangeQueued', { number: done.expressNo }));
    }
    return done;
  });
}

/** The core said the parcel failed inspection: 'anyway' confirms and refunds, 'refuse' goes to the refusal. */
export function askInspectionWarning(afterSale: AfterSale, result: string): Promise<'anyway' | 'refuse' | null> {
  return openDialog<'anyway' | 'refuse'>(InspectionWarningDialog, { afterSale, result });
}
