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
