// Rebuilds the character a key produced from its physical position (KeyboardEvent.code + Shift), as a US
// keyboard-wedge scanner means it: the IME, CapsLock, full-width mode and the OS layout cannot corrupt it.
const SHIFTED_DIGITS = ')!@#$%^&*(';

const PUNCTUATION: Record<string, [string, string]> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  IntlBackslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Backquote: ['`', '~'],
  Space: [' ', ' '],
  NumpadDecimal: ['.', '.'],
  NumpadAdd: ['+', '+'],
  NumpadSubtract: ['-', '-'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
};

/** The keys a scanner sends after the code. */
export const SUFFIX_CODES: Record<string, 'enter' | 'tab'> = { Enter: 'enter', NumpadEnter: 'enter', Tab: 'tab' };

/** Keys that only modify others: they neither break nor extend a burst. */
export const MODIFIER_CODES = new Set([
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'CapsLock',
  'NumLock',
  'Lang1',
  'Lang2',
]);

/** The printable character of a physical key, or null for keys that print nothing (arrows, F-keys, Esc…). */
export function charForCode(code: string, shift: boolean): string | null {
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter?.[1]) return shift ? letter[1] : letter[1].toLowerCase();
  const digit = /^Digit([0-9])$/.exec(code);
  if (digit?.[1]) return shift ? SHIFTED_DIGITS[Number(digit[1])]! : digit[1];
  const pad = /^Numpad([0-9])$/.exec(code);
  if (pad?.[1]) return pad[1];
  const punct = PUNCTUATION[code];
  return punct ? punct[shift ? 1 : 0] : null;
}
