// ctx.platform: one cached PlatformClient per shop, built from the configuration it is given, sharing the shop's pacer.
import type { Clock } from '../kernel/clock';
import type { Logger } from '../log/logger';
import { AuthSession, type AuthStore } from './auth';
import { KuaishouClient } from './client';
import { axiosTransport, type HttpTransport } from './http';
import type { TokenState } from './oauth';
import { PlatformHealth } from './health';
import { Pacer, type PacerTime } from './pacer';
import type { SignMethod } from './sign';
import type { PlatformClient } from './types';

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
}

/** Everything needed to build a client: from the shops table (`configFor`) or for a connect verification. */
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

/**
 * The configuration of a stored shop's client, given to the registry by the composition (the shops folder reads
 * it from the shops table). Throws a PlatformError when the shop is unknown or cannot be used.
 */
export type ClientConfigSource = (shopId: string) => ClientConfig;

export class PlatformRegistry {
  private readonly clients = new Map<string, KuaishouClient>();
  private readonly pacers = new Map<string, Pacer>();
  /** Each shop's own pacing (calls/s per API) as the back office set it; a shop not here paces by the settings. */
  private readonly chosenRates = new Map<string, number>();
  private replacement: ((shopId: string) => PlatformClient) | null = null;
  /** Call counts and the online state, fed by every call through `clientFor`. */
  readonly health: PlatformHealth;

  constructor(
    private readonly configFor: ClientConfigSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly settings: PlatformSettings = {},
  ) {
    this.health = new PlatformHealth(clock);
  }

  /**
   * The client of a shop, counted by `health`; the real one is cached and fails with auth_revoked at call time
   * when the shop needs re-authorization.
   */
  clientFor(shopId: string): PlatformClient {
    return this.health.wrap(shopId, this.rawClientFor(shopId));
  }

  private rawClientFor(shopId: string): PlatformClient {
    return this.replacement ? this.replacement(shopId) : this.storedClient(shopId);
  }

  /** Tests put a fake platform behind `clientFor` (null: the real clients again). */
  replaceClients(replacement: ((shopId: string) => PlatformClient) | null): void {
    this.replacement = replacement;
  }

  private storedClient(shopId: string): PlatformClient {
    const cached = this.clients.get(shopId);
    if (cached) return cached;
    const client = this.build({ ...this.configFor(shopId), shopId });
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
    if (!pacer) {
      this.pacers.set(shopId, (pacer = make()));
      pacer.setRate(this.chosenRates.get(shopId) ?? null);
    }
    return pacer;
  }

  /** Sets a shop's own pacing (null: back to the settings' default), live on its pacer if it has one already. */
  setShopRate(shopId: string, callsPerSecond: number | null): void {
    this.pacers.get(shopId)?.setRate(callsPerSecond);
    if (callsPerSecond === null) this.chosenRates.delete(shopId);
    else this.chosenRates.set(shopId, callsPerSecond);
  }

  /** Calls per second per API a shop's pacer allows now (the most any API may have). */
  shopRate(shopId: string): number {
    return this.pacerFor(shopId).rateOf('');
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

  close(): void {
    this.clients.clear();
  }
}
