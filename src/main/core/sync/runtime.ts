// Per-core sync state that does not belong in the database (ctx.sync): tunables, per-shop phases, running work.
import type { CoreContext } from '../context/context';
import { configureOutbox, type OutboxOptions } from '../outbox/runtime';
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
  /** Details and orders fetched at a time, in parallel (the shop's pacer still spaces them). */
  fetchConcurrency: number;
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
  fetchConcurrency: 4,
};

/**
 * Which shops this desk pulls from the platform on its own schedule (sync.run and the scheduler). One desk has
 * no gate and pulls every shop; an outer layer sharing one pull between desks (warehouse mode: only the shops
 * this desk leads) answers per shop, and a run in progress stops between platform calls once the answer turns
 * to no. The targeted refresh after a scan miss is not gated: any desk may look for a parcel in hand.
 */
export interface SyncGate {
  pulls(shopId: string): boolean;
}

/** Thrown out of a scheduled pull of a shop this desk no longer pulls (the gate closed mid-run). */
export class SyncGateClosed extends Error {
  constructor(readonly shopId: string) {
    super(`sync of shop ${shopId} stopped: this desk no longer pulls it`);
    this.name = 'SyncGateClosed';
  }
}

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
  /** Which of them this desk pulls itself (CoreOptions.syncGate; every shop without one). */
  gate: SyncGate;
  lastSyncAt: number | null;
  shops: Map<string, ShopRuntime>;
  /** Starts the scheduler's next pass now (a shop was just connected); a no-op while the service is not running. */
  wakeScheduler: () => void;
  /** Makes the scheduler read the shops' intervals again now (one changed); a no-op while the service is not running. */
  reschedule: () => void;
  /** Set while the core closes: long loops stop between calls. */
  stopping: boolean;
  /** Targeted refreshes started by scan misses, still running (the core waits for them before closing). */
  background: Set<Promise<void>>;
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

/** Between the calls of a scheduled pull: the core is not closing and the gate still lets this desk pull the shop. */
export function checkPulling(ctx: Pick<CoreContext, 'sync'>, shopId: string): void {
  checkStopping(ctx);
  if (!ctx.sync.gate.pulls(shopId)) throw new SyncGateClosed(shopId);
}

/** The shops this desk pulls on its own schedule: the shops to sync that the gate lets through. */
export function pulledShopIds(ctx: SyncCtx): string[] {
  return syncShopIds(ctx).filter((shopId) => ctx.sync.gate.pulls(shopId));
}

/** A fresh runtime; createCore puts it on the context. */
export function createSyncRuntime(shopsToSync: () => string[], gate: SyncGate = { pulls: () => true }): Runtime {
  return {
    options: { ...DEFAULT_SYNC_OPTIONS },
    shopsToSync,
    gate,
    lastSyncAt: null,
    shops: new Map(),
    wakeScheduler: () => {},
    reschedule: () => {},
    background: new Set(),
    stopping: false,
  };
}

/** The runtime of one core. */
export function runtime(ctx: Pick<CoreContext, 'sync'>): Runtime {
  return ctx.sync;
}

/**
 * Tests and the service tune the engine (tiny delays) before they drive it: the outbox worker's tunables go to
 * ctx.outbox (fetchConcurrency sizes both), and `clientFor` puts a fake platform behind ctx.platform.
 */
export function configureSync(
  ctx: Pick<CoreContext, 'sync' | 'outbox' | 'platform'>,
  options: Partial<SyncOptions> & Partial<OutboxOptions> & { clientFor?: (shopId: string) => PlatformClient },
): SyncOptions {
  const { clientFor, retryBaseMs, retryMaxMs, recheckDelayMs, maxVersionRetries, workerIdleMs, random, concurrency, ...tunables } = options;
  if (clientFor) ctx.platform.replaceClients(clientFor);
  const outbox = { retryBaseMs, retryMaxMs, recheckDelayMs, maxVersionRetries, workerIdleMs, random, concurrency };
  if (tunables.fetchConcurrency !== undefined) outbox.concurrency ??= tunables.fetchConcurrency;
  configureOutbox(ctx, Object.fromEntries(Object.entries(outbox).filter(([, value]) => value !== undefined)));
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
