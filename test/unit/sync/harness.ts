// A core with a manual clock and a FakePlatform behind the sync engine, for unit tests.
import { manualClock } from '../../../src/main/core/clock';
import { configureSync, type SyncOptions } from '../../../src/main/core/sync/runtime';
import { signedInTestCore } from '../../support/core';
import { FakePlatform } from './fake-platform';

export const T0 = Date.UTC(2025, 5, 1, 8, 0, 0);
export const SHOP = 'shop-1';

export function harness(options: Partial<SyncOptions> = {}) {
  const clock = manualClock(T0);
  const core = signedInTestCore({ clock });
  const fake = new FakePlatform(clock.now);
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
