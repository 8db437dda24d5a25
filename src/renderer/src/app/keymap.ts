// Every key of the desk, grouped by where it works: the ? dialog and docs/keyboard.md list exactly these.
export interface KeyBinding {
  keys: string;
  /** i18n key under `keymap.` */
  action: string;
}

export interface KeyGroup {
  /** i18n key under `keymap.group.` */
  group: string;
  bindings: KeyBinding[];
}

/** A group written as `keys action` pairs, in the order the ? dialog shows them. */
function group(name: string, pairs: [keys: string, action: string][]): KeyGroup {
  return { group: name, bindings: pairs.map(([keys, action]) => ({ keys, action })) };
}

export const KEYMAP: KeyGroup[] = [
  group('global', [
    ['?', 'help'],
    ['F1', 'goDesk'],
    ['F2', 'goQueue'],
    ['F3', 'goBackOffice'],
    ['Ctrl+L', 'switchOperator'],
    ['Ctrl+Z', 'undo'],
    ['/', 'focusScan'],
    ['Ctrl+M', 'mute'],
    ['Ctrl+,', 'settings'],
  ]),
  group('desk', [
    ['Enter', 'confirm'],
    ['W', 'waybill'],
    ['Esc', 'clearCard'],
    ['↑ ↓ / J K', 'pick'],
    ['R', 'registerUnmatched'],
    ['F', 'searchOther'],
  ]),
  group('queue', [
    ['↑ ↓ / J K', 'move'],
    ['Space', 'select'],
    ['Ctrl+Enter', 'confirmBatch'],
    ['Enter', 'openDetail'],
    ['W', 'waybill'],
    ['Ctrl+F', 'filter'],
    ['Esc', 'closeDetail'],
  ]),
  group('backoffice', [['Alt+1 … Alt+6', 'backOfficeSection']]),
  group('dialogs', [
    ['Enter', 'dialogDefault'],
    ['Shift+Enter', 'dialogOverride'],
    ['A / R', 'freight'],
    ['1 / 2', 'batchChoice'],
    ['Esc', 'dialogCancel'],
  ]),
];
