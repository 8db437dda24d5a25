// Tells scanner bursts from typing by key timing, with no DOM: the capture module feeds it keys and acts on its answers.
import { MODIFIER_CODES, SUFFIX_CODES, charForCode } from './keys';

export interface KeyInput {
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** keyCode 229 / isComposing: the IME owns the key; we still rebuild it from `code` and still time it. */
  composing: boolean;
  /** Event time in ms (KeyboardEvent.timeStamp). */
  time: number;
  /** The layout's own character (KeyboardEvent.key), kept for keys released as shortcuts; never used for scans. */
  key?: string;
}

export interface BurstOptions {
  /** Longest average gap between keys of a scanner burst. */
  maxAvgGapMs: number;
  /** A single gap longer than this ends a sequence. */
  maxGapMs: number;
  /** Fewest characters a burst needs. */
  minLength: number;
  /** Silence after the last key that ends a burst from a scanner without a suffix. */
  quietMs: number;
}

export const DEFAULT_BURST_OPTIONS: BurstOptions = { maxAvgGapMs: 30, maxGapMs: 60, minLength: 6, quietMs: 80 };

export interface HeldKey {
  char: string;
  input: KeyInput;
  /** The key went to the page natively (the first key of a sequence typed into a field). */
  passed: boolean;
}

export type BurstEvent =
  | {
      type: 'scan';
      text: string;
      suffix: 'enter' | 'tab' | 'none';
      avgGapMs: number;
      /** The first key reached a focused field natively: the field must be put back as it was. */
      firstKeyPassed: boolean;
      composed: boolean;
    }
  /** Keys held back in case they were a burst, now known to be typing: deliver them in order. */
  | { type: 'release'; keys: HeldKey[] };

export interface FeedResult {
  /** 'swallow': preventDefault + stopPropagation; 'pass': let the page have the key. */
  action: 'pass' | 'swallow';
  events: BurstEvent[];
  /** When to call flush() next (ms, same clock as KeyInput.time), or null. */
  wakeAt: number | null;
}

export class BurstDetector {
  private keys: HeldKey[] = [];

  constructor(private readonly options: BurstOptions = DEFAULT_BURST_OPTIONS) {}

  /** True while keys are buffered (a possible burst is in progress). */
  get pending(): boolean {
    return this.keys.length > 0;
  }

  /** One keydown. `editable`: a text field has focus, so the first key of a sequence may go to it natively. */
  feed(input: KeyInput, editable: boolean): FeedResult {
    if (MODIFIER_CODES.has(input.code)) return { action: 'pass', events: [], wakeAt: this.wakeAt() };
    const events: BurstEvent[] = [];
    if (input.ctrlKey || input.altKey || input.metaKey) {
      events.push(...this.end(false));
      return { action: 'pass', events, wakeAt: null };
    }
    const suffix = SUFFIX_CODES[input.code];
    if (suffix) {
      const last = this.keys.at(-1);
      if (last && input.time - last.input.time <= this.options.maxGapMs * 2 && this.qualifies()) {
        events.push(this.scan(suffix));
        return { action: 'swallow', events, wakeAt: null };
      }
      events.push(...this.end(false));
      return { action: 'pass', events, wakeAt: null };
    }
    const char = charForCode(input.code, input.shiftKey);
    if (char === null) {
      events.push(...this.end(false));
      return { action: 'pass', events, wakeAt: null };
    }
    const last = this.keys.at(-1);
    if (last && input.time - last.input.time > this.options.maxGapMs) events.push(...this.end(true));
    // A sequence already slower than any scanner is typing: hand back what was held, start afresh with this key.
    if (this.keys.length >= 2 && this.averageGap([...this.keys.map((k) => k.input), input]) > this.options.maxAvgGapMs * 1.5) {
      events.push(...this.end(false));
    }
    const first = this.keys.length === 0;
    const passed = first && editable && !input.composing;
    this.keys.push({ char, input, passed });
    return { action: passed ? 'pass' : 'swallow', events, wakeAt: this.wakeAt() };
  }

  /** Called at (or after) wakeAt: ends a suffix-less burst after the quiet time, or releases typed keys. */
  flush(now: number): { events: BurstEvent[]; wakeAt: number | null } {
    const last = this.keys.at(-1);
    if (!last) return { events: [], wakeAt: null };
    const idle = now - last.input.time;
    if (this.qualifies() ? idle >= this.options.quietMs : idle >= this.options.maxGapMs) return { events: this.end(true), wakeAt: null };
    return { events: [], wakeAt: this.wakeAt() };
  }

  private wakeAt(): number | null {
    const last = this.keys.at(-1);
    if (!last) return null;
    return last.input.time + (this.qualifies() ? this.options.quietMs : this.options.maxGapMs);
  }

  private averageGap(inputs: KeyInput[]): number {
    if (inputs.length < 2) return 0;
    return (inputs[inputs.length - 1]!.time - inputs[0]!.time) / (inputs.length - 1);
  }

  private qualifies(): boolean {
    return this.keys.length >= this.options.minLength && this.averageGap(this.keys.map((k) => k.input)) <= this.options.maxAvgGapMs;
  }

  private scan(suffix: 'enter' | 'tab' | 'none'): BurstEvent {
    const event: BurstEvent = {
      type: 'scan',
      text: this.keys.map((k) => k.char).join(''),
      suffix,
      avgGapMs: this.averageGap(this.keys.map((k) => k.input)),
      firstKeyPassed: this.keys[0]?.passed ?? false,
      composed: this.keys.some((k) => k.input.composing),
    };
    this.keys = [];
    return event;
  }

  /** Ends the current sequence: a scan if it qualifies (and `allowScan`), else a release of the held keys. */
  private end(allowScan: boolean): BurstEvent[] {
    if (this.keys.length === 0) return [];
    if (allowScan && this.qualifies()) return [this.scan('none')];
    const held = this.keys.filter((k) => !k.passed);
    this.keys = [];
    return held.length > 0 ? [{ type: 'release', keys: held }] : [];
  }
}
