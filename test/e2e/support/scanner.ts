// Drives the desk like a person with a keyboard-wedge scanner: fast bursts of physical keys (Shift for capitals)
// and Enter, an IME-style burst through the DevTools protocol, and screenshots of each screen in both languages
// (each also checked by axe-core).
import path from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { axeFindings, describeFindings } from './axe';
import { setLocale } from './locale';

export { setLocale };

/** A temporary folder in a test run; docs/screenshots only under `npm run screenshots` (see global-setup.ts). */
export const SCREENSHOT_DIR = inject('screenshotDir');

/**
 * A scanner burst: trusted key events for every character (capitals with Shift, as a scanner sends them), then the
 * suffix, pipelined through the DevTools protocol so they arrive a few ms apart the way a scanner types.
 */
export async function scanBurst(page: Page, code: string, options: { suffix?: 'Enter' | 'Tab' | null } = {}): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const sends: Promise<unknown>[] = [];
  for (const char of code) {
    const shift = /[A-Z]/.test(char);
    const vk = char === '/' ? 191 : char.toUpperCase().charCodeAt(0);
    const key = { key: char, code: codeOf(char), windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk, modifiers: shift ? 8 : 0 };
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', text: char, unmodifiedText: char.toLowerCase(), ...key }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key }));
  }
  const suffix = options.suffix === undefined ? 'Enter' : options.suffix;
  if (suffix) {
    const vk = suffix === 'Enter' ? 13 : 9;
    const key = { key: suffix, code: suffix, windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk };
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...(suffix === 'Enter' ? { text: '\r' } : {}), ...key }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key }));
  }
  await Promise.all(sends);
  await cdp.detach();
}

function codeOf(char: string): string {
  if (/[A-Z]/i.test(char)) return `Key${char.toUpperCase()}`;
  if (/[0-9]/.test(char)) return `Digit${char}`;
  if (char === '/') return 'Slash';
  throw new Error(`no key for ${char}`);
}

/**
 * A burst typed while a Chinese IME composes: each key arrives as keyCode 229 ("Process") and the IME shows its own
 * candidate text in the field. The desk must rebuild the code from the physical keys and leave the field clean.
 */
export async function imeBurst(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  let composing = '';
  for (const char of code) {
    const shift = /[A-Z]/.test(char);
    const key = { code: codeOf(char), key: 'Process', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, modifiers: shift ? 8 : 0 };
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...key });
    if (/[A-Z]/i.test(char)) {
      // The IME turns letters into pinyin in the field; digits would pick candidates (key events only here).
      composing += char.toLowerCase();
      void cdp.send('Input.imeSetComposition', { text: composing, selectionStart: composing.length, selectionEnd: composing.length });
    }
    void cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
  }
  await cdp.send('Input.dispatchKeyEvent', {
    type: 'rawKeyDown',
    code: 'Enter',
    key: 'Enter',
    windowsVirtualKeyCode: 13,
    nativeVirtualKeyCode: 13,
  });
  await cdp.send('Input.dispatchKeyEvent', {
    type: 'keyUp',
    code: 'Enter',
    key: 'Enter',
    windowsVirtualKeyCode: 13,
    nativeVirtualKeyCode: 13,
  });
  await cdp.detach();
}

/**
 * Screenshots the current screen in Chinese and English (<SCREENSHOT_DIR>/<name>.<locale>.png) and checks each with
 * axe-core on the way (support/axe.ts): every screen worth a picture is a screen that must be accessible.
 */
export async function shoot(page: Page, name: string): Promise<void> {
  const failures: string[] = [];
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLocale(page, locale);
    await page.waitForTimeout(120);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.${locale}.png`) });
    const findings = await axeFindings(page);
    if (findings.length > 0) failures.push(describeFindings(name, locale, findings));
  }
  await setLocale(page, 'zh-CN');
  if (failures.length > 0) throw new Error(failures.join('\n'));
}
