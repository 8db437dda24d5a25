// Ctrl+Z after a batch confirm undoes the whole batch (every confirm still in its window), not just the last item.
import { describe, expect, it } from 'vitest';
import { undoTargets, withUndoGroup, type UndoEntry } from '../../../src/renderer/src/desk/undo';

const single = (refundId: string, undoUntil: number): UndoEntry => ({ refundId, undoUntil, label: refundId });

describe('undo of a batch', () => {
  it('targets every confirm of the newest batch still inside its window', () => {
    let undo = [single('1', 10_000)];
    undo = withUndoGroup(undo, [single('2', 10_000), single('3', 10_000), single('4', 10_000)], 'b1');
    expect(undoTargets(undo, 5_000).map((u) => u.refundId)).toEqual(['2', '3', '4']);
    // Past the window nothing of the batch is undone, and the single confirm before it stays its own.
    expect(undoTargets(undo, 10_000)).toEqual([]);
    expect(
      undoTargets(
        undo.filter((u) => u.group === undefined),
        5_000,
      ).map((u) => u.refundId),
    ).toEqual(['1']);
  });

  it('a single confirm after a batch is undone alone first; a re-queued item leaves its old entry', () => {
    let undo = withUndoGroup([single('2', 9_000)], [single('2', 10_000), single('3', 10_000)], 'b1');
    expect(undo.filter((u) => u.refundId === '2')).toHaveLength(1);
    undo = [single('9', 12_000), ...undo];
    expect(undoTargets(undo, 5_000).map((u) => u.refundId)).toEqual(['9']);
  });
});
