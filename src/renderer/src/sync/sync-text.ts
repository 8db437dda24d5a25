// The sync header in words: during the first backfill, how many days are covered and how many after-sales
// are cached; afterwards, when the last completed pass was. No raw phase names or counters. No DOM.
import type { SyncStatus } from '../../../common/contract/sync';

const DAY = 86_400_000;

export type SyncLine =
  | { key: 'syncText.firstSync'; params: { days: number; total: number; cached: number } }
  | { key: 'syncText.lastPass'; params: { at: number } }
  | { key: 'syncText.noShop'; params: Record<string, never> };

/** One line for the header from sync.status, the cache count and the time now. */
export function syncLine(status: SyncStatus, cached: number, now: number): SyncLine {
  const backfilling = status.shops.filter((s) => !s.backfill.done);
  if (backfilling.length > 0) {
    // The least covered shop says how far the first sync is: the desk is complete for that many days back.
    const covered = Math.min(...backfilling.map((s) => (s.backfill.coveredFrom === null ? 0 : Math.max(0, now - s.backfill.coveredFrom))));
    const total = Math.max(...backfilling.map((s) => Math.max(0, now - s.backfill.horizon)));
    return { key: 'syncText.firstSync', params: { days: Math.floor(covered / DAY), total: Math.round(total / DAY), cached } };
  }
  if (status.lastSyncAt !== null) return { key: 'syncText.lastPass', params: { at: status.lastSyncAt } };
  return { key: 'syncText.noShop', params: {} };
}
