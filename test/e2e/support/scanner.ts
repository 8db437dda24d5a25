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
 * How far ahead a burst is dated: BURST_LEAD_MS, and BURST_LEAD_PER_KEY_MS more for each key. On a loaded machine the
 * keys reach the page tens of milliseconds apart whatever their stamps say, and the desk's quiet timer (60 ms without
 * a key ends a sequence, by the page's clock) would cut a burst between two keys still on their way; dated ahead, no
 * key is overdue until the whole burst has had time to arrive (a 300-key burst took 3 s on a machine at load 11).
 */
const BURST_LEAD_MS = 300;
const BURST_LEAD_PER_KEY_MS = 15;

/** The parameters of Input.dispatchKeyEvent a burst uses (the DevTools protocol's types are not exported). */
interface KeyEvent {
  type: 'keyDown' | 'rawKeyDown' | 'keyUp';
  key: string;
  code: string;
  windowsVirtualKeyCode: number;
  nativeVirtualKeyCode: number;
  modifiers?: number;
  text?: string;
  unmodifiedText?: string;
}
/** One command of a burst: a key event of key number `key` (a key-up with `up`), or an IME update between them. */
type BurstCommand =
  | { method: 'Input.dispatchKeyEvent'; params: KeyEvent; key: number; up?: boolean }
  | { method: 'Input.imeSetComposition'; params: { text: string; selectionStart: number; selectionEnd: number } };

/**
 * Sends a burst's commands in one go, each key stamped with its own time (`timestamp`, which the page sees as the
 * KeyboardEvent's timeStamp, the clock the desk's capture times keys by): BURST_KEY_GAP_MS apart, dated ahead (see
 * BURST_LEAD_MS). Without the stamps a key's time is when the browser got round to it, and a loaded machine
 * stretches a burst into "typing" at random. Returns once the last stamp has passed, so a key pressed next is later.
 * A key's key-up follows 1 ms after its key-down; an IME update goes unstamped, in its place in the stream.
 */
async function sendBurst(page: Page, commands: BurstCommand[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const keys = commands.filter((c) => c.method === 'Input.dispatchKeyEvent').length / 2;
  const start = Date.now() + BURST_LEAD_MS + keys * BURST_LEAD_PER_KEY_MS;
  const stampOf = (key: number, up = false) => start + key * BURST_KEY_GAP_MS + (up ? 1 : 0);
  const last = Math.max(start, ...commands.map((c) => (c.method === 'Input.dispatchKeyEvent' ? stampOf(c.key, c.up) : start)));
  try {
    await Promise.all(
      commands.map((c) =>
        c.method === 'Input.dispatchKeyEvent'
          ? cdp.send(c.method, { ...c.params, timestamp: stampOf(c.key, c.up) / 1000 })
          : cdp.send(c.method, c.params),
      ),
    );
  } finally {
    await cdp.detach();
  }
  const ahead = last + 1 - Date.now();
  if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
}

/** A key's key-down (`keyDown` with its text, or `rawKeyDown` for an IME key) and key-up. */
function keyCommands(
  index: number,
  key: Omit<KeyEvent, 'type'>,
  down: Pick<KeyEvent, 'text' | 'unmodifiedText'> & { type: 'keyDown' | 'rawKeyDown' },
): BurstCommand[] {
  return [
    { method: 'Input.dispatchKeyEvent', params: { ...key, ...down }, key: index },
    { method: 'Input.dispatchKeyEvent', params: { ...key, type: 'keyUp' }, key: index, up: true },
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
    return keyCommands(index, key, { type: 'keyDown', text: char, unmodifiedText: char.toLowerCase() });
  });
  const suffix = options.suffix === undefined ? 'Enter' : options.suffix;
  if (suffix) {
    const vk = suffix === 'Enter' ? 13 : 9;
    const key = { key: suffix, code: suffix, windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk };
    commands.push(...keyCommands(code.length, key, { type: 'keyDown', ...(suffix === 'Enter' ? { text: '\r' } : {}) }));
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
  const commands = [...code].flatMap((char, index): BurstCommand[] => {
    const shift = /[A-Z]/.test(char);
    const key = { code: codeOf(char), key: 'Process', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, modifiers: shift ? 8 : 0 };
    const [down, up] = keyCommands(index, key, { type: 'rawKeyDown' });
    if (!/[A-Z]/i.test(char)) return [down!, up!]; // digits would pick candidates: key events only
    // The IME turns letters into pinyin in the field.
    composing += char.toLowerCase();
    const text = composing;
    const update: BurstCommand = {
      method: 'Input.imeSetComposition',
      params: { text, selectionStart: text.length, selectionEnd: text.length },
    };
    return [down!, update, up!];
  });
  const enter = { code: 'Enter', key: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
  commands.push(...keyCommands(code.length, enter, { type: 'rawKeyDown' }));
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
