// The DOM side of scanner capture on a tiny fake page: where held keys go once typing is known, and the order of
// "put the field back" and "hand the scan on" after an IME-composed burst.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyDesc } from '../../../src/renderer/src/scanner/capture';

/** Just enough of an <input> for capture.ts: value, selection, focus, input events. */
class FakeInput extends EventTarget {
  type = 'text';
  readOnly = false;
  disabled = false;
  value = '';
  selectionStart: number | null = null;
  selectionEnd: number | null = null;
  constructor(private readonly page: FakePage) {
    super();
  }
  focus(): void {
    this.page.document.activeElement = this;
  }
  blur(): void {
    if (this.page.document.activeElement === this) this.page.document.activeElement = null;
  }
  setRangeText(text: string, start: number, end: number): void {
    this.value = this.value.slice(0, start) + text + this.value.slice(end);
    this.selectionStart = this.selectionEnd = start + text.length;
  }
}

type Listener = (event: FakeKey) => void;

class FakePage {
  now = 0;
  readonly document: { activeElement: FakeInput | null } = { activeElement: null };
  readonly performance = { now: () => this.now };
  private readonly listeners = new Map<string, Listener[]>();
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.set(
      type,
      (this.listeners.get(type) ?? []).filter((l) => l !== listener),
    );
  }
  /**
   * A keydown handled at `time`; a key nobody swallowed types into the focused field, as the browser would. `stamp`:
   * the event's own timeStamp when it reaches the page later than it happened (a busy machine), else `time`.
   */
  press(code: string, char: string, time: number, composing = false, stamp = time): FakeKey {
    vi.advanceTimersByTime(Math.max(0, time - this.now));
    this.now = time;
    const event = new FakeKey(code, char, stamp, composing);
    for (const listener of this.listeners.get('keydown') ?? []) listener(event);
    const field = this.document.activeElement;
    if (!event.defaultPrevented && !composing && field && char.length === 1)
      field.setRangeText(char, field.value.length, field.value.length);
    for (const listener of this.listeners.get('keyup') ?? []) listener(event);
    return event;
  }
  settle(ms: number): void {
    this.now += ms;
    vi.advanceTimersByTime(ms);
  }
}

class FakeKey {
  defaultPrevented = false;
  readonly shiftKey = false;
  readonly ctrlKey = false;
  readonly altKey = false;
  readonly metaKey = false;
  readonly keyCode: number;
  readonly isComposing: boolean;
  constructor(
    readonly code: string,
    readonly key: string,
    readonly timeStamp: number,
    composing: boolean,
  ) {
    this.keyCode = composing ? 229 : 0;
    this.isComposing = composing;
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
  stopImmediatePropagation(): void {}
}

const codeOf = (char: string) => (/[0-9]/.test(char) ? `Digit${char}` : `Key${char.toUpperCase()}`);

let installScanCapture: typeof import('../../../src/renderer/src/scanner/capture').installScanCapture;

beforeAll(async () => {
  Object.assign(globalThis, { HTMLInputElement: FakeInput, HTMLTextAreaElement: class {} });
  ({ installScanCapture } = await import('../../../src/renderer/src/scanner/capture'));
});

describe('scanner capture on the page', () => {
  let page: FakePage;
  let stop: () => void = () => undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    page = new FakePage();
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });
  /** Capture on the page, writing down the scans and the keys released as typing. */
  const capture = () => {
    const scans: string[] = [];
    const released: string[] = [];
    stop = installScanCapture(page as unknown as Window, {
      onScan: (text) => scans.push(text),
      onReleasedKey: (key) => released.push(key.key),
    });
    return { scans, released };
  };

  it('a key typed right after `/` lands in the search field the `/` focused, not in the shortcut layer', () => {
    const search = new FakeInput(page);
    const shortcuts: string[] = [];
    const onReleasedKey = (key: KeyDesc) => {
      shortcuts.push(key.key);
      if (key.key === '/') search.focus();
    };
    stop = installScanCapture(page as unknown as Window, { onScan: () => undefined, onReleasedKey });
    page.press('Slash', '/', 1000);
    page.press('Digit2', '2', 1030); // within the burst gap: held behind the `/`
    page.press('Digit1', '1', 1200);
    page.press('Digit5', '5', 1400);
    page.press('Digit0', '0', 1600);
    page.settle(500);
    expect(shortcuts).toEqual(['/']);
    expect(search.value).toBe('2150');
  });

  it('an IME-composed burst into a dialog field ends with the scan in the field, not the text from before it', () => {
    const number = new FakeInput(page);
    number.value = 'old';
    number.focus();
    const scans: { text: string; fieldAtScan: string }[] = [];
    stop = installScanCapture(page as unknown as Window, {
      // What the waybill dialog does: write the scan into its number field (v-model), then move focus on.
      onScan: (text) => {
        scans.push({ text, fieldAtScan: number.value });
        number.value = text;
        number.blur();
      },
      onReleasedKey: () => undefined,
    });
    let time = 5000;
    for (const char of 'SF1234567890') {
      page.press(codeOf(char), 'Process', time, true);
      if (/[A-Z]/i.test(char)) number.value += char.toLowerCase(); // the IME's pinyin in the field
      time += 4;
    }
    page.press('Enter', 'Enter', time + 4);
    page.settle(100);
    expect(scans).toEqual([{ text: 'sf1234567890', fieldAtScan: 'old' }]);
    expect(number.value).toBe('sf1234567890');
  });

  it('a burst whose keys reach a busy page late is still one scan: the quiet time counts from when a key was handled', () => {
    const { scans, released } = capture();
    // Typed 4 ms apart by the scanner, handed to the page 70 ms late and 30 ms apart (the browser was busy).
    const code = 'YT1234567890123';
    [...code].forEach((char, i) => page.press(codeOf(char), char, 2070 + 30 * i, false, 2000 + 4 * i));
    page.settle(79);
    expect(scans).toEqual([]); // not yet quiet for 80 ms since the last key was handled
    page.settle(2);
    expect(scans).toEqual(['yt1234567890123']);
    expect(released).toEqual([]);
  });

  it('typing stays typing when its keys reach the page late', () => {
    const { scans, released } = capture();
    // Typed 150 ms apart, handed on in a clump 5 ms apart once the page was free again.
    [...'abc123'].forEach((char, i) => page.press(codeOf(char), char, 3000 + 5 * i, false, 2000 + 150 * i));
    page.press('Enter', 'Enter', 3040, false, 2900);
    page.settle(200);
    expect(scans).toEqual([]);
    expect(released.join('')).toBe('abc123');
  });
});
