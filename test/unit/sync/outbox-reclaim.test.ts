// Leaving warehouse mode: a desk started without a warehouse sends its own rows it had handed to one, re-read first.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { manualClock } from '../../../src/main/core/kernel/clock';
import { applyDelegated, markDelegated } from '../../../src/main/core/outbox/delegated';
import { enqueueConfirm } from '../../../src/main/core/outbox/queue';
import { startOutboxWorker } from '../../../src/main/core/outbox/service';
import { getRow } from '../../../src/main/core/outbox/store';
import { drainOnce } from '../../../src/main/core/outbox/worker';
import { OUTBOX_NOTES } from '../../../src/common/contract/sync';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { syncShop } from '../../../src/main/core/sync/engine';
import { tempDir } from '../../support/core';
import { FakePlatform } from './fake-platform';
import { harness, SHOP, sharedRow, T0 } from './harness';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

function open(dataDir: string, fake: FakePlatform, clock: ReturnType<typeof manualClock>): Core {
  const { core } = harness({}, { dataDir, fake, clock });
  cores.push(core);
  return core;
}

describe('outbox rows handed to a warehouse, at a start without one', () => {
  it('go back to the local worker: sent once, or recorded as applied when the platform shows them done', async () => {
    const dataDir = tempDir();
    const clock = manualClock(T0);
    const fake = new FakePlatform(clock.now);
    fake.add({ refundId: '7001', status: 40 });
    fake.add({ refundId: '7002', status: 40 });
    fake.add({ refundId: '7003', status: 40 });

    // In warehouse mode: both confirms are handed to the shared outbox, and another desk's confirm is mirrored here.
    const first = open(dataDir, fake, clock);
    await syncShop(first.context, SHOP);
    saveSettings(first.context, { undoWindowMs: 0 });
    first.context.outbox.delegate = {
      handOff: (row) => Promise.resolve(markDelegated(first.context.db, row.id, clock.now())),
      claim: () => Promise.resolve([]),
      run: () => Promise.resolve(),
    };
    const pending = enqueueConfirm(first.context, { refundId: '7001', operatorId: null }).outboxId;
    const applied = enqueueConfirm(first.context, { refundId: '7002', operatorId: null }).outboxId;
    await drainOnce(first.context);
    applyDelegated(first.context.db, sharedRow({ id: 'other-desk-row', refundId: '7003', createdAt: T0, notBefore: T0 }), clock.now());
    expect(getRow(first.context.db, pending)).toMatchObject({ delegated: 1, state: 'waiting' });
    await first.close();
    cores.splice(0);
    // Meanwhile another desk sent the second confirm through the warehouse.
    fake.change('7002', { status: 50 });

    // The same data dir, no warehouse configured: no delegate is attached.
    const second = open(dataDir, fake, clock);
    const worker = startOutboxWorker(second.context);
    try {
      await vi.waitFor(() => {
        expect(getRow(second.context.db, pending)?.state).toBe('done');
        expect(getRow(second.context.db, applied)?.state).toBe('done');
      });
    } finally {
      await worker.stop();
    }
    expect(fake.writes.map((write) => [write.method, write.refundId])).toEqual([['confirmReceipt', '7001']]);
    expect(getRow(second.context.db, pending)).toMatchObject({ delegated: 0, last_error: null });
    expect(getRow(second.context.db, applied)).toMatchObject({ delegated: 0, last_error: OUTBOX_NOTES.already_applied });
    // Another desk's row is that desk's to send: left as it was.
    expect(getRow(second.context.db, 'other-desk-row')).toMatchObject({ delegated: 1, state: 'waiting' });
  });
});
