// The app's shortcut layers: the top dialog gets keys first and blocks the rest; otherwise the screen's layer,
// then the global keys. Fed by the bubble-phase keydown listener and by keys the scanner detector released.
import { onBeforeUnmount, onMounted } from 'vue';
import type { KeyDesc } from '../scanner/capture';
import { topDialog } from './dialogs';

export type KeyHandler = (key: KeyDesc) => boolean;

const layers: KeyHandler[] = [];

/** Adds a handler above the others until the returned function removes it. */
export function pushKeyLayer(handler: KeyHandler): () => void {
  layers.push(handler);
  return () => {
    const index = layers.lastIndexOf(handler);
    if (index >= 0) layers.splice(index, 1);
  };
}

/** A screen's layer: there while the component is mounted. */
export function useKeyLayer(handler: KeyHandler): void {
  let off: (() => void) | null = null;
  onMounted(() => (off = pushKeyLayer(handler)));
  onBeforeUnmount(() => off?.());
}

export function dispatchKey(key: KeyDesc): boolean {
  const handled = dispatchToLayers(key);
  // A chord the desk claims is never left to the browser or the shell, even where it means nothing right now
  // (the sign-in screen, a dialog that ignores it): Ctrl+M must not minimize, Ctrl+L must not leave the page.
  if (!handled && isClaimedChord(key)) key.preventDefault();
  return handled;
}

function dispatchToLayers(key: KeyDesc): boolean {
  const dialog = topDialog();
  if (dialog) {
    if (dialog.onKey?.(key)) return true;
    if (key.key === 'Escape') {
      key.preventDefault();
      dialog.close(null);
      return true;
    }
    return false;
  }
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i]!(key)) {
      key.preventDefault();
      return true;
    }
  }
  return false;
}

/**
 * The modifier and function-key shortcuts of docs/keyboard.md, on every screen. Ctrl+Z in a text field stays
 * the field's own undo.
 */
export function isClaimedChord(key: KeyDesc): boolean {
  if (key.key === 'F1' || key.key === 'F2') return true;
  if (!key.ctrlKey || key.altKey || key.metaKey) return false;
  if (key.code === 'KeyZ') return !key.editable && !key.shiftKey;
  return ['KeyL', 'KeyM', 'KeyF', 'Comma'].includes(key.code) || (key.key === 'Enter' && !key.shiftKey);
}

/** Plain key without modifiers, by physical key or by character. */
export function isKey(key: KeyDesc, code: string, char?: string): boolean {
  if (key.ctrlKey || key.altKey || key.metaKey) return false;
  return key.code === code || (char !== undefined && key.key === char);
}

export function fromEvent(event: KeyboardEvent, editable: boolean): KeyDesc {
  return {
    key: event.key,
    code: event.code,
    shiftKey: event.shiftKey,
    ctrlKey: event.ctrlKey,
    altKey: event.altKey,
    metaKey: event.metaKey,
    editable,
    preventDefault: () => event.preventDefault(),
  };
}
