// Per-core sync state that does not belong in the database: tunables, call counters, online state, running work.
import type { CoreContext } from '../context';
import { PlatformError, type PlatformClient } from '../platform/types';
import { pausedShopIds } from '../shops/manage';

export type SyncCtx = Pick<CoreContext, 'db' | 'clock' | 'logger' | 'events' | 'platform' | 'dataDir'>;

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
  /** Tests swap the platform: clients and the shop list. */
  clientFor?: (shopId: string) => PlatformClient;
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
  calls: Record<string, number>;
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
  online: boolean;
  offlineSince: number | null;
  lastSyncAt: number | null;
  shops: Map<string, ShopRuntime>;
  clients: Map<string, { raw: PlatformClient; counted: PlatformClient }>;
  /** Wakes the outbox worker early (enqueue, retry, reconnection). */
  wake: () => void;
  /** Starts the scheduler's next pass now (a shop was just connected); a no-op while the service is not running. */
  wakeScheduler: () => void;
  /** Set while the core closes: long loops stop between calls. */
  stopping: boolean;
  /** Targeted refreshes started by scan misses, still running (the core waits for them before closing). */
  background: Set<Promise<void>>;
}

/** Thrown out of long sync loops when the core is closing. */
export class SyncStopped extends Error {
  constructor() {
    super('sync stopped: the core is closing');
    this.name = 'SyncStopped';
  }
}

export function checkStopping(ctx: Pick<CoreContext, 'db'>): void {
  if (runtime(ctx).stopping) throw new SyncStopped();
}

const runtimes = new WeakMap<object, Runtime>();

/** The runtime of one core, keyed by its database handle. */
export function runtime(ctx: Pick<CoreContext, 'db'>): Runtime {
  let r = runtimes.get(ctx.db);
  if (!r) {
    r = {
      options: { ...DEFAULT_SYNC_OPTIONS },
      online: true,
      offlineSince: null,
      lastSyncAt: null,
      shops: new Map(),
      clients: new Map(),
      wake: () => {},
      wakeScheduler: () => {},
      stopping: false,
      background: new Set(),
    };
    runtimes.set(ctx.db, r);
  }
  return r;
}

/** Tests and the service tune the engine (tiny delays, fake platform) before they drive it. */
export function configureSync(ctx: Pick<CoreContext, 'db'>, options: Partial<SyncOptions>): SyncOptions {
  const r = runtime(ctx);
  r.options = { ...r.options, ...options };
  r.clients.clear();
  return r.options;
}

export function shopRuntime(ctx: Pick<CoreContext, 'db'>, shopId: string): ShopRuntime {
  const r = runtime(ctx);
  let s = r.shops.get(shopId);
  if (!s) r.shops.set(shopId, (s = { phase: 'idle', calls: {}, running: null, again: false, windowShrunkAt: null, markRepaired: null }));
  return s;
}

/** The shops to sync: every connected shop not paused at this desk, unless a test supplies the list. */
export function syncShopIds(ctx: SyncCtx): string[] {
  const r = runtime(ctx);
  if (r.options.shopIds) return r.options.shopIds();
  const paused = pausedShopIds(ctx);
  return ctx.platform.store
    .list()
    .filter((shop) => shop.status === 'connected' && !paused.has(shop.id))
    .map((shop) => shop.id);
}

/** A network fault says nothing about the platform's opinion; only those flip the desk offline. */
function isOfflineSign(error: unknown): boolean {
  return error instanceof PlatformError && error.kind === 'transient';
}

export function noteResult(ctx: SyncCtx, ok: boolean, error?: unknown): void {
  const r = runtime(ctx);
  if (ok) {
    if (!r.online) {
      r.online = true;
      r.offlineSince = null;
      r.wake();
    }
  } else if (isOfflineSign(error) && r.online) {
    r.online = false;
    r.offlineSince = ctx.clock.now();
  }
}

/** The shop's client wrapped so that every call is counted per method and feeds the online state. */
export function clientFor(ctx: SyncCtx, shopId: string): PlatformClient {
  const r = runtime(ctx);
  const raw = r.options.clientFor ? r.options.clientFor(shopId) : ctx.platform.clientFor(shopId);
  const cached = r.clients.get(shopId);
  if (cached && cached.raw === raw) return cached.counted;
  const shop = shopRuntime(ctx, shopId);
  const wrap =
    <A extends unknown[], T>(name: string, fn: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      shop.calls[name] = (shop.calls[name] ?? 0) + 1;
      try {
        const out = await fn(...args);
        noteResult(ctx, true);
        return out;
      } catch (error) {
        // A refusal is still an answer: the platform is reachable.
        noteResult(ctx, !isOfflineSign(error), error);
        throw error;
      }
    };
  const counted: PlatformClient = {
    listRefunds: wrap('listRefunds', (q) => raw.listRefunds(q)),
    getRefundDetail: wrap('getRefundDetail', (id) => raw.getRefundDetail(id)),
    getOrder: wrap('getOrder', (id) => raw.getOrder(id)),
    getNegotiationHistory: wrap('getNegotiationHistory', (id) => raw.getNegotiationHistory(id)),
    submitReturnWaybill: wrap('submitReturnWaybill', (req) => raw.submitReturnWaybill(req)),
    confirmReceipt: wrap('confirmReceipt', (req) => raw.confirmReceipt(req)),
  };
  r.clients.set(shopId, { raw, counted });
  return counted;
}
