// The sync scheduler on a manual clock: each shop runs again at its own interval (or the desk's), a change of a shop's
// interval through the back office's method applies at once, and a bad value is refused with nothing changed.
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/main/core/kernel/clock';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { startSyncScheduler, type SchedulerSleep } from '../../../src/main/core/sync/service';
import type { RunningService } from '../../../src/main/core/context/services';
import { configureSync, runtime } from '../../../src/main/core/sync/runtime';
import { readShopSyncSettings } from '../../../src/main/core/sync/shop-settings';
import { FakePlatform } from './fake-platform';
import { harness, T0 } from './harness';
import { signedInTestCore } from '../../support/core';

/** A scheduler sleep that only ends when the test moves the manual clock past it (or something wakes it). */
function manualSleep(clock: Clock & { set(ms: number): void }) {
  let pending: { at: number; resolve: () => void } | null = null;
  let woken = false;
  const sleeper: SchedulerSleep = {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
        } else pending = { at: clock.now() + ms, resolve };
      }),
    wake: () => {
      const p = pending;
      pending = null;
      if (p) p.resolve();
      else woken = true;
    },
  };
  return { sleeper, nextAt: () => pending?.at ?? null };
}

let running: RunningService | null = null;
let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await running?.stop();
  await close?.();
  running = close = null;
});

function setup() {
  const fakes: Record<string, FakePlatform> = {};
  const h = harness({ shopIds: () => ['shop-a', 'shop-b'] });
  configureSync(h.ctx, { clientFor: (id) => (fakes[id] ??= new FakePlatform(h.clock.now)) });
  close = () => h.core.close();
  for (const id of ['shop-a', 'shop-b']) {
    h.ctx.db
      .prepare(
        `INSERT INTO shops (id, name, base_url, app_key, sign_method, auth_mode, status, created_at, updated_at)
         VALUES (?, ?, 'http://sim', 'k', 'HMAC_SHA256', 'pasted_token', 'connected', 0, 0)`,
      )
      .run(id, id);
  }
  const runs = { 'shop-a': [] as number[], 'shop-b': [] as number[] };
  h.core.events.subscribe((name, payload) => {
    const p = payload as { shopId: string; phase: string; done: number };
    if (name === 'sync.progress' && p.phase === 'incremental' && p.done === 0)
      runs[p.shopId as keyof typeof runs].push((h.clock.now() - T0) / 1000);
  });
  const sleep = manualSleep(h.clock);
  /** Lets every started run finish and the scheduler fall asleep again. */
  const settle = async () => {
    for (let i = 0; i < 200; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      const busy = [...runtime(h.ctx).shops.values()].some((s) => s.running !== null);
      if (!busy && sleep.nextAt() !== null) return;
    }
    throw new Error('the scheduler did not settle');
  };
  /** Moves the clock to `seconds` after T0, stopping at every wake-up the scheduler asked for on the way. */
  const runUntil = async (seconds: number) => {
    await settle();
    for (;;) {
      const at = sleep.nextAt()!;
      if (at > T0 + seconds * 1000) break;
      h.clock.set(at);
      sleep.sleeper.wake();
      await settle();
    }
    h.clock.set(T0 + seconds * 1000);
  };
  return { h, runs, sleeper: sleep.sleeper, runUntil, settle };
}

describe('the sync scheduler', () => {
  it('syncs each shop at its own interval, and at the desk’s when it has none; a change applies at once', async () => {
    const { h, runs, sleeper, runUntil } = setup();
    saveSettings(h.ctx, { syncIntervalMs: 30_000 });
    const set = await h.core.dispatch('shops.setSyncSettings', { shopId: 'shop-a', syncIntervalMs: 10_000 }, 'http');
    expect(set.ok).toBe(true);
    running = startSyncScheduler(h.ctx, {}, sleeper);

    await runUntil(120);
    expect(runs['shop-a']).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    expect(runs['shop-b']).toEqual([0, 30, 60, 90, 120]);

    // A slower A, set while the scheduler sleeps toward A's next run at 130 s: it waits for 180 s instead.
    await h.core.dispatch('shops.setSyncSettings', { shopId: 'shop-a', syncIntervalMs: 60_000 }, 'http');
    await runUntil(240);
    expect(runs['shop-a'].filter((t) => t > 120)).toEqual([180, 240]);
    expect(runs['shop-b'].filter((t) => t > 120)).toEqual([150, 180, 210, 240]);

    // Back to the desk's interval (null), which is itself changed: read at each shop's next run.
    await h.core.dispatch('shops.setSyncSettings', { shopId: 'shop-a', syncIntervalMs: null }, 'http');
    expect(readShopSyncSettings(h.ctx.db, 'shop-a')).toEqual({ syncIntervalMs: null, callsPerSecond: null });
    await runUntil(300);
    expect(runs['shop-a'].filter((t) => t > 240)).toEqual([270, 300]);

    // The desk's interval changed in the settings dialog applies at once to both shops that follow it.
    await h.core.dispatch('settings.save', { syncIntervalMs: 20_000 }, 'http');
    await runUntil(340);
    expect(runs['shop-a'].filter((t) => t > 300)).toEqual([320, 340]);
    expect(runs['shop-b'].filter((t) => t > 300)).toEqual([320, 340]);
  });

  it('refuses an interval or a pacing out of bounds, typed, and changes nothing', async () => {
    const { h } = setup();
    await h.core.dispatch('shops.setSyncSettings', { shopId: 'shop-a', syncIntervalMs: 20_000, callsPerSecond: 5 }, 'http');
    const auditBefore = h.ctx.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
    for (const bad of [
      { syncIntervalMs: 9_999 },
      { syncIntervalMs: 3_600_001 },
      { syncIntervalMs: 12_000.5 },
      { callsPerSecond: 0 },
      { callsPerSecond: 101 },
      { callsPerSecond: 2.5 },
      { callsPerSecond: '10' },
      { syncIntervalMs: 30_000, callsPerSecond: 500 },
    ]) {
      const answer = await h.core.dispatch('shops.setSyncSettings', { shopId: 'shop-a', ...bad }, 'http');
      expect(answer.ok, JSON.stringify(bad)).toBe(false);
      if (!answer.ok) expect(answer.error.code).toBe('invalid_input');
    }
    const unknown = await h.core.dispatch('shops.setSyncSettings', { shopId: 'nope', syncIntervalMs: 20_000 }, 'http');
    expect(unknown.ok ? null : unknown.error.code).toBe('not_found');
    expect(readShopSyncSettings(h.ctx.db, 'shop-a')).toEqual({ syncIntervalMs: 20_000, callsPerSecond: 5 });
    expect(h.ctx.platform.shopRate('shop-a')).toBe(5);
    // Refusals are audited as refusals by dispatch; no further change was written.
    const after = h.ctx.db
      .prepare(`SELECT outcome FROM audit_log WHERE id > ? AND action = 'shops.setSyncSettings'`)
      .pluck()
      .all(auditBefore);
    expect(after.every((outcome) => outcome !== 'ok')).toBe(true);
  });

  it('refuses a pacing above a lower limit the desk is configured with, saying the most it allows', async () => {
    const core = signedInTestCore({ platform: { limitPerApi: 40 } });
    close = () => core.close();
    core.context.db
      .prepare(
        `INSERT INTO shops (id, name, base_url, app_key, sign_method, auth_mode, status, created_at, updated_at)
         VALUES ('s', 's', 'http://sim', 'k', 'HMAC_SHA256', 'pasted_token', 'connected', 0, 0)`,
      )
      .run();
    const refused = await core.dispatch('shops.setSyncSettings', { shopId: 's', callsPerSecond: 50 }, 'http');
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'invalid_input', details: { field: 'callsPerSecond', max: 40 } });
    expect(readShopSyncSettings(core.context.db, 's').callsPerSecond).toBeNull();
    const set = await core.dispatch('shops.setSyncSettings', { shopId: 's', callsPerSecond: 40 }, 'http');
    expect(set.ok && set.data).toMatchObject({ callsPerSecond: 40, effectiveCallsPerSecond: 40 });
  });
});
