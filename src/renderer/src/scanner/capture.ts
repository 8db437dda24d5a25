// The DOM side of scanner capture: one keydown listener on window in the capture phase, so it sees every key
// first whatever has focus (dialogs included); BurstDetector decides, this module acts on the page.
import { BurstDetector, DEFAULT_BURST_OPTIONS, type BurstEvent, type BurstOptions, type HeldKey } from './burst';

/** A key as the app's shortcut layer sees it, whether it came from the page or was released by the detector. */
export interface KeyDesc {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** A text field had focus. */
  editable: boolean;
  preventDefault(): void;
}

export interface ScanCaptureHooks {
  onScan(text: string, info: { suffix: 'enter' | 'tab' | 'none'; composed: boolean; avgGapMs: number }): void;
  /** Keys held back and then known to be typing while no field had focus: app shortcuts get them late. */
  onReleasedKey(key: KeyDesc): void;
}

type TextField = HTMLInputElement | HTMLTextAreaElement;

export function isTextField(element: Element | null): element is TextField {
  if (element instanceof HTMLTextAreaElement) return !element.readOnly && !element.disabled;
  if (!(element instanceof HTMLInputElement)) return false;
  return (
    !element.readOnly && !element.disabled && ['text', 'search', 'password', 'tel', 'number', 'email', 'url', ''].includes(element.type)
  );
}

function setFieldValue(field: TextField, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

function insertIntoField(field: TextField, text: string): void {
  try {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.setRangeText(text, start, end, 'end');
  } catch {
    // number inputs have no selection API
    field.value += text;
  }
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * `active()`: whether scans are captured at all; the desk turns capture off while nobody is signed in, so the
 * sign-in form (and a quickly typed PIN) is plain typing. A focused password field is never captured either.
 */
export function installScanCapture(
  target: Window,
  hooks: ScanCaptureHooks,
  active: () => boolean = () => true,
  options: BurstOptions = DEFAULT_BURST_OPTIONS,
): () => void {
  const detector = new BurstDetector(options);
  let snapshot: { field: TextField; value: string } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const swallowedKeyups = new Set<string>();
  /**
   * How late the last key reached this page (handled minus its own timeStamp). A busy machine hands keys on late,
   * some at once, some a while apart: the quiet time that ends a burst then counts from when the last key was handled,
   * not from when it was typed, or the timer would cut a burst between two keys that are already on their way.
   */
  let lateBy = 0;
  const keyClock = () => target.performance.now() - lateBy;

  const deliver = (events: BurstEvent[]) => {
    for (const event of events) {
      if (event.type === 'scan') {
        const saved = snapshot;
        snapshot = null;
        const info = { suffix: event.suffix, composed: event.composed, avgGapMs: event.avgGapMs };
        if (saved && event.composed && target.document.activeElement === saved.field) {
          // End the IME composition the burst started (blur commits it), put the field back as it was, and only then
          // hand the scan on: a dialog that writes the scan into this very field must not see it wiped afterwards.
          saved.field.blur();
          saved.field.focus();
          setFieldValue(saved.field, saved.value);
          setTimeout(() => {
            setFieldValue(saved.field, saved.value);
            hooks.onScan(event.text, info);
          }, 0);
          continue;
        }
        if (saved && (event.firstKeyPassed || event.composed)) setFieldValue(saved.field, saved.value);
        hooks.onScan(event.text, info);
      } else {
        release(event.keys);
        snapshot = null;
      }
    }
  };

  const release = (keys: HeldKey[]) => {
    for (const held of keys) {
      // Asked again for every key: a released key may move focus (`/` focuses the search box), and the keys held
      // behind it belong in that field, not to the shortcut layer.
      const focused = target.document.activeElement;
      const field = isTextField(focused) ? focused : null;
      if (field) {
        if (!held.input.composing) insertIntoField(field, held.char);
        continue;
      }
      hooks.onReleasedKey({
        key: held.input.key && held.input.key.length === 1 ? held.input.key : held.char,
        code: held.input.code,
        shiftKey: held.input.shiftKey,
        ctrlKey: false,
        altKey: false,
        metaKey: false,
        editable: false,
        preventDefault: () => undefined,
      });
    }
  };

  const schedule = (wakeAt: number | null) => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (wakeAt === null) return;
    timer = setTimeout(
      () => {
        timer = null;
        const result = detector.flush(keyClock());
        deliver(result.events);
        schedule(result.wakeAt);
      },
      Math.max(0, wakeAt - keyClock()) + 1,
    );
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const focused = target.document.activeElement;
    if (!detector.pending && (!active() || (focused instanceof HTMLInputElement && focused.type === 'password'))) return;
    const field = isTextField(focused) ? focused : null;
    if (!detector.pending) snapshot = field ? { field, value: field.value } : null;
    lateBy = Math.max(0, target.performance.now() - event.timeStamp);
    const result = detector.feed(
      {
        code: event.code,
        shiftKey: event.shiftKey,
        ctrlKey: event.ctrlKey,
        altKey: event.altKey,
        metaKey: event.metaKey,
        composing: event.isComposing || event.keyCode === 229,
        time: event.timeStamp,
        key: event.key,
      },
      field !== null,
    );
    if (result.action === 'swallow') {
      event.preventDefault();
      event.stopImmediatePropagation();
      swallowedKeyups.add(event.code);
    }
    deliver(result.events);
    schedule(result.wakeAt);
  };

  // A swallowed Space or Enter must not activate a focused button on keyup either.
  const onKeyUp = (event: KeyboardEvent) => {
    if (!swallowedKeyups.delete(event.code)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };

  target.addEventListener('keydown', onKeyDown, true);
  target.addEventListener('keyup', onKeyUp, true);
  return () => {
    target.removeEventListener('keydown', onKeyDown, true);
    target.removeEventListener('keyup', onKeyUp, true);
    if (timer) clearTimeout(timer);
  };
}
