// Per-shop call pacing: evenly spaced slots at a configured QPS, plus a shared pause after rate-limit answers.
// Hand-written rather than a library: none of the installed packages is a rate limiter (p-limit only caps
// concurrency), the logic is a dozen lines, and an injectable clock/sleep keeps it testable without wall time.

export interface PacerTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: PacerTime = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PacerOptions {
  /** Calls per second for the whole shop; default 5 (the platform allows 100 per API per app). */
  qps?: number;
  /** First pause after a rate-limit answer; doubles per consecutive one up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  time?: PacerTime;
}

export class Pacer {
  readonly qps: number;
  private readonly interval: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly time: PacerTime;
  private nextSlot = -Infinity;
  private strikes = 0;

  constructor(options: PacerOptions = {}) {
    this.qps = options.qps ?? 5;
    if (!(this.qps > 0)) throw new RangeError('qps must be positive');
    this.interval = 1000 / this.qps;
    this.backoffMs = options.backoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.time = options.time ?? realTime;
  }

  /** Waits for this call's slot. Slots are reserved synchronously, so concurrent callers queue in order. */
  async acquire(): Promise<void> {
    const now = this.time.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.interval;
    if (slot > now) await this.time.sleep(slot - now);
  }

  /** The platform said "too many calls": every call of the shop waits, longer each time in a row. */
  rateLimited(): number {
    const pause = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** this.strikes);
    this.strikes += 1;
    this.nextSlot = Math.max(this.nextSlot, this.time.now() + pause);
    return pause;
  }

  succeeded(): void {
    this.strikes = 0;
  }

  sleep(ms: number): Promise<void> {
    return this.time.sleep(ms);
  }
}
