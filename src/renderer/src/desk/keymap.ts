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

export const KEYMAP: KeyGroup[] = [
  {
    group: 'global',
    bindings: [
      { keys: '?', action: 'help' },
      { keys: 'F1', action: 'goDesk' },
      { keys: 'F2', action: 'goQueue' },
      { keys: 'Ctrl+L', action: 'switchOperator' },
      { keys: 'Ctrl+Z', action: 'undo' },
      { keys: '/', action: 'focusScan' },
      { keys: 'Ctrl+M', action: 'mute' },
      { keys: 'Ctrl+,', action: 'settings' },
    ],
  },
  {
    group: 'desk',
    bindings: [
      { keys: 'Enter', action: 'confirm' },
      { keys: 'W', action: 'waybill' },
      { keys: 'Esc', action: 'clearCard' },
      { keys: '↑ ↓ / J K', action: 'pick' },
      { keys: 'R', action: 'registerUnmatched' },
      { keys: 'F', action: 'searchOther' },
    ],
  },
  {
    group: 'queue',
    bindings: [
      { keys: '↑ ↓ / J K', action: 'move' },
      { keys: 'Space', action: 'select' },
      { keys: 'Ctrl+Enter', action: 'confirmBatch' },
      { keys: 'Enter', action: 'openDetail' },
      { keys: 'W', action: 'waybill' },
      { keys: 'Ctrl+F', action: 'filter' },
      { keys: 'Esc', action: 'closeDetail' },
    ],
  },
  {
    group: 'dialogs',
    bindings: [
      { keys: 'Enter', action: 'dialogDefault' },
      { keys: 'Shift+Enter', action: 'dialogOverride' },
      { keys: 'A / R', action: 'freight' },
      { keys: '1 / 2', action: 'batchChoice' },
      { keys: 'Esc', action: 'dialogCancel' },
    ],
  },
];
