// The status bar's refresh throttle: at once the first time, then at most once per interval, never dropping the last ask.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from '../../../src/renderer/src/ui/throttle';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first ask at once and folds a burst into one run at the end of the interval', () => {
    let runs = 0;
    const ask = throttle(() => runs++, 2000);
    ask();
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(30);
      ask();
    }
    expect(runs).toBe(1);
    vi.advanceTimersByTime(2000 - 50 * 30);
    expect(runs).toBe(2);
    vi.advanceTimersByTime(10_000);
    expect(runs).toBe(2); // no ask since: nothing more
  });

  it('runs at once again after a quiet interval, and cancel drops a pending run', () => {
    let runs = 0;
    const ask = throttle(() => runs++, 2000);
    ask();
    vi.advanceTimersByTime(2500);
    ask();
    expect(runs).toBe(2);
    ask();
    ask.cancel();
    vi.advanceTimersByTime(5000);
    expect(runs).toBe(2);
  });
});
