// A sleep that `wake()` cuts short; the background loops (sync scheduler, outbox worker) wait with it.

/** A wake that comes while nobody sleeps makes the next sleep return at once. */
export function wakeableSleep(): { sleep(ms: number): Promise<void>; wake(): void } {
  let cut: (() => void) | null = null;
  let woken = false;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
          clearTimeout(timer);
          cut = null;
          resolve();
        }
        cut = done;
      }),
    wake: () => {
      if (cut) cut();
      else woken = true;
    },
  };
}
