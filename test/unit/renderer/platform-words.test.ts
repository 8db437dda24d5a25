// Messages come from typed codes in the operator's language; the platform's own text is only a secondary detail,
// and the desk's own history entries are worded by the renderer in whichever language is current.
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { DeskError } from '../../../src/common/contract';
import { errorDetail, errorText } from '../../../src/renderer/src/api/errors';
import { historyEventText } from '../../../src/renderer/src/queue/history-text';
import en from '../../../src/renderer/src/i18n/locales/en';
import zhCN from '../../../src/renderer/src/i18n/locales/zh-CN';

function translator(locale: 'zh-CN' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zhCN, en } });
  return (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);
}

const PLATFORM_WORDS = 'status 40: return waybill can not be modified';

describe('error wording', () => {
  it('a platform refusal is said in the operator language; the platform text is a separate detail', () => {
    const refusal = new DeskError('platform_rejected', PLATFORM_WORDS);
    const zh = errorText(translator('zh-CN'), refusal);
    expect(zh).toBe('快手平台拒绝了请求');
    expect(zh).not.toContain('status 40');
    expect(errorText(translator('en'), refusal)).toBe('Kuaishou refused the request');
    expect(errorDetail(refusal)).toBe(PLATFORM_WORDS);
    // Internal faults have nothing worth showing to the operator.
    expect(errorDetail(new DeskError('internal', 'TypeError: x is undefined'))).toBeNull();
    expect(errorDetail(new Error('boom'))).toBeNull();
  });

  it('no error message of either language splices in a raw message', () => {
    for (const locale of [zhCN, en]) {
      for (const [code, text] of Object.entries(locale.errors)) expect(text, code).not.toContain('{message}');
    }
  });
});

describe('history entries of the desk', () => {
  const waybill = { kind: 'waybill_pending', expressCode: 4, courierName: null, expressNo: 'SF1234567890123' } as const;
  const refused = { kind: 'refused', reason: 'status', platformText: '当前售后状态不允许该操作' } as const;

  it('are worded in the current language from the typed event', () => {
    const zh = translator('zh-CN');
    const english = translator('en');
    expect(historyEventText(zh, waybill)).toBe('商家代买家填写退货物流：顺丰速运 SF1234567890123（待上传）');
    expect(historyEventText(english, waybill)).toBe(
      "Merchant entered the buyer's return waybill: 顺丰速运 SF1234567890123 (waiting to upload)",
    );
    expect(historyEventText(english, { kind: 'confirm_pending' })).toBe('Merchant confirmed receipt (waiting to send)');
    expect(historyEventText(english, refused)).toBe('Kuaishou refused a desk action: the status no longer allows confirming receipt');
    expect(historyEventText(zh, refused)).not.toContain(refused.platformText);
    // Another desk had it first: the warehouse, not Kuaishou, kept this one back.
    expect(historyEventText(english, { ...refused, reason: 'other_desk' })).toBe(
      'Not sent: another desk of the warehouse had already queued or done the same action',
    );
  });
});
