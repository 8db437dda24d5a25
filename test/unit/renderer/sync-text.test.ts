// The sync header in words: the first backfill shows days covered and after-sales cached, not "not synced yet".
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../src/common/contract/sync';
import { syncLine } from '../../../src/renderer/src/sync/sync-text';

const DAY = 86_400_000;
const now = 100 * DAY;

function status(backfill: SyncStatus['shops'][number]['backfill'], lastSyncAt: number | null): SyncStatus {
  return {
    online: true,
    offlineSince: null,
    lastSyncAt,
    pendingUploads: 0,
    conflicts: 0,
    shops: [
      {
        shopId: 's',
        phase: 'backfill',
        backfill,
        highWaterMark: null,
        highWaterMarkRepaired: null,
        windowMs: DAY,
        lastSyncAt,
        lastError: null,
        calls: {},
      },
    ],
  };
}

describe('syncLine', () => {
  it('during the first backfill: days covered of the horizon and after-sales cached', () => {
    const line = syncLine(status({ done: false, coveredFrom: now - 12 * DAY - 5, horizon: now - 90 * DAY }, null), 1704, now);
    expect(line).toEqual({ key: 'syncText.firstSync', params: { days: 12, total: 90, cached: 1704 } });
    expect(syncLine(status({ done: false, coveredFrom: null, horizon: now - 90 * DAY }, null), 0, now).params).toMatchObject({ days: 0 });
  });

  it('afterwards: the time of the last completed pass', () => {
    expect(syncLine(status({ done: true, coveredFrom: now - 90 * DAY, horizon: now - 90 * DAY }, now - 5_000), 10, now)).toEqual({
      key: 'syncText.lastPass',
      params: { at: now - 5_000 },
    });
  });
});
