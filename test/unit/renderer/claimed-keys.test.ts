// Every chord the desk claims is consumed on every screen, so neither the browser nor the Electron shell acts on it.
import { afterEach, describe, expect, it } from 'vitest';
import { dialogStack, openDialog } from '../../../src/renderer/src/ui/dialogs';
import { dispatchKey, pushKeyLayer } from '../../../src/renderer/src/ui/keys';
import type { KeyDesc } from '../../../src/renderer/src/scanner/capture';

function press(code: string, key: string, mods: Partial<KeyDesc> = {}): { desc: KeyDesc; prevented: () => boolean } {
  let prevented = false;
  const desc: KeyDesc = {
    key,
    code,
    shiftKey: false,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    editable: false,
    ...mods,
    preventDefault: () => (prevented = true),
  };
  return { desc, prevented: () => prevented };
}

const claimed: Array<[string, string, Partial<KeyDesc>]> = [
  ['KeyM', 'm', { ctrlKey: true }],
  ['KeyL', 'l', { ctrlKey: true }],
  ['Comma', ',', { ctrlKey: true }],
  ['KeyF', 'f', { ctrlKey: true }],
  ['Enter', 'Enter', { ctrlKey: true }],
  ['KeyZ', 'z', { ctrlKey: true }],
  ['F1', 'F1', {}],
  ['F2', 'F2', {}],
];

afterEach(() => {
  while (dialogStack.length > 0) dialogStack[dialogStack.length - 1]!.close(null);
});

describe('claimed desk chords', () => {
  it.each(claimed)('%s is consumed on a screen where no layer handles it (the sign-in screen)', (code, key, mods) => {
    const off = pushKeyLayer(() => false);
    const { desc, prevented } = press(code, key, mods);
    expect(dispatchKey(desc)).toBe(false);
    expect(prevented()).toBe(true);
    off();
  });

  it.each(claimed)('%s is consumed under a dialog that ignores it', (code, key, mods) => {
    void openDialog({});
    dialogStack[0]!.onKey = () => false;
    const { desc, prevented } = press(code, key, mods);
    dispatchKey(desc);
    expect(prevented()).toBe(true);
  });

  it('leaves other keys, and Ctrl+Z, Ctrl+C and Ctrl+V in a text field, to the page', () => {
    for (const [code, key, mods] of [
      ['KeyA', 'a', {}],
      ['KeyZ', 'z', { ctrlKey: true, editable: true }],
      ['KeyC', 'c', { ctrlKey: true, editable: true }],
      ['KeyV', 'v', { ctrlKey: true, editable: true }],
      ['KeyR', 'r', { ctrlKey: true }],
    ] as const) {
      const { desc, prevented } = press(code, key, mods);
      dispatchKey(desc);
      expect(prevented(), code).toBe(false);
    }
  });
});
