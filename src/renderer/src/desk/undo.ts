// Undo windows of queued confirms: what Ctrl+Z undoes, a batch being one group. No DOM, no API.

export interface UndoEntry {
  refundId: string;
  undoUntil: number;
  label: string;
  /** Confirms queued together (a batch) share a group: Ctrl+Z undoes the whole group. */
  group?: string;
}

/** The batch's confirms as one group, newest first, replacing older entries of the same after-sales. */
export function withUndoGroup(entries: readonly UndoEntry[], batch: Omit<UndoEntry, 'group'>[], group: string): UndoEntry[] {
  const ids = new Set(batch.map((e) => e.refundId));
  return [...batch.map((e) => ({ ...e, group })), ...entries.filter((u) => !ids.has(u.refundId))];
}

/** What Ctrl+Z undoes: the newest entry still open, with every entry of its batch still inside its window. */
export function undoTargets(entries: readonly UndoEntry[], now: number): UndoEntry[] {
  const open = entries.filter((u) => u.undoUntil > now);
  const first = open[0];
  if (!first) return [];
  return first.group === undefined ? [first] : open.filter((u) => u.group === first.group);
}
