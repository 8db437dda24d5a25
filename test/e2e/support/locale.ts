// Switches the running app's language without a reload, through the app's own vue-i18n instance.
import type { Page } from 'playwright-core';

export async function setLocale(page: Page, locale: 'zh-CN' | 'en'): Promise<void> {
  await page.evaluate((value) => {
    const root = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('#app') as {
      __vue_app__: { config: { globalProperties: { $i18n: { locale: string } } } };
    };
    root.__vue_app__.config.globalProperties.$i18n.locale = value;
  }, locale);
}
