// One distinct sound per scan outcome and desk event, as data: people at the desk listen instead of looking.
import type { ScanOutcome } from '../../../common/contract/desk';

export interface Note {
  /** Hz */
  freq: number;
  /** ms */
  ms: number;
  wave: 'sine' | 'square' | 'triangle' | 'sawtooth';
}

export type SoundName = ScanOutcome | 'repeated' | 'confirmed' | 'undone' | 'error';

const n = (freq: number, ms: number, wave: Note['wave'] = 'sine'): Note => ({ freq, ms, wave });

export const TONES: Record<SoundName, Note[]> = {
  ready: [n(880, 90), n(1320, 140)],
  waiting_for_buyer: [n(660, 120, 'triangle'), n(880, 120, 'triangle'), n(660, 160, 'triangle')],
  already_received: [n(440, 120), n(440, 120)],
  not_a_return: [n(330, 320, 'triangle')],
  exchange: [n(587, 110, 'triangle'), n(784, 110, 'triangle'), n(587, 110, 'triangle')],
  closed: [n(300, 160, 'triangle'), n(250, 200, 'triangle')],
  not_confirmable: [n(392, 150, 'triangle'), n(349, 200, 'triangle')],
  multiple: [n(988, 70), n(988, 70), n(988, 70)],
  not_found: [n(523, 130, 'square'), n(392, 130, 'square'), n(262, 220, 'square')],
  repeated: [n(1568, 50, 'square'), n(1568, 50, 'square')],
  invalid_scan: [n(180, 360, 'sawtooth')],
  confirmed: [n(1047, 90), n(1319, 90), n(1568, 160)],
  undone: [n(784, 100), n(523, 160)],
  error: [n(200, 200, 'sawtooth'), n(160, 260, 'sawtooth')],
};

/** A fingerprint to prove sounds differ (tests) and to key caches. */
export function toneSignature(notes: Note[]): string {
  return notes.map((note) => `${note.wave}:${note.freq}:${note.ms}`).join('|');
}
