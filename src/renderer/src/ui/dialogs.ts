// The stack of open desk dialogs: opened as promises, they own the keyboard while open, and the one on top
// may take scanner input (the waybill dialog); the scanner router reads this stack.
import { markRaw, reactive, shallowReactive, type Component } from 'vue';
import type { KeyDesc } from '../scanner/capture';
import type { Scan } from '../scanner/router';

export interface DialogEntry {
  id: number;
  component: Component;
  props: Record<string, unknown>;
  close(result: unknown): void;
  /** Set by the dialog: its keys while on top; return true when handled. */
  onKey?: (key: KeyDesc) => boolean;
  /** Set by a dialog that expects a waybill number. */
  takesScan?: (scan: Scan) => void;
}

export const dialogStack = shallowReactive<DialogEntry[]>([]);
/**
 * While nobody is signed in (the session ended under an open dialog), the dialogs stay as they were, hidden and
 * deaf to keys, and come back once someone signs in: the work in them is not lost.
 */
export const dialogState = reactive({ suspended: false });
const closedListeners = new Set<() => void>();
let nextId = 1;

export function openDialog<T>(component: Component, props: Record<string, unknown> = {}): Promise<T | null> {
  return new Promise((resolve) => {
    const entry: DialogEntry = {
      id: nextId++,
      component: markRaw(component),
      props,
      close(result: unknown) {
        const index = dialogStack.indexOf(entry);
        if (index >= 0) dialogStack.splice(index, 1);
        resolve((result ?? null) as T | null);
        // A flow may open its next dialog right after this one closes: decide once it had the chance.
        setTimeout(notifyIfIdle, 0);
      },
    };
    dialogStack.push(entry);
    idleAnnounced = false;
  });
}

export function topDialog(): DialogEntry | undefined {
  if (dialogState.suspended) return undefined;
  return dialogStack[dialogStack.length - 1];
}

export function closeAllDialogs(): void {
  for (const entry of [...dialogStack].reverse()) entry.close(null);
}

/** Dialog-driven flows still running (between two of their dialogs no dialog is open, yet the desk is busy). */
let flowsRunning = 0;

export function deskIdle(): boolean {
  return dialogStack.length === 0 && flowsRunning === 0;
}

let idleAnnounced = true;

/** Tells the listeners once per busy → idle transition. */
function notifyIfIdle(): void {
  if (!deskIdle() || idleAnnounced) return;
  idleAnnounced = true;
  for (const listener of closedListeners) listener();
}

/** Runs a flow of dialogs; scans arriving meanwhile are held until it ends. */
export async function withFlow<T>(flow: () => Promise<T>): Promise<T> {
  flowsRunning++;
  idleAnnounced = false;
  try {
    return await flow();
  } finally {
    flowsRunning--;
    setTimeout(notifyIfIdle, 0);
  }
}

/** Called each time the desk becomes idle: no dialog open, no flow running (held scans are handled then). */
export function onAllDialogsClosed(listener: () => void): () => void {
  closedListeners.add(listener);
  return () => closedListeners.delete(listener);
}

/** A dialog claims the keyboard (and, for the waybill dialog, scans) while it is on top. */
export function bindDialog(entry: DialogEntry, hooks: { onKey?: DialogEntry['onKey']; takesScan?: DialogEntry['takesScan'] }): void {
  if (hooks.onKey) entry.onKey = hooks.onKey;
  if (hooks.takesScan) entry.takesScan = hooks.takesScan;
}

/** A warning with two ways on: Enter closes it with the safe choice, Shift+Enter with the risky one. */
export function bindEnterChoice<C extends string>(entry: DialogEntry, choices: { enter: C; shiftEnter: C }): void {
  entry.onKey = (key) => {
    // Ctrl+Enter and Alt+Enter are the desk's own chords, not an answer to this dialog.
    if (key.key !== 'Enter' || key.ctrlKey || key.altKey) return false;
    key.preventDefault();
    entry.close(key.shiftKey ? choices.shiftEnter : choices.enter);
    return true;
  };
}
