// Per-source brake on sign-in over the browser host: one attempt in flight per source address, and after a
// few wrong PINs a doubling wait before the next one. The core's per-name lockout stays the real limit;
// this makes guessing across many names from one source slow as well.
import { DeskError } from '../../common/contract';

export const FREE_FAILURES = 3;
export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 60_000;

interface SourceState {
  failures: number;
  notBefore: number;
  inFlight: boolean;
}

export class SignInBackoff {
  private readonly sources = new Map<string, SourceState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Throws `rate_limited` when the source must wait; otherwise marks an attempt in flight. */
  begin(source: string): void {
    const state = this.sources.get(source) ?? { failures: 0, notBefore: 0, inFlight: false };
    const now = this.now();
    if (state.inFlight || state.notBefore > now) {
      throw new DeskError('rate_limited', 'Too many sign-in attempts from this source; wait and try again', {
        reason: 'source_backoff',
        retryAfterMs: Math.max(state.notBefore - now, 250),
      });
    }
    state.inFlight = true;
    this.sources.set(source, state);
  }

  /** Ends the attempt: a success forgets the source, a failure may start (or double) its wait. */
  end(source: string, succeeded: boolean): void {
    const state = this.sources.get(source);
    if (!state) return;
    state.inFlight = false;
    if (succeeded) {
      this.sources.delete(source);
      return;
    }
    state.failures += 1;
    if (state.failures > FREE_FAILURES) {
      state.notBefore = this.now() + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (state.failures - FREE_FAILURES - 1));
    }
  }
}
