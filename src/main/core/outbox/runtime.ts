// ctx.outbox: the worker's tunables, the port through which it reaches the platform and the cache, and its wake-up.
import type { CoreContext } from '../context/context';
import type { PlatformClient, RefundDetail } from '../platform/types';
import type { OutboxRow } from './store';

/**
 * What the outbox needs from outside itself, given by createCore: the platform's clients, and the after-sale
 * cache (re-reads land there; a conflict records the fresh view).
 */
export interface OutboxPort {
  /** The shop's client (counted, feeding the online state). */
  clientFor(shopId: string): PlatformClient;
  /** A detail read by the worker goes into the cache like any other. */
  applyDetail(shopId: string, detail: RefundDetail): void;
  /** The after-sale's status in the cache, sent as the expected status of a confirm. */
  cachedStatus(refundId: string): number | undefined;
  /** The desk's view of the after-sale now, recorded with a conflict. */
  view(refundId: string): unknown;
}

/**
 * A shared outbox several desks send from (warehouse mode), given by an outer layer; the core knows nothing of
 * where it lives. With a delegate the worker hands every due row made here to it, and sends the rows it claims.
 */
export interface OutboxDelegate {
  /**
   * A due local row: push it to the shared outbox and mark it delegated (store/delegated.ts), or record why not
   * (a conflict, or held for later). True when the delegate dealt with it; false leaves it to the local worker.
   */
  handOff(row: OutboxRow): Promise<boolean>;
  /** Rows claimed in the shared outbox for this desk to send now, each ready as a local row (readyDelegated). */
  claim(limit: number): Promise<OutboxRow[]>;
  /** Runs `send` (the worker's usual re-read-before-resend and send) for a claimed row and records its outcome there. */
  run(row: OutboxRow, send: () => Promise<boolean>): Promise<void>;
}

export interface OutboxOptions {
  /** Retry backoff: base and cap of the exponential, with full jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Re-read delay after an ambiguous write, so a request still travelling lands before we look. */
  recheckDelayMs: number;
  /** A version conflict that stays applicable after a re-read is retried this often before it becomes a conflict. */
  maxVersionRetries: number;
  /** Rows of different after-sales sent side by side. */
  concurrency: number;
  /** Upper bound of the worker's idle sleep (it is also woken on every enqueue). */
  workerIdleMs: number;
  random: () => number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  retryBaseMs: 2_000,
  retryMaxMs: 5 * 60_000,
  recheckDelayMs: 1_000,
  maxVersionRetries: 3,
  concurrency: 4,
  workerIdleMs: 1_000,
  random: Math.random,
};

export interface OutboxRuntime {
  options: OutboxOptions;
  port: OutboxPort;
  /** Wakes the worker early (enqueue, retry, the platform answering again); a no-op while it is not running. */
  wake: () => void;
  /** Set while the core closes: the worker stops between rows. */
  stopping: boolean;
  /** Warehouse mode: the shared outbox the worker hands rows to and claims rows from; null at a lone desk. */
  delegate: OutboxDelegate | null;
}

declare module '../context/context' {
  interface CoreContext {
    /** The outbox worker's state; created by createCore. */
    outbox: OutboxRuntime;
  }
}

export function createOutboxRuntime(port: OutboxPort): OutboxRuntime {
  return { options: { ...DEFAULT_OUTBOX_OPTIONS }, port, wake: () => {}, stopping: false, delegate: null };
}

/** Tests tune the worker (tiny delays) before they drive it. */
export function configureOutbox(ctx: Pick<CoreContext, 'outbox'>, options: Partial<OutboxOptions>): OutboxOptions {
  ctx.outbox.options = { ...ctx.outbox.options, ...options };
  return ctx.outbox.options;
}
