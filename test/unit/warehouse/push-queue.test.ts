// The push queue of link parts: batches, keys in flight counted as ours, a failed batch retried whole, settled after each batch.
import { describe, expect, it } from 'vitest';
import { PushQueue } from '../../../src/main/warehouse/link/push-queue';

describe('PushQueue', () => {
  it('waits for start, pushes changed and held keys apart, treats changed keys as ours until their batch settled', async () => {
    const batches: [string[], string[]][] = [];
    const oursDuringPush: boolean[] = [];
    let settled = 0;
    let release: () => void = () => undefined;
    const queue: PushQueue<string> = new PushQueue<string>({
      what: 'test rows',
      logger: () => undefined,
      batchDelayMs: 0,
      push: async (changed, initial) => {
        batches.push([[...changed], [...initial]]);
        oursDuringPush.push(queue.isOurs('a'), queue.isOurs('held'));
        await new Promise<void>((resolve) => (release = resolve));
      },
      settled: () => (settled += 1),
    });
    queue.changed(['a']);
    queue.held(['held', 'a']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([]);
    expect(queue.isOurs('a')).toBe(true);

    queue.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([[['a'], ['held']]]);
    expect(oursDuringPush).toEqual([true, false]);
    release();
    await queue.drain();
    expect(settled).toBe(1);
    expect(queue.isOurs('a')).toBe(false);
    expect(queue.idle).toBe(true);
    await queue.stop();
  });

  it('puts a failed batch back and pushes it again; a key the feed brought is no longer pushed as held', async () => {
    let attempts = 0;
    const pushed: string[][] = [];
    const queue = new PushQueue<string>({
      what: 'test rows',
      logger: () => undefined,
      batchDelayMs: 0,
      retryMs: 5,
      push: (changed, initial) => {
        attempts += 1;
        if (attempts === 1) return Promise.reject(new Error('warehouse away'));
        pushed.push([...changed, ...initial]);
        return Promise.resolve();
      },
    });
    queue.held(['x', 'y']);
    queue.known('y');
    queue.changed(['z']);
    queue.start();
    for (const until = Date.now() + 2_000; !queue.idle && Date.now() < until;) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(attempts).toBe(2);
    expect(pushed.flat().sort()).toEqual(['x', 'z']);
    await queue.stop();
  });

  it('keeps changed keys in its journal until they are pushed, and a queue made again starts with them', async () => {
    let kept: string[] = [];
    const journal = { load: () => kept, save: (keys: readonly string[]) => void (kept = [...keys]) };
    const pushed: string[][] = [];
    const first = new PushQueue<string>({ what: 'test rows', logger: () => undefined, journal, push: () => Promise.resolve() });
    first.changed(['a', 'b']);
    expect(kept).toEqual(['a', 'b']);
    // The desk closes before the warehouse was reached: the keys are still in the journal.
    await first.stop();

    const second = new PushQueue<string>({
      what: 'test rows',
      logger: () => undefined,
      batchDelayMs: 0,
      journal,
      push: (changed, initial) => {
        pushed.push([...changed], [...initial]);
        return Promise.resolve();
      },
    });
    expect(second.isOurs('a')).toBe(true);
    second.start();
    await second.drain();
    for (const until = Date.now() + 2_000; !second.idle && Date.now() < until;) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pushed).toEqual([['a', 'b'], []]);
    expect(kept).toEqual([]);
    await second.stop();
  });
});
