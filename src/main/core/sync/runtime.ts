// Per-core sync state that does not belong in the database (ctx.sync): tunables, per-shop phases, running work.
import type { CoreContext } from '../context/context';
import type { PlatformClient } from '../platform/types';

export type SyncCtx = Pick<CoreContext, 'db' | 'clock' | 'logger' | 'events' | 'platform' | 'sync' | 'dataDir'>;

export interface SyncOptions {
  /** List page size (the platform allows up to 100). */
  pageSize: number;
  /** How far before the high-water mark each incremental run starts again (late writes, clock skew). */
  overlapMs: number;
  /** How far back a first connect backfills; a little under the platform's 90 days so the oldest window stays legal. */
  horizonMs: number;
  /** Largest list window; the platform allows 1 day and may say less. */
  maxWindowMs: number;
  /** Smallest window a shrink may reach. */
  minWindowMs: number;
  /** A shrunk window doubles again (up to the largest) once this long has passed without a refusal: promotions end. */
  windowRegrowMs: number;
  /** How far back a targeted refresh (scan miss) looks. */
  targetedLookbackMs: number;
  /** Outbox retry backoff: base and cap of the exponential, with full jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Re-read delay after an ambiguous write, so a request still travelling lands before we look. */
  recheckDelayMs: number;
  /** A version conflict that stays applicable after a re-read is retried this often before it becomes a conflict. */
  maxVersionRetries: number;
  /** Details and orders fetched at a time, in parallel (the shop's pacer still spaces them). */
  fetchConcurrency: number;
  /** Upper bound of the outbox worker's idle sleep (it is also woken on every enqueue). */
  workerIdleMs: number;
  random: () => number;
  /** Tests supply the shop list. */
  shopIds?: () => string[];
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  pageSize: 100,
  overlapMs: 2 * 60_000,
  horizonMs: 90 * 86_400_000 - 10 * 60_000,
  maxWindowMs: 86_400_000,
  minWindowMs: 60_000,
  windowRegrowMs: 3_600_000,
  targetedLookbackMs: 10 * 60_000,
  retryBaseMs: 2_000,
  retryMaxMs: 5 * 60_000,
  recheckDelayMs: 1_000,
  maxVersionRetries: 3,
  fetchConcurrency: 4,
  workerIdleMs: 1_000,
  random: Math.random,
};

export interface ShopRuntime {
  phase: 'idle' | 'backfill' | 'incremental' | 'targeted' | 'paused';
  running: Promise<void> | null;
  /** Asked for while running: one more run follows. */
  again: boolean;
  /** When the platform last refused a window as too large (null: not since start-up). */
  windowShrunkAt: number | null;
  /** The last repair of a high-water mark found in the future, for sync.status. */
  markRepaired: { from: number; to: number; at: number } | null;
}

export interface Runtime {
  options: SyncOptions;
  /** The shops the scheduler syncs, as the composition reads them from the shops table. */
  shopsToSync: () => string[];
  lastSyncAt: number | null;
  shops: Map<string, ShopRuntime>;
  /** Wakes the outbox worker early (enqueue, retry, reconnection). */
  wake: () => void;
  /** Starts the scheduler's next pass now (a shop was just connected); a no-op while the service is not running. */
  wakeScheduler: () => void;
  /** Details being fetched right now, so a targeted refresh and a sync do not read the same one twice. */
  detailsInFlight: Map<string, Promise<void>>;
  /** Set while the core closes: long loops stop between calls. */
  stopping: boolean;
}

declare module '../context/context' {
  interface CoreContext {
    /** The sync's state that does not belong in the database; created by createCore. */
    sync: Runtime;
  }
}

/** Thrown out of long sync loops when the core is closing. */
export class SyncStopped extends Error {
  constructor() {
    super('sync stopped: the core is closing');
    this.name = 'SyncStopped';
  }
}

export function checkStopping(ctx: Pick<CoreContext, 'sync'>): void {
  if (ctx.sync.stopping) throw new SyncStopped();
}

/** A fresh runtime; createCore puts it on the context. */
export function createSyncRuntime(shopsToSync: () => string[]): Runtime {
  return {
    options: { ...DEFAULT_SYNC_OPTIONS },
    shopsToSync,
    lastSyncAt: null,
    shops: new Map(),
    wake: () => {},
    wakeScheduler: () => {},
    detailsInFlight: new Map(),
    stopping: false,
  };
}

/** The runtime of one core. */
export function runtime(ctx: Pick<CoreContext, 'sync'>): Runtime {
  return ctx.sync;
}

/**
 * Tests and the service tune the engine (tiny delays) before they drive it; `clientFor` puts a fake platform
 * behind ctx.platform (the outbox and the history read through it too).
 */
export function configureSync(
  ctx: Pick<CoreContext, 'sync' | 'platform'>,
  options: Partial<SyncOptions> & { clientFor?: (shopId: string) => PlatformClient },
): SyncOptions {
  const { clientFor, ...tunables } = options;
  if (clientFor) ctx.platform.replaceClients(clientFor);
  ctx.sync.options = { ...ctx.sync.options, ...tunables };
  return ctx.sync.options;
}

export function shopRuntime(ctx: Pick<CoreContext, 'sync'>, shopId: string): ShopRuntime {
  const r = ctx.sync;
  let s = r.shops.get(shopId);
  if (!s) r.shops.set(shopId, (s = { phase: 'idle', running: null, again: false, windowShrunkAt: null, markRepaired: null }));
  return s;
}

/** The shops to sync: what createCore's `shopsToSync` answers (connected, not paused), unless a test supplies the list. */
export function syncShopIds(ctx: SyncCtx): string[] {
  const r = runtime(ctx);
  return r.options.shopIds ? r.options.shopIds() : r.shopsToSync();
}

/** The shop's client; every call is counted and feeds the online state (ctx.platform.health). */
export function clientFor(ctx: SyncCtx, shopId: string): PlatformClient {
  return ctx.platform.clientFor(shopId);
}
