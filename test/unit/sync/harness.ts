// A core with a manual clock and a FakePlatform behind the sync engine, for unit tests.
import { afterEach } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { manualClock } from '../../../src/main/core/kernel/clock';
import type { DelegatedRowState } from '../../../src/main/core/outbox/delegated';
import { configureSync, type SyncOptions } from '../../../src/main/core/sync/runtime';
import { signedInTestCore } from '../../support/core';
import { FakePlatform } from './fake-platform';

export const T0 = Date.UTC(2025, 5, 1, 8, 0, 0);
export const SHOP = 'shop-1';

/** Where a harness opens: a data dir to reopen, and the clock and platform a test keeps across cores. */
export interface HarnessPlace {
  dataDir?: string;
  clock?: ReturnType<typeof manualClock>;
  fake?: FakePlatform;
}

export type Harness = ReturnType<typeof harness>;

export function harness(options: Partial<SyncOptions> = {}, place: HarnessPlace = {}) {
  const clock = place.clock ?? manualClock(T0);
  const core = signedInTestCore({ clock, ...(place.dataDir ? { dataDir: place.dataDir } : {}) });
  const fake = place.fake ?? new FakePlatform(clock.now);
  configureSync(core.context, {
    clientFor: () => fake,
    shopIds: () => [SHOP],
    retryBaseMs: 10,
    retryMaxMs: 100,
    recheckDelayMs: 0,
    random: () => 0.5,
    fetchConcurrency: 2,
    ...options,
  });
  const events: { name: string; payload: unknown }[] = [];
  core.events.subscribe((name, payload) => events.push({ name, payload }));
  return { core, ctx: core.context, clock, fake, events };
}

/**
 * Registers an afterEach that closes every core the returned maker opened during the test; call it at the top of a
 * test file and open harnesses with the maker.
 */
export function harnessPerTest(): typeof harness {
  const open: Core[] = [];
  afterEach(async () => {
    for (const core of open.splice(0)) await core.close();
  });
  return (...args) => {
    const h = harness(...args);
    open.push(h.core);
    return h;
  };
}

/** A row of the warehouse's shared outbox as a desk mirrors it (applyDelegated): a waiting confirm unless told otherwise. */
export function sharedRow(fields: Partial<DelegatedRowState> & { id: string; refundId: string }): DelegatedRowState {
  return {
    kind: 'confirm_receipt',
    shopId: SHOP,
    payload: '{}',
    state: 'waiting',
    attempts: 0,
    lastError: null,
    conflictReason: null,
    conflictState: null,
    operatorId: null,
    createdAt: 0,
    notBefore: 0,
    doneAt: null,
    ...fields,
  };
}
