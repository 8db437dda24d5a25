// Scanner capture logic: physical-key reconstruction, burst versus typing by timing, and scan routing.
import { describe, expect, it } from 'vitest';
import { BurstDetector, type BurstEvent, type KeyInput } from '../../../src/renderer/src/scanner/burst';
import { charForCode } from '../../../src/renderer/src/scanner/keys';
import { ScanRouter, type Scan, type ScanTarget } from '../../../src/renderer/src/scanner/router';

function codeOf(char: string): { code: string; shiftKey: boolean } {
  if (/[A-Z]/.test(char)) return { code: `Key${char}`, shiftKey: true };
  if (/[a-z]/.test(char)) return { code: `Key${char.toUpperCase()}`, shiftKey: false };
  if (/[0-9]/.test(char)) return { code: `Digit${char}`, shiftKey: false };
  if (char === '-') return { code: 'Minus', shiftKey: false };
  throw new Error(`no code for ${char}`);
}

function key(char: string, time: number, extra: Partial<KeyInput> = {}): KeyInput {
  return { ...codeOf(char), ctrlKey: false, altKey: false, metaKey: false, composing: false, time, ...extra };
}

const enter = (time: number): KeyInput => ({
  code: 'Enter',
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  composing: false,
  time,
});

/** Feeds a string at a fixed gap; returns every event and the actions taken. */
function type(detector: BurstDetector, text: string, start: number, gap: number, editable = false, extra: Partial<KeyInput> = {}) {
  const events: BurstEvent[] = [];
  const actions: string[] = [];
  let time = start;
  for (const char of text) {
    const result = detector.feed(key(char, time, extra), editable);
    events.push(...result.events);
    actions.push(result.action);
    time += gap;
  }
  return { events, actions, end: time - gap };
}

describe('charForCode', () => {
  it('rebuilds characters from physical keys and Shift, immune to CapsLock', () => {
    expect(charForCode('KeyS', true)).toBe('S');
    expect(charForCode('KeyS', false)).toBe('s');
    expect(charForCode('Digit7', false)).toBe('7');
    expect(charForCode('Digit1', true)).toBe('!');
    expect(charForCode('Numpad4', false)).toBe('4');
    expect(charForCode('Minus', false)).toBe('-');
    expect(charForCode('Quote', true)).toBe('"');
    expect(charForCode('ArrowDown', false)).toBeNull();
    expect(charForCode('Escape', false)).toBeNull();
  });
});

describe('BurstDetector', () => {
  it('recognizes a fast burst ending in Enter and swallows its keys and the Enter', () => {
    const detector = new BurstDetector();
    const { events, actions, end } = type(detector, 'JT1234567890123', 1000, 5);
    expect(events).toEqual([]);
    expect(actions.every((a) => a === 'swallow')).toBe(true);
    const last = detector.feed(enter(end + 6), false);
    expect(last.action).toBe('swallow');
    expect(last.events).toEqual([
      expect.objectContaining({ type: 'scan', text: 'JT1234567890123', suffix: 'enter', firstKeyPassed: false }),
    ]);
  });

  it('lets the first key reach a focused field and asks for it to be undone when a burst follows', () => {
    const detector = new BurstDetector();
    const { actions, end } = type(detector, 'SF1234567890123', 0, 4, true);
    expect(actions[0]).toBe('pass');
    expect(actions.slice(1).every((a) => a === 'swallow')).toBe(true);
    const result = detector.feed(enter(end + 4), true);
    expect(result.events[0]).toMatchObject({ type: 'scan', firstKeyPassed: true });
  });

  it('ends a suffix-less burst after the quiet time', () => {
    const detector = new BurstDetector();
    const { end } = type(detector, '773012345678901', 0, 8);
    expect(detector.flush(end + 40).events).toEqual([]);
    const flushed = detector.flush(end + 90);
    expect(flushed.events).toEqual([expect.objectContaining({ type: 'scan', text: '773012345678901', suffix: 'none' })]);
  });

  it('treats human typing as typing: slow keys are released, Enter passes', () => {
    const detector = new BurstDetector();
    const { events } = type(detector, 'abcdefgh', 0, 120);
    const released = events.flatMap((e) => (e.type === 'release' ? e.keys.map((k) => k.char) : []));
    expect(released.join('')).toBe('abcdefg');
    expect(detector.flush(840 + 61).events).toEqual([expect.objectContaining({ type: 'release' })]);
    const result = detector.feed(enter(2000), false);
    expect(result.action).toBe('pass');
    expect(result.events).toEqual([]);
  });

  it('releases a short fast sequence (a shortcut key) instead of calling it a scan', () => {
    const detector = new BurstDetector();
    const first = detector.feed(key('w', 0), false);
    expect(first.action).toBe('swallow');
    expect(first.wakeAt).toBe(60);
    const flushed = detector.flush(61);
    expect(flushed.events).toEqual([{ type: 'release', keys: [expect.objectContaining({ char: 'w' })] }]);
  });

  it('refuses to call a fast but short sequence plus Enter a scan', () => {
    const detector = new BurstDetector();
    type(detector, '1234', 0, 5);
    const result = detector.feed(enter(20), false);
    expect(result.action).toBe('pass');
    expect(result.events[0]?.type).toBe('release');
  });

  it('rebuilds a burst typed during an IME composition from the physical keys, still timing them', () => {
    const detector = new BurstDetector();
    const { actions, end } = type(detector, 'YT1234567890123', 0, 6, true, { composing: true });
    expect(actions.every((a) => a === 'swallow')).toBe(true);
    const result = detector.feed(enter(end + 5), true);
    expect(result.events[0]).toMatchObject({ type: 'scan', text: 'YT1234567890123', composed: true });
  });

  it('ignores modifier keys and lets Ctrl shortcuts through', () => {
    const detector = new BurstDetector();
    const shift = detector.feed({ ...key('a', 0), code: 'ShiftLeft', shiftKey: true }, false);
    expect(shift.action).toBe('pass');
    expect(detector.pending).toBe(false);
    const ctrlZ = detector.feed(key('z', 10, { ctrlKey: true }), false);
    expect(ctrlZ.action).toBe('pass');
  });

  it('a long pause splits two sequences', () => {
    const detector = new BurstDetector();
    type(detector, 'DPK123456789012', 0, 5);
    const next = detector.feed(key('1', 500), false);
    expect(next.events).toEqual([expect.objectContaining({ type: 'scan', text: 'DPK123456789012', suffix: 'none' })]);
  });
});

describe('ScanRouter', () => {
  function setup() {
    const state = { signedIn: true, dialogs: [] as ScanTarget[] };
    const desk: string[] = [];
    const router = new ScanRouter(
      () => state,
      (scan) => void desk.push(scan.text),
    );
    return { state, desk, router };
  }
  const scan = (text: string): Scan => ({ text, source: 'scanner', at: 0 });

  it('sends a scan to the desk when no dialog is open', () => {
    const { router, desk } = setup();
    expect(router.route(scan('A1'))).toBe('desk');
    expect(desk).toEqual(['A1']);
  });

  it('gives the scan to a dialog that expects a waybill', () => {
    const { router, state, desk } = setup();
    const taken: string[] = [];
    state.dialogs.push({ takesScan: (s) => taken.push(s.text) });
    expect(router.route(scan('SF1'))).toBe('dialog');
    expect(taken).toEqual(['SF1']);
    expect(desk).toEqual([]);
  });

  it('holds scans while another dialog is open and hands them over in order after it closes', async () => {
    const { router, state, desk } = setup();
    state.dialogs.push({});
    expect(router.route(scan('A'))).toBe('held');
    expect(router.route(scan('B'))).toBe('held');
    expect(await router.drain()).toBe(0);
    state.dialogs.pop();
    expect(await router.drain()).toBe(2);
    expect(desk).toEqual(['A', 'B']);
    expect(router.heldCount).toBe(0);
  });

  it('drops scans while nobody is signed in', () => {
    const { router, state, desk } = setup();
    state.signedIn = false;
    expect(router.route(scan('A'))).toBe('dropped');
    expect(desk).toEqual([]);
  });

  it('keeps a scan the desk could not handle because the session ended, first in line, until someone signs in', async () => {
    const state = { signedIn: true, dialogs: [] as ScanTarget[] };
    const desk: string[] = [];
    const router: ScanRouter = new ScanRouter(
      () => state,
      (s) => {
        if (s.text === 'A' && desk.length === 0) {
          // The core answered not_signed_in: the session is gone and the scan goes back.
          state.signedIn = false;
          desk.push('(ended)');
          router.holdAgain(s);
          return;
        }
        desk.push(s.text);
      },
    );
    state.dialogs.push({});
    router.route(scan('A'));
    router.route(scan('B'));
    state.dialogs.pop();
    expect(await router.drain()).toBe(1);
    expect(router.heldCount).toBe(2);
    state.signedIn = true;
    expect(await router.drain()).toBe(2);
    expect(desk).toEqual(['(ended)', 'A', 'B']);
  });
});
