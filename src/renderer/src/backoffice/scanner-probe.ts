// The scanner test pad's probe: while the pad is open it times every key (seen before the scan capture acts on it) and
// takes the scans the capture recognised instead of looking them up, so the pad can show what the desk would do.
import { reactive } from 'vue';

export interface ProbeKey {
  key: string;
  code: string;
  /** ms since the previous key of the same sequence; null for its first key. */
  gapMs: number | null;
}

export interface ProbeSequence {
  keys: ProbeKey[];
  /** The capture recognised these keys as a scanner burst (and with what text); null: it was typing. */
  scan: { text: string; avgGapMs: number; suffix: string } | null;
}

/** Keys further apart than this start a new sequence on the pad. */
const SEQUENCE_GAP_MS = 400;
const KEEP = 8;

export const scannerProbe = reactive({ active: false, sequences: [] as ProbeSequence[] });
let lastAt = -Infinity;

export function installScannerProbe(target: Window): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (!scannerProbe.active || ['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return;
    const gap = event.timeStamp - lastAt;
    lastAt = event.timeStamp;
    if (gap > SEQUENCE_GAP_MS || scannerProbe.sequences.length === 0) {
      scannerProbe.sequences.unshift({ keys: [], scan: null });
      scannerProbe.sequences.splice(KEEP);
    }
    const current = scannerProbe.sequences[0]!;
    current.keys.push({ key: event.key, code: event.code, gapMs: current.keys.length === 0 ? null : Math.round(gap * 10) / 10 });
  };
  // Registered before the scan capture, so it sees the keys the capture then swallows.
  target.addEventListener('keydown', onKeyDown, true);
  return () => target.removeEventListener('keydown', onKeyDown, true);
}

/** The capture recognised a burst while the pad is open: mark the current sequence instead of looking it up. */
export function probeScan(text: string, info: { avgGapMs: number; suffix: string }): boolean {
  if (!scannerProbe.active) return false;
  const current = scannerProbe.sequences[0];
  if (current) current.scan = { text, avgGapMs: Math.round(info.avgGapMs * 10) / 10, suffix: info.suffix };
  return true;
}
