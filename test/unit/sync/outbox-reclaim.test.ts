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
import { configureSync } from '../../../src/main/core/sync/runtime';
import { syncShop } from '../../../src/main/core/sync/engine';
import { signedInTestCore, tempDir } from '../../support/core';
import { FakePlatform } from './fake-platform';
import { SHOP, T0 } from './harness';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

function open(dataDir: string, fake: FakePlatform, clock: ReturnType<typeof manualClock>): Core {
  const core = signedInTestCore({ clock, dataDir });
  cores.push(core);
  configureSync(core.context, {
    clientFor: () => fake,
    shopIds: () => [SHOP],
    retryBaseMs: 10,
    retryMaxMs: 100,
    recheckDelayMs: 0,
    random: () => 0.5,
  });
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
    applyDelegated(
      first.context.db,
      {
        id: 'other-desk-row',
        kind: 'confirm_receipt',
        shopId: SHOP,
        refundId: '7003',
        payload: '{}',
        state: 'waiting',
        attempts: 0,
        lastError: null,
        conflictReason: null,
        conflictState: null,
        operatorId: null,
        createdAt: T0,
        notBefore: T0,
        doneAt: null,
      },
      clock.now(),
    );
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
