// The desk's own negotiation-history entries in words: typed events from the core, worded at display time.
import type { LocalHistoryEvent } from '../../../common/contract/after-sales';
import { courierByCode } from '../../../common/couriers';

type Translate = (key: string, params?: Record<string, unknown>) => string;

export function historyEventText(t: Translate, event: LocalHistoryEvent): string {
  if (event.kind === 'waybill_pending') {
    const courier = event.courierName ?? courierByCode(event.expressCode)?.name ?? `#${event.expressCode}`;
    return t('wording.historyEvent.waybill_pending', { courier, expressNo: event.expressNo });
  }
  if (event.kind === 'confirm_pending') return t('wording.historyEvent.confirm_pending');
  // Not a refusal by Kuaishou: the warehouse kept a second desk from doing the same action.
  if (event.reason === 'other_desk') return t('wording.historyEvent.other_desk');
  return t('wording.historyEvent.refused', { reason: t(`wording.refusedShort.${event.reason}`) });
}
