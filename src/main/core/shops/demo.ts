// The demo shop: a simulator the entry point provides, on 127.0.0.1, reached through the real client like any shop.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { CoreContext } from '../context/context';
import type { Logger } from '../log/logger';
import type { BackgroundService } from '../context/services';
import { DeskError } from '../../../common/contract/errors';
import type { GrantedTokens, TokenState } from '../platform/oauth';
import { verifyConnection } from './connect';
import type { ShopRecord } from './store';

/** What the demo shop needs of the simulator (src/main/sim/demo.ts starts one); the entry points inject it. */
export interface DemoSimulator {
  baseUrl: string;
  credentials: { appKey: string; appSecret: string; signSecret: string; accessToken: string; refreshToken: string };
  close(): Promise<void>;
}

export interface DemoSimulatorOptions {
  seed: number;
  statePath: string;
  host: string;
  port: number;
}

export type DemoSimulatorStarter = (options: DemoSimulatorOptions) => Promise<DemoSimulator>;

export const DEMO_STATE_FILE = 'demo-shop-simulator.json';
export const DEMO_SHOP_NAME = '演示店铺 (模拟)';

/**
 * ctx.demoShop: the simulator starter the entry point gave (the core never imports the simulator), the one start
 * in progress, and the running simulator, closed with the core.
 */
export class DemoShop {
  running: Promise<ShopRecord> | null = null;
  private closers: (() => Promise<void>)[] = [];

  constructor(readonly start: DemoSimulatorStarter | null) {}

  onClose(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  async close(logger: Pick<Logger, 'warn'>): Promise<void> {
    for (const closer of this.closers.splice(0).reverse()) {
      await closer().catch((error: unknown) => logger.warn('demo simulator close failed', { error }));
    }
  }
}

declare module '../context/context' {
  interface CoreContext {
    /** The built-in demo shop's simulator, as injected by the entry point (none: the demo shop is unavailable). */
    demoShop: DemoShop;
  }
}

type Ctx = Pick<CoreContext, 'platform' | 'shops' | 'demoShop' | 'clock' | 'logger' | 'dataDir'>;

/** Starts (or reuses) the demo simulator and (re)connects the demo shop to it through the real client. */
export function ensureDemoShop(ctx: Ctx): Promise<ShopRecord> {
  const demo = ctx.demoShop;
  if (!demo.running) {
    const started = startDemo(ctx);
    demo.running = started;
    started.catch(() => {
      if (demo.running === started) demo.running = null;
    });
  }
  return demo.running;
}

async function startDemo(ctx: Ctx): Promise<ShopRecord> {
  const store = ctx.shops;
  const starter = ctx.demoShop.start;
  if (!starter) throw new DeskError('platform_unavailable', 'This host was started without the demo shop simulator');
  const existing = store.demo();
  const seed = existing?.demoSeed ?? randomInt(1, 2 ** 31 - 1);
  const sim = await starter({ seed, statePath: path.join(ctx.dataDir, DEMO_STATE_FILE), host: '127.0.0.1', port: 0 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await sim.close();
  };
  ctx.demoShop.onClose(close);
  try {
    const { credentials } = sim;
    const connection = (
      tokens: Pick<GrantedTokens, 'accessToken' | 'refreshToken' | 'accessTokenExpiresAt' | 'refreshTokenExpiresAt'>,
    ) => ({
      baseUrl: sim.baseUrl,
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      signSecret: credentials.signSecret,
      signMethod: 'HMAC_SHA256' as const,
      tokens: { ...tokens, openId: null, scopes: [] },
    });
    const fresh = {
      accessToken: credentials.accessToken,
      refreshToken: credentials.refreshToken,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
    };
    let tokens: GrantedTokens;
    const stored = existing ? storedTokens(ctx, existing) : null;
    if (stored) {
      // The simulator's state file remembers the tokens this desk rotated: keep using ours. If that state
      // was lost (a new world), ours mean nothing to it and its initial credentials apply again.
      // A rotation here spends the stored refresh token, so the new pair is persisted before it is used.
      const persist = (rotated: GrantedTokens) => store.saveTokens(existing!.id, rotated);
      tokens = await verifyConnection(ctx, connection(stored), existing!.id, persist).catch((error: unknown) => {
        if (error instanceof DeskError && error.code === 'needs_reauthorization')
          return verifyConnection(ctx, connection(fresh), existing!.id);
        throw error;
      });
    } else {
      tokens = await verifyConnection(ctx, connection(fresh), existing?.id);
    }
    // The port is new on every start, and the simulator's state file is the truth about its tokens.
    const saved = store.save({
      id: existing?.id,
      name: existing?.name ?? DEMO_SHOP_NAME,
      baseUrl: sim.baseUrl,
      appKey: credentials.appKey,
      signMethod: 'HMAC_SHA256',
      authMode: 'oauth',
      isDemo: true,
      demoSeed: seed,
      secrets: {
        appSecret: credentials.appSecret,
        signSecret: credentials.signSecret,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
      },
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
    });
    ctx.platform.forget(saved.id);
    ctx.logger.info('demo shop simulator started', { shopId: saved.id, baseUrl: sim.baseUrl });
    return saved;
  } catch (error) {
    await close();
    throw error;
  }
}

function storedTokens(ctx: Ctx, shop: ShopRecord): TokenState | null {
  try {
    const secrets = ctx.shops.readSecrets(shop.id);
    return {
      accessToken: secrets.accessToken,
      refreshToken: secrets.refreshToken,
      accessTokenExpiresAt: shop.accessTokenExpiresAt,
      refreshTokenExpiresAt: shop.refreshTokenExpiresAt,
    };
  } catch (error) {
    ctx.logger.warn('demo shop secrets unreadable; starting from the simulator credentials', { error });
    return null;
  }
}

/** At start-up, an existing demo shop gets its simulator back (on a new port). */
export const demoShopService: BackgroundService = (ctx) => {
  const pending = ctx.shops.demo()
    ? ensureDemoShop(ctx).catch((error: unknown) => {
        ctx.logger.warn('demo shop simulator could not be restarted', { error });
        return null;
      })
    : Promise.resolve(null);
  return {
    // The simulator itself is closed with the core (ctx.demoShop), after every service has stopped.
    stop: async () => {
      await pending;
    },
  };
};
