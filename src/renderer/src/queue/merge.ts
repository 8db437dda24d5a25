// Applies fresh copies of a few after-sales to the loaded part of a queue list, keeping the list's order, so an
// afterSales.changed event costs those rows instead of a reload of the whole list.
import { compareListOrder, cursorOf, type AfterSale } from '../../../common/contract/after-sales';

/**
 * `asked`: the ids the event named; `fresh`: those of them that still match the filter, as they are now.
 * A row that no longer matches leaves; a changed row moves to its place; a new row is inserted when its place is
 * inside the loaded part (or the list is complete), otherwise the next page brings it.
 */
export function mergeChanged(
  items: readonly AfterSale[],
  asked: readonly string[],
  fresh: readonly AfterSale[],
  options: { deskQueue: boolean; complete: boolean },
): AfterSale[] {
  const gone = new Set(asked);
  const kept = items.filter((a) => !gone.has(a.refundId));
  const order = (a: AfterSale, b: AfterSale) => compareListOrder(cursorOf(a), cursorOf(b), options.deskQueue);
  const last = kept[kept.length - 1];
  for (const row of [...fresh].sort(order)) {
    // Past the end of what is loaded: not ours to place unless the whole list is here.
    if (!options.complete && last !== undefined && order(row, last) > 0) continue;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (order(kept[mid]!, row) < 0) low = mid + 1;
      else high = mid;
    }
    kept.splice(low, 0, row);
  }
  return kept;
}
