// Drives the desk like a person with a keyboard-wedge scanner: bursts of physical keys (Shift for capitals) and Enter
// at a scanner's pace, an IME-style burst through the DevTools protocol, and screenshots of each screen in both languages
// (each also checked by axe-core).
import path from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { axeFindings, describeFindings } from './axe';
import { setLocale } from './locale';

export { setLocale };

/** A temporary folder in a test run; docs/screenshots only under `npm run screenshots` (see global-setup.ts). */
export const SCREENSHOT_DIR = inject('screenshotDir');

/** Milliseconds between two keys of a burst: a keyboard-wedge scanner's pace, well inside the desk's 30 ms average. */
export const BURST_KEY_GAP_MS = 4;
/**
 * How far ahead a burst is dated. On a loaded machine the keys reach the page tens of milliseconds apart whatever
 * their stamps say, and the desk's quiet timer (60 ms without a key ends a sequence, by the page's clock) would cut a
 * burst between two keys still on their way; dated ahead, no key of the burst is overdue until this lead has passed.
 */
const BURST_LEAD_MS = 300;

type CdpCommand = { method: 'Input.dispatchKeyEvent' | 'Input.imeSetComposition'; params: Record<string, unknown> };

/**
 * Sends a burst's commands in one go, each key stamped with its own time (`timestamp`, which the page sees as the
 * KeyboardEvent's timeStamp, the clock the desk's capture times keys by): BURST_KEY_GAP_MS apart, starting
 * BURST_LEAD_MS ahead. Without the stamps a key's time is when the browser got round to it, and a loaded machine
 * stretches a burst into "typing" at random. Returns once the last stamp has passed, so a key pressed next is later.
 * `key`: which key of the burst a key event belongs to (its key-up follows 1 ms after its key-down); a command without
 * it (an IME update) goes unstamped, in its place in the stream.
 */
async function sendBurst(page: Page, commands: (CdpCommand & { key?: number; up?: boolean })[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const start = Date.now() + BURST_LEAD_MS;
  const stampOf = (key: number, up: boolean) => start + key * BURST_KEY_GAP_MS + (up ? 1 : 0);
  const last = Math.max(...commands.map(({ key, up }) => (key === undefined ? start : stampOf(key, up === true))));
  try {
    await Promise.all(
      commands.map(({ method, params, key, up }) =>
        cdp.send(method, key === undefined ? params : { ...params, timestamp: stampOf(key, up === true) / 1000 }),
      ),
    );
  } finally {
    await cdp.detach();
  }
  const ahead = last + 1 - Date.now();
  if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
}

function keyCommands(index: number, params: Record<string, unknown>, downType: 'keyDown' | 'rawKeyDown', downExtra = {}) {
  return [
    { method: 'Input.dispatchKeyEvent' as const, params: { type: downType, ...downExtra, ...params }, key: index },
    { method: 'Input.dispatchKeyEvent' as const, params: { type: 'keyUp', ...params }, key: index, up: true },
  ];
}

/**
 * A scanner burst: trusted key events for every character (capitals with Shift, as a scanner sends them), then the
 * suffix, at a scanner's pace (see sendBurst).
 */
export async function scanBurst(page: Page, code: string, options: { suffix?: 'Enter' | 'Tab' | null } = {}): Promise<void> {
  const commands = [...code].flatMap((char, index) => {
    const shift = /[A-Z]/.test(char);
    const vk = char === '/' ? 191 : char.toUpperCase().charCodeAt(0);
    const key = { key: char, code: codeOf(char), windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk, modifiers: shift ? 8 : 0 };
    return keyCommands(index, key, 'keyDown', { text: char, unmodifiedText: char.toLowerCase() });
  });
  const suffix = options.suffix === undefined ? 'Enter' : options.suffix;
  if (suffix) {
    const vk = suffix === 'Enter' ? 13 : 9;
    const key = { key: suffix, code: suffix, windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk };
    commands.push(...keyCommands(code.length, key, 'keyDown', suffix === 'Enter' ? { text: '\r' } : {}));
  }
  await sendBurst(page, commands);
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
 * The composition updates go in the same ordered stream as the keys, right after the key that made them.
 */
export async function imeBurst(page: Page, code: string): Promise<void> {
  let composing = '';
  const commands = [...code].flatMap((char, index) => {
    const shift = /[A-Z]/.test(char);
    const key = { code: codeOf(char), key: 'Process', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, modifiers: shift ? 8 : 0 };
    const [down, up] = keyCommands(index, key, 'rawKeyDown');
    if (!/[A-Z]/i.test(char)) return [down!, up!]; // digits would pick candidates: key events only
    // The IME turns letters into pinyin in the field.
    composing += char.toLowerCase();
    const text = composing;
    const update = { method: 'Input.imeSetComposition' as const, params: { text, selectionStart: text.length, selectionEnd: text.length } };
    return [down!, update, up!];
  });
  const enter = { code: 'Enter', key: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
  commands.push(...keyCommands(code.length, enter, 'rawKeyDown'));
  await sendBurst(page, commands);
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
