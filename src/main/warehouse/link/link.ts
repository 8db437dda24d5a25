// A desk's link to the warehouse: connects and migrates (retrying while unreachable), campaigns for each shop's
// sync leadership, follows the change feed into the desk's SQLite, and hosts the parts that share each kind of record.
import type pg from 'pg';
import type { Core } from '../../core/core';
import { wakeableSleep } from '../../core/kernel/sleep';
import { silentLogger, type Logger } from '../../core/log/logger';
import { replicaDeskId, replicaMarker, replicaPosition, saveReplicaMarker, saveReplicaPosition } from '../../core/replica/state';
import { requestSync } from '../../core/sync/refresh';
import { ChangeFeedFollower, type FeedRow, type FeedTable } from '../change-feed';
import { describeTarget, type WarehouseTarget } from '../config';
import { isWarehouseError } from '../errors';
import { LeaderElector, type ShopLeadership } from '../leader';
import { connectClient, createWarehousePool, type WarehouseConnectionOptions } from '../pool';
import { migrateWarehouse } from '../schema/migrate';
import type { LeaderGate } from './gate';
import { ShopIdentities } from './shop-identity';

/** What a part of the link is given once the warehouse is reachable and migrated. */
export interface LinkEnv {
  core: Core;
  pool: pg.Pool;
  deskId: string;
  logger: Logger;
  /** A fresh dedicated connection (LISTEN, session locks). */
  connect(): Promise<pg.Client>;
  /** This desk's current leadership of the shop (warehouse shop id), or null. */
  leadership(shopId: string): ShopLeadership | null;
  /** Local shop ids <-> warehouse shop ids (rows in the warehouse carry the latter). */
  shops: ShopIdentities;
  /** Pulls the given feed tables now (after this desk wrote, or before taking a shop's pull over). */
  catchUp(tables: readonly FeedTable[]): Promise<void>;
}

/**
 * One kind of shared record (after-sales, the outbox, …). Parts are given to the link before it starts; the link
 * follows the union of their feeds and hands each table's rows to the part that named it.
 */
export interface LinkPart {
  readonly name: string;
  readonly feeds?: readonly FeedTable[];
  /** Applies pulled rows to the desk's SQLite; must be idempotent (a batch may come twice). */
  apply?(table: FeedTable, rows: FeedRow[]): Promise<void>;
  start(env: LinkEnv): Promise<void> | void;
  /** The link starts campaigning for a shop (at start, or a shop connected at this desk since). */
  shopAdded?(warehouseShopId: string, localShopId: string): void;
  /** This desk won the shop's leadership; runs before the gate lets the desk pull the shop (`localShopId`). */
  elected?(leadership: ShopLeadership, localShopId: string): Promise<void>;
  /** This desk no longer leads the shop (the gate is already closed). */
  deposed?(warehouseShopId: string, localShopId: string): void;
  /**
   * The warehouse answers again (the change feed is (re)connected, also the first time): work held back while it
   * was out of reach goes now rather than at its next retry. Called on every such transition; must be cheap.
   */
  reachable?(): void;
  /** The desk is closing and still leads its shops: share what is waiting, before leadership is given up. */
  drain?(): Promise<void>;
  stop(): Promise<void>;
}

export type LinkStatus = 'connecting' | 'linked' | 'refused' | 'stopped';

export interface WarehouseLinkOptions {
  core: Core;
  target: WarehouseTarget;
  /** The gate createCore was given (CoreOptions.syncGate). */
  gate: LeaderGate;
  parts?: readonly LinkPart[];
  logger?: Logger;
  connection?: WarehouseConnectionOptions;
  /** Between attempts to reach the warehouse at start. */
  retryMs?: number;
  /** How often a follower tries a shop's leadership (takeover time after a leader's death). */
  leaderRetryMs?: number;
  /** How often the set of shops to campaign for is read again. */
  shopPollMs?: number;
  /** The follower's delay before reconnecting. */
  reconnectDelayMs?: number;
  /**
   * Out of reach of the warehouse this long (at start, or since the link was lost), the desk pulls its shops
   * itself, like a desk alone, until the warehouse answers again; what it pulled meanwhile is shared then.
   * Scanning never waits on this: the desk answers from its SQLite throughout.
   */
  pullAloneAfterMs?: number;
}

export class WarehouseLink {
  readonly deskId: string;
  readonly pool: pg.Pool;
  private readonly options: WarehouseLinkOptions;
  private readonly logger: Logger;
  private readonly parts: readonly LinkPart[];
  /** By warehouse shop id, with the local id it stands for at this desk. */
  private readonly electors = new Map<string, { elector: LeaderElector; localShopId: string }>();
  private readonly shops: ShopIdentities;
  private readonly pause = wakeableSleep();
  private follower: ChangeFeedFollower | null = null;
  private shopPoll: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private linked: Promise<void>;
  private markLinked: () => void = () => undefined;
  private currentStatus: LinkStatus = 'connecting';
  private aloneTimer: NodeJS.Timeout | null = null;

  constructor(options: WarehouseLinkOptions) {
    this.options = options;
    this.logger = options.logger ?? options.core.context.logger ?? silentLogger;
    this.parts = options.parts ?? [];
    this.shops = new ShopIdentities(options.core);
    // The demo shop is every desk's own world: pulled here always, never shared.
    options.gate.setLocalOnly((shopId) => options.core.context.shops.get(shopId)?.isDemo === true);
    this.deskId = replicaDeskId(options.core.context);
    this.pool = createWarehousePool(options.target, { applicationName: `returndesk ${this.deskId}`, ...options.connection });
    this.linked = new Promise((resolve) => (this.markLinked = resolve));
  }

  get status(): LinkStatus {
    return this.currentStatus;
  }

  /** Resolves once the warehouse was reached, migrated and every part started (tests wait on it). */
  whenLinked(): Promise<void> {
    return this.linked;
  }

  /** Starts in the background; never throws: an unreachable warehouse is retried while the desk works from SQLite. */
  start(): void {
    this.unreachable();
    this.running ??= this.run().catch((error: unknown) => {
      this.logger.error('warehouse link stopped on an error', { error: String(error) });
    });
  }

  /**
   * A clean hand-over: the desk stops pulling (gate closed, the run in flight ends between calls), the parts
   * share what is waiting while this desk still leads (so the next leader does not pull it again), and only
   * then is leadership given up.
   */
  async stop(): Promise<void> {
    if (this.currentStatus === 'stopped') return;
    const wasLinked = this.currentStatus === 'linked';
    this.currentStatus = 'stopped';
    this.pause.wake();
    if (this.shopPoll) clearInterval(this.shopPoll);
    if (this.aloneTimer) clearTimeout(this.aloneTimer);
    await this.running;
    this.options.gate.closeAll();
    if (wasLinked) {
      const sync = this.options.core.context.sync;
      await Promise.allSettled([...this.electors.values()].map(({ localShopId }) => sync.shops.get(localShopId)?.running));
      for (const part of this.parts) await part.drain?.().catch(() => undefined);
    }
    await Promise.all([...this.electors.values()].map(({ elector }) => elector.stop()));
    this.electors.clear();
    this.options.gate.closeAll();
    await this.follower?.stop();
    for (const part of [...this.parts].reverse()) await part.stop().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  /** The part of that name (tests read its counters). */
  part<P extends LinkPart>(name: string): P | undefined {
    return this.parts.find((part) => part.name === name) as P | undefined;
  }

  /** The shop's leadership (warehouse shop id) held by this desk, or null. */
  leadership(warehouseShopId: string): ShopLeadership | null {
    return this.electors.get(warehouseShopId)?.elector.leadership ?? null;
  }

  private get stopped(): boolean {
    return this.currentStatus === 'stopped';
  }

  private async run(): Promise<void> {
    const where = describeTarget(this.options.target);
    for (let attempt = 0; !this.stopped; attempt += 1) {
      try {
        await migrateWarehouse(this.pool);
        break;
      } catch (error) {
        if (isWarehouseError(error, 'warehouse_schema_too_new')) {
          this.currentStatus = 'refused';
          this.logger.error('warehouse refused: its schema is newer than this desk knows; the desk works alone', { where });
          return;
        }
        if (attempt === 0)
          this.logger.warn('warehouse unreachable; the desk works from its own database and retries', { where, error: String(error) });
        await this.pause.sleep(this.options.retryMs ?? 5_000);
      }
    }
    if (this.stopped) return;
    const env = this.env();
    for (const part of this.parts) await part.start(env);
    const tables = [...new Set(this.parts.flatMap((part) => part.feeds ?? []))];
    if (tables.length > 0) {
      this.follower = new ChangeFeedFollower({
        pool: this.pool,
        connectListener: env.connect,
        tables,
        positions: {
          load: (table) => Promise.resolve(replicaPosition(this.options.core.context, `warehouse.${table}`)),
          save: (table, seq) => Promise.resolve(saveReplicaPosition(this.options.core.context, `warehouse.${table}`, seq)),
          // Kept with the positions, so a restored warehouse is noticed across a desk restart too.
          loadGeneration: () => Promise.resolve(replicaMarker(this.options.core.context, 'warehouse.generation')),
          saveGeneration: (generation) => Promise.resolve(saveReplicaMarker(this.options.core.context, 'warehouse.generation', generation)),
        },
        apply: (table, rows) => this.apply(table, rows),
        reconnectDelayMs: this.options.reconnectDelayMs ?? 1_000,
        onStatus: (status, detail) => {
          if (status === 'following') this.reachable();
          else this.logger.info(`warehouse feed ${status}`, { detail: String(detail ?? '') });
          if (status === 'disconnected') this.unreachable();
        },
      });
      await this.follower.start();
    }
    if (this.stopped) return;
    if (tables.length === 0) this.reachable();
    this.currentStatus = 'linked';
    this.logger.info('warehouse linked', { where, deskId: this.deskId });
    this.campaign();
    this.shopPoll = setInterval(() => this.campaign(), this.options.shopPollMs ?? 5_000);
    this.markLinked();
  }

  /** The warehouse is out of reach: after pullAloneAfterMs of it, the desk pulls its shops itself. */
  private unreachable(): void {
    if (this.aloneTimer || this.options.gate.alone || this.stopped) return;
    this.aloneTimer = setTimeout(() => {
      this.aloneTimer = null;
      if (this.stopped) return;
      this.logger.warn('warehouse out of reach: this desk pulls its shops itself until it answers again');
      this.options.gate.setAlone(true);
      requestSync(this.options.core.context);
    }, this.options.pullAloneAfterMs ?? 120_000);
  }

  /** The warehouse answers: held work goes now, and back to one puller per shop (a pull running alone stops between calls). */
  private reachable(): void {
    for (const part of this.parts) {
      try {
        part.reachable?.();
      } catch (error) {
        this.logger.warn('warehouse: a part failed on the warehouse answering again', { part: part.name, error: String(error) });
      }
    }
    if (this.aloneTimer) clearTimeout(this.aloneTimer);
    this.aloneTimer = null;
    if (!this.options.gate.alone) return;
    this.options.gate.setAlone(false);
    this.logger.info('warehouse answers again: the shops are pulled by their leaders');
  }

  private env(): LinkEnv {
    return {
      core: this.options.core,
      pool: this.pool,
      deskId: this.deskId,
      logger: this.logger,
      connect: () => connectClient(this.options.target, { applicationName: `returndesk ${this.deskId}`, ...this.options.connection }),
      leadership: (shopId) => this.leadership(shopId),
      shops: this.shops,
      catchUp: (tables) => this.follower?.catchUp(tables) ?? Promise.resolve(),
    };
  }

  private async apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    for (const part of this.parts) if (part.feeds?.includes(table)) await part.apply?.(table, rows);
  }

  /** Campaigns for every shared shop this desk syncs (not the demo shop); a shop no longer synced here is given up. */
  private campaign(): void {
    if (this.stopped) return;
    const wanted = new Map<string, string>();
    try {
      for (const localShopId of this.options.core.context.sync.shopsToSync()) {
        const shop = this.options.core.context.shops.get(localShopId);
        if (shop && !shop.isDemo) wanted.set(this.shops.toWarehouse(localShopId)!, localShopId);
      }
    } catch {
      return;
    }
    for (const [shopId, localShopId] of wanted) {
      if (this.electors.has(shopId)) continue;
      const elector = new LeaderElector({
        connect: () =>
          connectClient(this.options.target, { applicationName: `returndesk ${this.deskId} leader`, ...this.options.connection }),
        shopId,
        deskId: this.deskId,
        retryMs: this.options.leaderRetryMs ?? 2_000,
        onElected: (leadership) => void this.elected(leadership, localShopId),
        onDeposed: () => this.deposed(shopId, localShopId),
      });
      this.electors.set(shopId, { elector, localShopId });
      for (const part of this.parts) part.shopAdded?.(shopId, localShopId);
      elector.start();
    }
    for (const [shopId, { elector }] of this.electors) {
      if (wanted.has(shopId)) continue;
      this.electors.delete(shopId);
      void elector.stop();
    }
  }

  private async elected(leadership: ShopLeadership, localShopId: string): Promise<void> {
    const { shopId } = leadership;
    try {
      for (const part of this.parts) await part.elected?.(leadership, localShopId);
    } catch (error) {
      // Not ready to pull (the warehouse went away while taking over): give the shop up; the elector retries.
      this.logger.warn('warehouse: could not take the shop over; giving it up', { shopId, error: String(error) });
      await leadership.release();
      return;
    }
    if (leadership.lost || this.stopped) return;
    this.logger.info('warehouse: this desk pulls the shop', { shopId, localShopId, epoch: leadership.epoch });
    this.options.gate.open(localShopId);
    requestSync(this.options.core.context);
  }

  private deposed(shopId: string, localShopId: string): void {
    this.options.gate.close(localShopId);
    for (const part of this.parts) part.deposed?.(shopId, localShopId);
  }
}
