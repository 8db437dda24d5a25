// The Kuaishou simulator: a real HTTP server speaking the platform protocol (docs/platform.md), for tests and the demo shop.
import { AuthStore } from './auth';
import { BuyerClock } from './buyer';
import { createControl, type SimulatorControl } from './control';
import { DAY } from './generator';
import { FaultDice, validateFaults, type FaultConfig } from './faults';
import { loadState, saveState, type SimState } from './persist';
import { seedOf } from './prng';
import { QpsLimiter } from './qps';
import { DailyQuota, validateQuota } from './quota';
import { buildServer } from './server';
import { Shop } from './shop';
import { validateVariants, type WireVariants } from './variants';
import { World } from './world';

export type { FaultConfig } from './faults';
export type { SimulatorControl, SimulatorStats, AfterSaleSpec, AfterSaleState, OrderState } from './control';
export type { BuyerEvent, BuyerEventKind } from './buyer';
export type { AppliedWrite } from './shop';
export type { WireVariants } from './variants';
export type { AfterSale, Order, Waybill, ReturnFreightInfo, HistoryEntry } from './model';
export { ROLE } from './model';
export { parseFaults } from './faults';
export { computeSign, signString, type SignMethod } from './signing';

export interface SimCredentials {
  appKey: string;
  appSecret: string;
  signSecret: string;
  accessToken: string;
  refreshToken: string;
}

export interface SimulatorOptions {
  port?: number; // 0 = random
  seed?: string | number; // world generator seed
  afterSales?: number; // how many after-sales to generate over the last 90 days
  credentials?: Partial<SimCredentials>;
  now?: () => number; // clock; default Date.now
  maxWindowMs?: number; // list window limit, default 1 day (shrink to simulate promotions)
  qpsPerApi?: number; // per-API QPS limit, default 100
  /** Calls per API per platform day (Beijing time) before `[1017] exceed quota limit`; default null = unlimited. */
  dailyQuota?: number | null;
  faults?: FaultConfig;
  /** How answers spell what the public sources disagree on (end cursor, empty data, no-claim freight); default as documented. */
  variants?: WireVariants;
  buyerBehaviour?: { intervalMs: number } | false; // the buyer clock; default off
  statePath?: string; // optional: persist the world (after-sales, writes, tokens) so a restart keeps it
  /** How long a confirmed refund stays in 50 before it turns 60 (simulator ms); default 3000. */
  settleDelayMs?: number;
}

export interface RunningSimulator {
  baseUrl: string; // e.g. http://127.0.0.1:PORT  (client appends /open/seller/... and /oauth2/...)
  credentials: SimCredentials;
  control: SimulatorControl;
  close(): Promise<void>;
}

export const DEFAULT_CREDENTIALS: SimCredentials = {
  appKey: 'ks_sim_app_0001',
  appSecret: 'sim-app-secret-0001',
  signSecret: 'sim-sign-secret-0001',
  accessToken: 'ChFvYXV0aC5hY2Nlc3NUb2tlbhsim-access-0001',
  refreshToken: 'ChJvYXV0aC5yZWZyZXNoVG9rZW4sim-refresh-0001',
};

export const DEFAULT_SEED = 'returndesk-demo';
export const DEFAULT_AFTER_SALES = 2000;

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const now = options.now ?? Date.now;
  const seedText = String(options.seed ?? DEFAULT_SEED);
  const count = options.afterSales ?? DEFAULT_AFTER_SALES;
  if (!Number.isInteger(count) || count < 0 || count > 5_000_000) throw new Error(`afterSales must be 0..5000000, got ${count}`);
  const credentials: SimCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const faults = new FaultDice(validateFaults({ ...options.faults }));
  const qps = new QpsLimiter(options.qpsPerApi ?? 100);
  const quota = new DailyQuota(validateQuota(options.dailyQuota));
  const maxWindow = { ms: options.maxWindowMs ?? DAY };
  const variants = { current: validateVariants(options.variants) };

  const saved = options.statePath ? loadState(options.statePath) : null;
  const usable = saved && saved.seed === seedText && saved.afterSales === count ? saved : null;
  const seed = seedOf(seedText);
  const world = new World(seed, count, usable?.anchor ?? now());
  if (usable) world.restore(usable.world);

  let dirty = false;
  let saveTimer: NodeJS.Timeout | null = null;
  const persist = () => {
    if (!options.statePath) return;
    dirty = false;
    const state: SimState = {
      version: 2,
      seed: seedText,
      afterSales: count,
      anchor: world.gen.anchor,
      buyerSteps: buyer.steps,
      world: world.snapshot(),
      auth: auth.snapshot(),
      writes: shop.writes,
    };
    saveState(options.statePath, state);
  };
  const changed = () => {
    if (!options.statePath) return;
    dirty = true;
    if (!saveTimer) {
      saveTimer = setTimeout(() => {
        saveTimer = null;
        if (dirty) persist();
      }, 200);
      saveTimer.unref();
    }
  };

  const shop = new Shop(world, seed, now, options.settleDelayMs ?? 3000, changed);
  if (usable) shop.writes.push(...usable.writes);
  const auth = new AuthStore(credentials.accessToken, credentials.refreshToken, now());
  if (usable) auth.restore(usable.auth);
  const buyer = new BuyerClock(shop);
  if (usable) buyer.steps = usable.buyerSteps;
  const calls = new Map<string, number>();

  const { app, destroyHung } = await buildServer({
    shop,
    auth,
    faults,
    qps,
    quota,
    now,
    credentials,
    openId: `f19${seed.toString(16).padStart(8, '0')}merchant`,
    maxWindowMs: () => maxWindow.ms,
    variants: () => variants.current,
    calls,
    onAuthChange: changed,
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('simulator did not bind a TCP port');

  let timer: NodeJS.Timeout | null = null;
  if (options.buyerBehaviour && options.buyerBehaviour.intervalMs > 0) {
    timer = setInterval(() => {
      buyer.advance();
      changed();
    }, options.buyerBehaviour.intervalMs);
    timer.unref();
  }

  const control = createControl({ shop, auth, faults, qps, quota, buyer, now, calls, maxWindow, variants, changed });
  let closed = false;
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    credentials,
    control,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      if (saveTimer) clearTimeout(saveTimer);
      destroyHung();
      await app.close();
      if (options.statePath) persist();
    },
  };
}
