// Pacing on a virtual clock: calls per one-second window never exceed the QPS, and a QPS answer pauses the shop.
import { describe, expect, it } from 'vitest';
import { Pacer, type PacerTime } from '../../../src/main/core/platform/pacer';

function maxPerWindow(stamps: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < stamps.length; i += 1) {
    let count = 0;
    for (let j = i; j < stamps.length && stamps[j]! < stamps[i]! + windowMs; j += 1) count += 1;
    best = Math.max(best, count);
  }
  return best;
}

/** Simulated time where each acquire records the virtual moment it was granted. */
function runAcquires(pacer: Pacer, clock: { t: number }, n: number): Promise<number[]> {
  const granted: number[] = [];
  return (async () => {
    for (let i = 0; i < n; i += 1) {
      await pacer.acquire();
      granted.push(clock.t);
    }
    return granted;
  })();
}

function sequentialTime(): { time: PacerTime; clock: { t: number } } {
  const clock = { t: 0 };
  return {
    clock,
    time: {
      now: () => clock.t,
      sleep: async (ms) => {
        clock.t += ms;
      },
    },
  };
}

describe('Pacer', () => {
  it('spaces sequential calls so that no one-second window holds more than qps calls', async () => {
    const { time, clock } = sequentialTime();
    const pacer = new Pacer({ qps: 5, time });
    const granted = await runAcquires(pacer, clock, 50);
    expect(maxPerWindow(granted, 1000)).toBe(5);
    expect(granted[49]! - granted[0]!).toBeCloseTo(49 * 200, 6);
  });

  it('concurrent callers reserve distinct slots (shared by every call of the shop)', async () => {
    const clock = { t: 0 };
    const waits: number[] = [];
    const pacer = new Pacer({ qps: 10, time: { now: () => clock.t, sleep: async (ms) => void waits.push(ms) } });
    await Promise.all(Array.from({ length: 20 }, () => pacer.acquire()));
    // Slot k is granted at k*100ms: the first immediately, the others after a wait of exactly their slot.
    expect(waits.sort((a, b) => a - b)).toEqual(Array.from({ length: 19 }, (_, k) => (k + 1) * 100));
  });

  it('a rate-limit answer pauses the next calls, doubling while they keep coming, reset by a success', async () => {
    const { time, clock } = sequentialTime();
    const pacer = new Pacer({ qps: 100, backoffMs: 1000, maxBackoffMs: 4000, time });
    await pacer.acquire();
    expect(pacer.rateLimited()).toBe(1000);
    await pacer.acquire();
    expect(clock.t).toBeGreaterThanOrEqual(1000);
    expect(pacer.rateLimited()).toBe(2000);
    expect(pacer.rateLimited()).toBe(4000);
    expect(pacer.rateLimited()).toBe(4000);
    pacer.succeeded();
    expect(pacer.rateLimited()).toBe(1000);
  });

  it('rejects a non-positive qps', () => {
    expect(() => new Pacer({ qps: 0 })).toThrow(RangeError);
  });
});
