// Quitting waits for the core: in-flight uploads finish or are recorded, and SQLite checkpoints its WAL.
import type { App } from 'electron';

/**
 * `will-quit` does not wait for promises, so the first one is held back (preventDefault) until `close()` has
 * settled, then the app quits again for real. A failing close is logged and does not keep the app alive.
 */
export function holdQuitUntilClosed(
  app: Pick<App, 'on' | 'quit'>,
  close: () => Promise<void> | undefined,
  onError: (error: unknown) => void,
): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void Promise.resolve()
      .then(close)
      .catch(onError)
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}
