// vue-i18n set-up: Simplified Chinese by default, English complete, the choice remembered per machine.
import { createI18n } from 'vue-i18n';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const LOCALE_KEY = 'returndesk.locale';

export function initialLocale(storage: Pick<Storage, 'getItem'>): Locale {
  const saved = storage.getItem(LOCALE_KEY);
  return (LOCALES as readonly string[]).includes(saved ?? '') ? (saved as Locale) : 'zh-CN';
}

export function rememberLocale(storage: Pick<Storage, 'setItem'>, locale: Locale): void {
  storage.setItem(LOCALE_KEY, locale);
}

const dateTimes = {
  short: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
} as const;

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(window.localStorage),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  datetimeFormats: { 'zh-CN': dateTimes, en: dateTimes },
});
