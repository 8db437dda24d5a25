// Pacing on a virtual clock: per-API slots under the published limit less the margin, interactive calls ahead of
// waiting background calls, and a QPS answer that pauses only the API it came from.
import { describe, expect, it } from 'vitest';
import { interactive, Pacer, type PacerTime } from '../../../src/main/core/platform/pacer';

function maxPerWindow(stamps: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < stamps.length; i += 1) {
    let count = 0;
    for (let j = i; j < stamps.length && stamps[j]! < stamps[i]! + windowMs; j += 1) count += 1;
    best = Math.max(best, count);
  }
  return best;
}

/** A virtual clock whose sleeps resolve in time order when `settle` runs them (no wall time). */
function virtualTime(): { time: PacerTime; clock: { t: number }; settle: () => Promise<void> } {
  const clock = { t: 0 };
  const timers: { at: number; resolve: () => void }[] = [];
  return {
    clock,
    time: {
      now: () => clock.t,
      sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: clock.t + ms, resolve })),
    },
    settle: async () => {
      for (let guard = 0; guard < 100_000; guard += 1) {
        await new Promise((r) => setImmediate(r));
        if (timers.length === 0) return;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        clock.t = Math.max(clock.t, next.at);
        next.resolve();
      }
    },
  };
}

function grantTimes(pacer: Pacer, clock: { t: number }, api: string, n: number, order: string[] = [], tag = api): Promise<number[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      await pacer.acquire(api);
      order.push(tag);
      return clock.t;
    }),
  );
}

describe('Pacer', () => {
  it('paces each API at the published limit less the safety margin (100/s, 20 % → 80/s)', async () => {
    const { time, clock, settle } = virtualTime();
    const pacer = new Pacer({ time });
    expect(pacer.rateOf('open.seller.order.refund.detail')).toBe(80);
    const detail = grantTimes(pacer, clock, 'detail', 200);
    await settle();
    const granted = (await detail).sort((a, b) => a - b);
    expect(maxPerWindow(granted, 1000)).toBe(80);
    expect(granted[199]! - granted[0]!).toBeCloseTo(199 * 12.5, 6);
  });

  it('APIs do not share slots: two APIs together run at twice the rate of one', async () => {
    const { time, clock, settle } = virtualTime();
    const pacer = new Pacer({ limitPerApi: 10, safetyMargin: 0, time });
    const a = grantTimes(pacer, clock, 'a', 20);
    const b = grantTimes(pacer, clock, 'b', 20);
    await settle();
    const all = [...(await a), ...(await b)].sort((x, y) => x - y);
    expect(maxPerWindow(all, 1000)).toBe(20);
    expect(
      maxPerWindow(
        (await a).sort((x, y) => x - y),
        1000,
      ),
    ).toBe(10);
  });

  it('per-API limits and the margin are configurable', () => {
    const pacer = new Pacer({ limitPerApi: 50, limits: { slow: 10 }, safetyMargin: 0.5 });
    expect(pacer.rateOf('any')).toBe(25);
    expect(pacer.rateOf('slow')).toBe(5);
    expect(new Pacer({ qps: 7 }).rateOf('any')).toBe(7);
  });

  it('an interactive call waiting behind a backfill queue is served next', async () => {
    const { time, clock, settle } = virtualTime();
    const pacer = new Pacer({ limitPerApi: 10, safetyMargin: 0, time });
    const order: string[] = [];
    const backfill = grantTimes(pacer, clock, 'detail', 30, order, 'bg');
    expect(pacer.waiting('detail').length).toBe(29);
    const scan = interactive(async () => {
      await pacer.acquire('detail');
      order.push('scan');
      return clock.t;
    });
    const write = (async () => {
      await pacer.acquire('detail', 'interactive');
      order.push('write');
    })();
    expect(pacer.waiting('detail').slice(0, 3)).toEqual(['interactive', 'interactive', 'background']);
    await settle();
    await Promise.all([backfill, write]);
    // One background call had its slot already; the two interactive ones come right after it.
    expect(order.slice(0, 3)).toEqual(['bg', 'scan', 'write']);
    expect(await scan).toBe(100);
  });

  it('a rate-limit answer pauses that API, doubling while they keep coming, reset by a success', async () => {
    const { time, clock, settle } = virtualTime();
    const pacer = new Pacer({ qps: 100, backoffMs: 1000, maxBackoffMs: 4000, time });
    const first = pacer.acquire('a');
    await settle();
    await first;
    expect(pacer.rateLimited('a')).toBe(1000);
    const other = pacer.acquire('b');
    const same = pacer.acquire('a');
    await settle();
    await Promise.all([other, same]);
    expect(clock.t).toBeGreaterThanOrEqual(1000);
    expect(pacer.rateLimited('a')).toBe(2000);
    expect(pacer.rateLimited('a')).toBe(4000);
    expect(pacer.rateLimited('a')).toBe(4000);
    pacer.succeeded('a');
    expect(pacer.rateLimited('a')).toBe(1000);
  });

  it('a pause of one API leaves the others free', async () => {
    const { time, clock, settle } = virtualTime();
    const pacer = new Pacer({ qps: 100, backoffMs: 5000, time });
    pacer.rateLimited('a');
    let bAt = -1;
    const b = pacer.acquire('b').then(() => (bAt = clock.t));
    const a = pacer.acquire('a');
    await settle();
    await Promise.all([a, b]);
    expect(bAt).toBe(0);
    expect(clock.t).toBe(5000);
  });

  it('rejects non-positive rates and a margin outside [0, 1)', () => {
    expect(() => new Pacer({ qps: 0 })).toThrow(RangeError);
    expect(() => new Pacer({ limits: { x: -1 } })).toThrow(RangeError);
    expect(() => new Pacer({ safetyMargin: 1 })).toThrow(RangeError);
  });

  it('takes a rate chosen for the shop live, from the next slot on, never above an API’s published limit', async () => {
    const { time, clock, settle } = virtualTime();
    const pacer = new Pacer({ time, limits: { 'open.slow': 20 } });
    pacer.setRate(10);
    expect(pacer.rateOf('detail')).toBe(10);
    expect(pacer.rateOf('open.slow')).toBe(10);
    const slow = grantTimes(pacer, clock, 'detail', 5);
    await settle();
    expect(await slow).toEqual([0, 100, 200, 300, 400]);

    // Faster while calls wait: the next slot follows the new spacing, not the old one.
    const fast = grantTimes(pacer, clock, 'detail', 4);
    pacer.setRate(50);
    await settle();
    expect(await fast).toEqual([420, 440, 460, 480]);

    pacer.setRate(100);
    expect(pacer.rateOf('open.slow')).toBe(20);
    pacer.setRate(null);
    expect(pacer.rateOf('detail')).toBe(80);
    expect(() => pacer.setRate(0)).toThrow(RangeError);
    expect(() => pacer.setRate(Number.NaN)).toThrow(RangeError);
    expect(pacer.rateOf('detail')).toBe(80);
  });
});
