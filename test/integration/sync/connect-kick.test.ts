// Connecting a shop starts its first sync at once, instead of waiting a whole scheduler interval.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { saveSettings } from '../../../src/main/core/settings/settings';
import type { RunningSimulator } from '../../../src/main/sim';
import { tempDir, signedInTestCore } from '../../support/core';
import { FAST_PLATFORM, simulator } from './support';

let sim: RunningSimulator | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = sim = null;
});

describe('first sync after connecting a shop', () => {
  it('runs right away even with an hour-long sync interval', async () => {
    sim = await simulator({ seed: 'kick', afterSales: 60 });
    const dataDir = tempDir('returndesk-kick-');
    // The interval is read before each sleep: make it long before the service's first pass ends.
    const seeded = signedInTestCore({ dataDir });
    saveSettings(seeded.context, { syncIntervalMs: 3_600_000 });
    await seeded.close();
    core = signedInTestCore({ dataDir, platform: FAST_PLATFORM, startServices: true });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the scheduler's empty first pass, then its long sleep
    const c = sim.credentials;
    const connected = await core.dispatch(
      'shops.connect',
      { name: 'sim', baseUrl: sim.baseUrl, appKey: c.appKey, signSecret: c.signSecret, accessToken: c.accessToken },
      'http',
    );
    expect(connected.ok).toBe(true);
    await expect
      .poll(
        async () => {
          const status = await core!.dispatch('sync.status', {}, 'http');
          return status.ok ? (status.data as { lastSyncAt: number | null }).lastSyncAt : null;
        },
        { timeout: 20_000, interval: 100 },
      )
      .not.toBeNull();
  });
});
