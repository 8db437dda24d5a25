// Call pacing per API (the platform limits each API separately): evenly spaced slots a safety margin under the
// published limit, interactive calls (scan refresh, uploads, confirms) served ahead of the backfill's queue, and
// a pause of one API after a rate-limit answer. Hand-written rather than a library: none of the installed packages
// is a rate limiter with priorities (p-limit only caps concurrency), and an injectable clock keeps it testable.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PLATFORM_CALLS_PER_SECOND_LIMIT } from '../../../common/contract/shop-sync';

export interface PacerTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: PacerTime = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The platform's published default: 100 calls per second per API per app. */
export const PUBLISHED_LIMIT_PER_API = PLATFORM_CALLS_PER_SECOND_LIMIT;
/** Share of the published limit left unused: the platform's own global throttling can bite below it. */
export const DEFAULT_SAFETY_MARGIN = 0.2;

export interface PacerOptions {
  /** Published calls per second per API (default 100); `limits` overrides it for single APIs. */
  limitPerApi?: number;
  limits?: Record<string, number>;
  /** Fraction of each limit kept free, 0 ≤ m < 1 (default 0.2: 80 calls/s per API). */
  safetyMargin?: number;
  /** Calls per second per API as used, margin already applied (tests and benchmarks); overrides the above. */
  qps?: number;
  /** First pause of an API after a rate-limit answer; doubles per consecutive one up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  time?: PacerTime;
}

export type CallPriority = 'interactive' | 'background';

const priorityScope = new AsyncLocalStorage<CallPriority>();

/** Runs `work` with every platform call it makes (however deep) served as interactive by the pacer. */
export function interactive<T>(work: () => Promise<T>): Promise<T> {
  return priorityScope.run('interactive', work);
}

interface Waiter {
  priority: CallPriority;
  go: () => void;
}

interface Lane {
  interval: number;
  nextSlot: number;
  heldUntil: number;
  strikes: number;
  waiting: Waiter[];
  sleeping: boolean;
  /** Counts the lane's sleeps: a sleep overtaken by a new pace (`setRate`) finds itself stale and does nothing. */
  sleeps: number;
}

export class Pacer {
  private readonly lanes = new Map<string, Lane>();
  /** The shop's own pacing from the back office (calls/s per API); null: the options above decide. */
  private chosenRate: number | null = null;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly time: PacerTime;

  constructor(private readonly options: PacerOptions = {}) {
    const margin = options.safetyMargin ?? DEFAULT_SAFETY_MARGIN;
    if (!(margin >= 0 && margin < 1)) throw new RangeError('safetyMargin must be in [0, 1)');
    for (const rate of [options.qps, options.limitPerApi, ...Object.values(options.limits ?? {})]) {
      if (rate !== undefined && !(rate > 0)) throw new RangeError('rates must be positive');
    }
    this.backoffMs = options.backoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.time = options.time ?? realTime;
  }

  /** Calls per second this pacer allows one API. */
  rateOf(api: string): number {
    const o = this.options;
    const published = o.limits?.[api] ?? o.limitPerApi ?? PUBLISHED_LIMIT_PER_API;
    // A rate the manager chose is used as chosen, but never above the API's own published limit.
    if (this.chosenRate !== null) return Math.min(this.chosenRate, published);
    if (o.qps !== undefined) return o.qps;
    return published * (1 - (o.safetyMargin ?? DEFAULT_SAFETY_MARGIN));
  }

  /**
   * Sets (null: clears) the rate every API of this pacer runs at, live: each lane's spacing changes from its next
   * slot on, so a slower pace never lets a burst through and a faster one does not wait out the old spacing.
   */
  setRate(callsPerSecond: number | null): void {
    if (callsPerSecond !== null && !(Number.isFinite(callsPerSecond) && callsPerSecond > 0)) {
      throw new RangeError('a pacing rate must be a positive number of calls per second');
    }
    this.chosenRate = callsPerSecond;
    for (const [api, lane] of this.lanes) {
      const interval = 1000 / this.rateOf(api);
      if (Number.isFinite(lane.nextSlot)) lane.nextSlot += interval - lane.interval;
      lane.interval = interval;
      if (lane.sleeping) {
        // The lane sleeps toward a slot of the old pace: start over toward the new one.
        lane.sleeps += 1;
        lane.sleeping = false;
        this.pump(lane);
      }
    }
  }

  private lane(api: string): Lane {
    let lane = this.lanes.get(api);
    if (!lane) {
      lane = {
        interval: 1000 / this.rateOf(api),
        nextSlot: -Infinity,
        heldUntil: -Infinity,
        strikes: 0,
        waiting: [],
        sleeping: false,
        sleeps: 0,
      };
      this.lanes.set(api, lane);
    }
    return lane;
  }

  /**
   * Waits for this call's slot on its API. Interactive calls (explicitly, or inside `interactive()`) go ahead of
   * every background call still waiting, so a scan's refresh never queues behind a backfill.
   */
  acquire(api: string, priority?: CallPriority): Promise<void> {
    const lane = this.lane(api);
    const resolved = priority ?? priorityScope.getStore() ?? 'background';
    return new Promise<void>((go) => {
      const waiter = { priority: resolved, go };
      const firstBackground = resolved === 'interactive' ? lane.waiting.findIndex((w) => w.priority === 'background') : -1;
      if (firstBackground >= 0) lane.waiting.splice(firstBackground, 0, waiter);
      else lane.waiting.push(waiter);
      this.pump(lane);
    });
  }

  private pump(lane: Lane): void {
    while (!lane.sleeping && lane.waiting.length > 0) {
      const now = this.time.now();
      const at = Math.max(lane.nextSlot, lane.heldUntil);
      if (at > now) {
        lane.sleeping = true;
        const sleep = ++lane.sleeps;
        void this.time.sleep(at - now).then(() => {
          if (sleep !== lane.sleeps) return;
          lane.sleeping = false;
          this.pump(lane);
        });
        return;
      }
      lane.nextSlot = Math.max(now, lane.nextSlot) + lane.interval;
      lane.waiting.shift()!.go();
    }
  }

  /** Waiting calls per API (interactive first), for status and tests. */
  waiting(api: string): CallPriority[] {
    return this.lanes.get(api)?.waiting.map((w) => w.priority) ?? [];
  }

  /** The platform said "too many calls" for this API: its calls wait, longer each time in a row. */
  rateLimited(api: string): number {
    const lane = this.lane(api);
    const pause = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** lane.strikes);
    lane.strikes += 1;
    lane.heldUntil = Math.max(lane.heldUntil, this.time.now() + pause);
    return pause;
  }

  succeeded(api: string): void {
    const lane = this.lanes.get(api);
    if (lane) lane.strikes = 0;
  }

  sleep(ms: number): Promise<void> {
    return this.time.sleep(ms);
  }
}
