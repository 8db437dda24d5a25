// A back-office panel's inline error is kept as what failed and worded when shown: switching the language re-words
// an error already on screen (it used to be stored as the words of the language it happened in).
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { DeskError } from '../../../src/common/contract/errors';
import { panelError } from '../../../src/renderer/src/backoffice/panel-error';
import en from '../../../src/renderer/src/i18n/locales/en';
import zhCN from '../../../src/renderer/src/i18n/locales/zh-CN';

function i18n() {
  return createI18n({ legacy: false, locale: 'zh-CN', fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en } }).global;
}

describe('panel errors', () => {
  it('re-word a failure on a language switch', () => {
    const g = i18n();
    const error = panelError(g.t as (key: string, params?: Record<string, unknown>) => string);
    expect(error.text.value).toBeNull();
    error.fail(new DeskError('not_found', 'No shop with this id'));
    expect(error.text.value).toBe(zhCN.errors.not_found);
    g.locale.value = 'en';
    expect(error.text.value).toBe(en.errors.not_found);
    expect(error.text.value).not.toBe(zhCN.errors.not_found);
  });

  it('re-word a message of the panel’s own, with its parameters, and clear', () => {
    const g = i18n();
    const error = panelError(g.t as (key: string, params?: Record<string, unknown>) => string);
    error.say('shopSync.badInterval', { min: 10, max: 3600 });
    expect(error.text.value).toBe('同步间隔须为 10–3600 秒');
    g.locale.value = 'en';
    expect(error.text.value).toBe('The sync interval must be 10–3600 seconds');
    error.clear();
    expect(error.text.value).toBeNull();
  });
});
