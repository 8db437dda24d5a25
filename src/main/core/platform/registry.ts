// ctx.platform: one cached PlatformClient per shop, built from the shops table, sharing the shop's pacer.
import type { Clock } from '../clock';
import type { Logger } from '../log/logger';
import type { DemoSimulatorStarter } from '../shops/demo';
import type { ShopStore } from '../shops/store';
import { AuthSession, type AuthStore } from './auth';
import { KuaishouClient } from './client';
import { axiosTransport, type HttpTransport } from './http';
import type { TokenState } from './oauth';
import { Pacer, type PacerTime } from './pacer';
import type { SignMethod } from './sign';
import { PlatformError, type PlatformClient } from './types';

/** Tunables of the platform client; CoreOptions.platform sets them (tests shrink the times). */
export interface PlatformSettings {
  /** Published calls per second per API (default 100) and per-API exceptions, keyed by method name. */
  limitPerApi?: number;
  apiLimits?: Record<string, number>;
  /** Share of each limit left unused (default 0.2: 80 calls/s per API). */
  safetyMargin?: number;
  /** Calls per second per API as used, margin included; overrides the three above (tests). */
  qps?: number;
  /** Deadline of one HTTP exchange in ms; default 15000. */
  timeoutMs?: number;
  /** Attempts of a read over transient faults and QPS answers; default 3. */
  readAttempts?: number;
  retryBaseMs?: number;
  /** First pause of the whole shop after a QPS answer; default 1000 ms, doubling up to 30 s. */
  rateLimitBackoffMs?: number;
  /** Refresh an OAuth token this long before it expires; default 30 minutes. */
  refreshMarginMs?: number;
  transport?: HttpTransport;
  pacerTime?: PacerTime;
  /** How the demo shop starts its simulator; default: startSimulator of src/main/sim. */
  startDemoSimulator?: DemoSimulatorStarter;
}

/** Everything needed to build a client outside the shops table (connect verification). */
export interface ClientConfig {
  shopId?: string;
  baseUrl: string;
  appKey: string;
  appSecret: string | null;
  signSecret: string;
  signMethod: SignMethod;
  tokens: TokenState;
  needsReauthorization: boolean;
  store: AuthStore;
}

export class PlatformRegistry {
  private readonly clients = new Map<string, KuaishouClient>();
  private readonly pacers = new Map<string, Pacer>();
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(
    readonly store: ShopStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly settings: PlatformSettings = {},
  ) {}

  /** The client of a shop, cached; fails with auth_revoked at call time when the shop needs re-authorization. */
  clientFor(shopId: string): PlatformClient {
    const cached = this.clients.get(shopId);
    if (cached) return cached;
    const shop = this.store.get(shopId);
    if (!shop) throw new PlatformError({ kind: 'not_found', message: `No shop with id ${shopId.slice(0, 60)}` });
    // Disconnected at the desk: nothing goes out (queued work waits, untouched, for the shop to be authorized again).
    if (shop.status === 'disconnected') {
      throw new PlatformError({ kind: 'auth_revoked', message: `Shop ${shopId.slice(0, 60)} is disconnected at this desk` });
    }
    let secrets: ReturnType<ShopStore['readSecrets']>;
    try {
      secrets = this.store.readSecrets(shopId);
    } catch (error) {
      // A refused key file or damaged secret: say so in the platform's typed terms, never with the values.
      throw new PlatformError({
        kind: 'unknown',
        message: `The secrets of shop ${shopId.slice(0, 60)} cannot be opened: ${(error as Error).message}`,
      });
    }
    const client = this.build({
      shopId,
      baseUrl: shop.baseUrl,
      appKey: shop.appKey,
      appSecret: secrets.appSecret,
      signSecret: secrets.signSecret,
      signMethod: shop.signMethod,
      tokens: {
        accessToken: secrets.accessToken,
        accessTokenExpiresAt: shop.accessTokenExpiresAt,
        refreshToken: secrets.refreshToken,
        refreshTokenExpiresAt: shop.refreshTokenExpiresAt,
      },
      needsReauthorization: shop.status === 'needs_reauthorization',
      store: {
        saveTokens: (tokens) => this.store.saveTokens(shopId, tokens),
        markNeedsReauthorization: (reason) => this.store.setStatus(shopId, 'needs_reauthorization', reason),
      },
    });
    this.clients.set(shopId, client);
    return client;
  }

  /** Drops the cached client (after a reconnect or a base URL change); the shop's pacer stays. */
  forget(shopId: string): void {
    this.clients.delete(shopId);
  }

  pacerFor(shopId: string | undefined): Pacer {
    const s = this.settings;
    const make = () =>
      new Pacer({
        qps: s.qps,
        limitPerApi: s.limitPerApi,
        limits: s.apiLimits,
        safetyMargin: s.safetyMargin,
        backoffMs: s.rateLimitBackoffMs,
        time: s.pacerTime,
      });
    if (shopId === undefined) return make();
    let pacer = this.pacers.get(shopId);
    if (!pacer) this.pacers.set(shopId, (pacer = make()));
    return pacer;
  }

  /** Builds an uncached client; connect verification uses it before anything is saved. */
  build(config: ClientConfig): KuaishouClient {
    const pacer = this.pacerFor(config.shopId);
    const logger = this.logger;
    const timeoutMs = this.settings.timeoutMs ?? 15_000;
    const transport = this.settings.transport;
    const auth = new AuthSession({
      tokens: config.tokens,
      needsReauthorization: config.needsReauthorization,
      store: config.store,
      oauth: config.appSecret
        ? {
            baseUrl: config.baseUrl,
            appKey: config.appKey,
            appSecret: config.appSecret,
            pacer,
            timeoutMs,
            transport: transport ?? axiosTransport,
          }
        : null,
      clock: this.clock,
      logger,
      refreshMarginMs: this.settings.refreshMarginMs,
    });
    return new KuaishouClient({
      baseUrl: config.baseUrl,
      appKey: config.appKey,
      signSecret: config.signSecret,
      signMethod: config.signMethod,
      auth,
      pacer,
      clock: this.clock,
      logger,
      transport,
      timeoutMs,
      readAttempts: this.settings.readAttempts,
      retryBaseMs: this.settings.retryBaseMs,
      shopId: config.shopId,
    });
  }

  /** Registers something to close with the core (the demo shop's simulator). */
  onClose(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  async close(): Promise<void> {
    this.clients.clear();
    for (const closer of this.closers.splice(0).reverse()) {
      await closer().catch((error: unknown) => this.logger.warn('platform closer failed', { error }));
    }
  }
}
