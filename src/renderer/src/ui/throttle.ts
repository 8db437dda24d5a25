// Runs a task at most once per interval however often it is asked: the first ask runs at once, asks during the
// interval fold into one run at its end (so the last change is always shown).
export interface Throttled {
  (): void;
  cancel(): void;
}

export function throttle(task: () => void, intervalMs: number, now: () => number = Date.now): Throttled {
  let lastRun = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    lastRun = now();
    task();
  };
  const throttled = (() => {
    if (timer) return;
    const wait = lastRun + intervalMs - now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  }) as Throttled;
  throttled.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
