// The queue's incremental update: changed rows move to their place, rows leaving the filter go, new ones are
// inserted only where the loaded part reaches, and the result is what a full reload would show.
import { describe, expect, it } from 'vitest';
import type { AfterSale } from '../../../src/common/contract/after-sales';
import { compareListOrder, cursorOf } from '../../../src/common/contract/after-sales';
import { mergeChanged } from '../../../src/renderer/src/queue/merge';

function row(refundId: string, status: number, updateTime: number): AfterSale {
  return { refundId, status, updateTime } as AfterSale;
}
const ids = (list: AfterSale[]) => list.map((a) => a.refundId);
const sorted = (list: AfterSale[]) => [...list].sort((a, b) => compareListOrder(cursorOf(a), cursorOf(b), true));

describe('mergeChanged', () => {
  const loaded = sorted([row('1', 40, 900), row('2', 40, 800), row('3', 22, 950), row('4', 30, 990), row('5', 30, 500)]);

  it('moves a changed row to its place and drops one that left the filter', () => {
    expect(ids(loaded)).toEqual(['1', '2', '3', '4', '5']);
    // 4 was shipped back (30 → 40, newer); 2 was confirmed (left the queue: asked, not fresh).
    const out = mergeChanged(loaded, ['4', '2'], [row('4', 40, 1000)], { deskQueue: true, complete: true });
    expect(ids(out)).toEqual(['4', '1', '3', '5']);
  });

  it('inserts a new row inside the loaded part, and leaves one past its end to the next page', () => {
    const firstPage = loaded.slice(0, 3); // 1, 2, 3
    const out = mergeChanged(firstPage, ['6', '7'], [row('6', 40, 850), row('7', 30, 999)], { deskQueue: true, complete: false });
    expect(ids(out)).toEqual(['1', '6', '2', '3']);
    const whole = mergeChanged(loaded, ['7'], [row('7', 30, 999)], { deskQueue: true, complete: true });
    expect(ids(whole)).toEqual(['1', '2', '3', '7', '4', '5']);
  });

  it('equals a sorted reload of the same rows', () => {
    const changes = [row('5', 40, 1200), row('8', 22, 100)];
    const out = mergeChanged(loaded, ['5', '8', '3'], changes, { deskQueue: true, complete: true });
    const reload = sorted([...loaded.filter((a) => !['5', '8', '3'].includes(a.refundId)), ...changes]);
    expect(ids(out)).toEqual(ids(reload));
  });
});
