// The after-sales cache shared through the warehouse: what this desk's pulls write goes up (the shop's leader fenced,
// with its pull position after the rows it covers); what any desk published comes down into this desk's SQLite.
import type pg from 'pg';
import { z } from 'zod';
import type { Core } from '../../core/core';
import { wakeableSleep } from '../../core/kernel/sleep';
import { applyReplicatedAfterSales, exportAfterSale, replicaRefundIds, type ReplicatedAfterSale } from '../../core/replica/after-sales';
import { adoptSharedPullPosition, exportPullPosition, mirrorSharedPullPosition } from '../../core/replica/pull-position';
import { replicaMarker, saveReplicaMarker } from '../../core/replica/state';
import type { FeedRow, FeedTable } from '../change-feed';
import { isWarehouseError } from '../errors';
import { fencedWrite, readSyncCursor, type ShopLeadership } from '../leader';
import { inTransaction, parseRows } from '../pool';
import { ensureWarehouseShop, parseAfterSaleRows, upsertAfterSales, writePullPosition } from './after-sales-store';
import type { LinkEnv, LinkPart } from './link';

type PullPosition = NonNullable<ReturnType<typeof exportPullPosition>>;

const mirroredRow = z.object({ shop_id: z.string(), cursor: z.unknown(), at: z.number() });

export interface AfterSalesPartOptions {
  /** Changes arriving within this long are published together (a list page is one event). */
  batchDelayMs?: number;
  /** Wait before publishing again after the warehouse refused or did not answer. */
  retryMs?: number;
  /** How long a closing desk tries to publish what is waiting. */
  drainMs?: number;
  /** How often a desk reads the pull position of the shops it does not pull (its sync status shows it). */
  mirrorMs?: number;
}

export interface AfterSalesCounters {
  /** After-sales this desk wrote into the warehouse (newer than what it held). */
  published: number;
  /** After-sales from the feed that changed this desk's cache. */
  applied: number;
}

export class AfterSalesPart implements LinkPart {
  readonly name = 'after-sales';
  /**
   * Only after_sales: a desk's scan index is derived from the cached row itself (return waybill, order and its
   * outbound waybills), so applying the row rebuilds its keys. after_sale_index is written for lookups inside
   * the warehouse (the back office, a desk's scan miss) and is not needed down here.
   */
  readonly feeds: readonly FeedTable[] = ['after_sales'];
  readonly counters: AfterSalesCounters = { published: 0, applied: 0 };
  private env: LinkEnv | null = null;
  /** After-sales changed here and not yet published. */
  private pending = new Set<string>();
  /**
   * The pull position of each shop this desk leads, as it stood at its last move. Every row it covers changed
   * before that moment, so it is in `pending` (events are synchronous) or published already: publishing the
   * pending rows first and the position after them never lets the position run ahead of the rows.
   */
  private positions = new Map<string, PullPosition>();
  /** Warehouse shops known to have their row. */
  private readonly knownShops = new Set<string>();
  /** Shops whose rows are being read whole (connected at this desk after the feed passed their rows). */
  private readonly seeding = new Map<string, Promise<void>>();
  private pumping: Promise<void> | null = null;
  private applying = false;
  private stopped = false;
  private unsubscribe: () => void = () => undefined;
  private readonly pause = wakeableSleep();
  private mirrorTimer: NodeJS.Timeout | null = null;
  private mirroring = false;

  constructor(
    private readonly core: Core,
    private readonly options: AfterSalesPartOptions = {},
  ) {}

  start(env: LinkEnv): void {
    this.env = env;
    this.unsubscribe = this.core.events.subscribe((name, payload) => {
      if (name === 'afterSales.changed') {
        // Rows this part is applying from the warehouse are never sent back up.
        if (this.applying) return;
        for (const refundId of (payload as { refundIds: string[] }).refundIds) this.pending.add(refundId);
        this.kick();
      } else if (name === 'sync.progress') {
        this.positionMoved((payload as { shopId: string }).shopId);
      }
    });
    this.mirrorTimer = setInterval(() => void this.mirrorPositions(), this.options.mirrorMs ?? 2_000);
  }

  /** Nothing waits to be published. */
  get idle(): boolean {
    return !this.pumping && this.pending.size === 0 && this.positions.size === 0;
  }

  /** Publishes what is waiting (the link calls it while this desk still leads); bounded, the warehouse may be gone. */
  async drain(): Promise<void> {
    const deadline = Date.now() + (this.options.drainMs ?? 5_000);
    while (Date.now() < deadline && !this.idle) {
      this.kick();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.pumping, new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.mirrorTimer) clearInterval(this.mirrorTimer);
    this.unsubscribe();
    this.pause.wake();
    await this.pumping;
  }

  async apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    if (table !== 'after_sales' || !this.env) return;
    const records: ReplicatedAfterSale[] = [];
    const locals = new Map<string, string | null>();
    for (const row of parseAfterSaleRows(rows)) {
      if (!locals.has(row.shop_id)) locals.set(row.shop_id, this.env.shops.toLocal(row.shop_id));
      const localShopId = locals.get(row.shop_id)!;
      // A shop this desk has not connected: nothing here shows it.
      if (localShopId !== null) records.push({ ...row.record, shopId: localShopId });
    }
    if (records.length === 0) return;
    this.applying = true;
    try {
      this.counters.applied += applyReplicatedAfterSales(this.core.context, records).length;
    } finally {
      this.applying = false;
    }
  }

  /**
   * Before this desk pulls the shop: take in every row published so far, then continue from the shared pull
   * position. A shop with no shared position yet is seeded with this desk's own cache and position (a desk
   * that synced the shop alone before joining the warehouse shares what it already has).
   */
  async elected(leadership: ShopLeadership, localShopId: string): Promise<void> {
    const env = this.env!;
    await this.seeded(leadership.shopId);
    await env.catchUp(['after_sales']);
    const shared = await readSyncCursor(env.pool, leadership.shopId);
    if (shared) {
      adoptSharedPullPosition(this.core.context, localShopId, shared.cursor);
      return;
    }
    const own = exportPullPosition(this.core.context, localShopId);
    if (own) {
      for (const refundId of replicaRefundIds(this.core.context, localShopId)) this.pending.add(refundId);
      this.positions.set(localShopId, own);
    }
    this.kick();
  }

  shopAdded(warehouseShopId: string): void {
    void this.seeded(warehouseShopId).catch((error: unknown) =>
      this.env?.logger.warn('warehouse: reading a shop whole failed; retried when this desk leads it or restarts', {
        shopId: warehouseShopId,
        error: String(error),
      }),
    );
  }

  /**
   * The follower passes over rows of shops this desk has not connected, so a shop connected later is read whole
   * once (then marked in the desk's SQLite); idempotent like every apply.
   */
  private seeded(warehouseShopId: string): Promise<void> {
    const marker = `warehouse.after_sales.shop.${warehouseShopId}`;
    if (replicaMarker(this.core.context, marker) === 'complete') return Promise.resolve();
    let running = this.seeding.get(warehouseShopId);
    if (!running) {
      running = (async () => {
        for (let after = '0'; ;) {
          const result = await this.env!.pool.query(
            'SELECT shop_id, after_sale_id, record, seq FROM after_sales WHERE shop_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000',
            [warehouseShopId, after],
          );
          const rows = result.rows as FeedRow[];
          if (rows.length === 0) break;
          await this.apply('after_sales', rows);
          after = rows[rows.length - 1]!.seq;
        }
        saveReplicaMarker(this.core.context, marker, 'complete');
      })().finally(() => this.seeding.delete(warehouseShopId));
      this.seeding.set(warehouseShopId, running);
    }
    return running;
  }

  /** The shops this desk does not pull itself show the puller's position and time (sync status, the header). */
  private async mirrorPositions(): Promise<void> {
    const env = this.env;
    if (!env || this.mirroring || this.stopped) return;
    this.mirroring = true;
    try {
      const ctx = this.core.context;
      const followed = new Map<string, string>();
      for (const localShopId of ctx.sync.shopsToSync()) {
        const warehouseShopId = env.shops.toWarehouse(localShopId);
        if (warehouseShopId && !ctx.shops.get(localShopId)?.isDemo && !ctx.sync.gate.pulls(localShopId))
          followed.set(warehouseShopId, localShopId);
      }
      if (followed.size === 0) return;
      const result = await env.pool.query(
        'SELECT shop_id, cursor, (extract(epoch FROM updated_at) * 1000)::float8 AS at FROM sync_cursors WHERE shop_id = ANY($1)',
        [[...followed.keys()]],
      );
      for (const row of parseRows(mirroredRow, result.rows)) {
        const localShopId = followed.get(row.shop_id);
        // Checked again: this desk may have won the shop meanwhile, and its own position then rules.
        if (localShopId && !ctx.sync.gate.pulls(localShopId)) mirrorSharedPullPosition(ctx, localShopId, row.cursor, Math.floor(row.at));
      }
    } catch (error) {
      env.logger.debug('warehouse: reading pull positions failed', { error: String(error) });
    } finally {
      this.mirroring = false;
    }
  }

  private positionMoved(localShopId: string): void {
    const env = this.env;
    const warehouseShopId = env?.shops.toWarehouse(localShopId);
    if (!env || !warehouseShopId || !env.leadership(warehouseShopId)) return;
    const value = exportPullPosition(this.core.context, localShopId);
    if (!value) return;
    this.positions.set(localShopId, value);
    this.kick();
  }

  private kick(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (!this.stopped && !this.idle) this.kick();
    });
  }

  /** Publishes everything waiting in one go per shop (a slow warehouse makes bigger batches, not a queue). */
  private async pump(): Promise<void> {
    await this.pause.sleep(this.options.batchDelayMs ?? 20);
    while (!this.stopped && (this.pending.size > 0 || this.positions.size > 0)) {
      const refundIds = this.pending;
      const positions = this.positions;
      this.pending = new Set();
      this.positions = new Map();
      try {
        await this.publish(refundIds, positions);
      } catch (error) {
        for (const refundId of refundIds) this.pending.add(refundId);
        // A position taken meanwhile is newer than the one that failed: keep it.
        for (const [shopId, value] of positions) if (!this.positions.has(shopId)) this.positions.set(shopId, value);
        this.env?.logger.warn('warehouse: publishing after-sales failed; retrying', { error: String(error) });
        await this.pause.sleep(this.options.retryMs ?? 1_000);
      }
    }
  }

  private async publish(refundIds: Set<string>, positions: Map<string, PullPosition>): Promise<void> {
    const byShop = new Map<string, ReplicatedAfterSale[]>();
    for (const refundId of refundIds) {
      const record = exportAfterSale(this.core.context, refundId);
      if (!record) continue;
      const list = byShop.get(record.shopId) ?? [];
      list.push(record);
      byShop.set(record.shopId, list);
    }
    for (const localShopId of positions.keys()) if (!byShop.has(localShopId)) byShop.set(localShopId, []);
    for (const [localShopId, records] of byShop) {
      const shop = this.core.context.shops.get(localShopId);
      // The demo shop is this desk's own world; a shop disconnected since is no longer shared from here.
      if (!shop || shop.isDemo) continue;
      await this.publishShop(localShopId, shop.name, records, positions.get(localShopId) ?? null);
    }
  }

  /** One transaction: the rows, then (fenced, while this desk leads the shop) the pull position they reach. */
  private async publishShop(
    localShopId: string,
    name: string,
    records: ReplicatedAfterSale[],
    position: PullPosition | null,
  ): Promise<void> {
    const env = this.env!;
    const warehouseShopId = env.shops.toWarehouse(localShopId)!;
    const write = (epoch: string | null) => async (client: pg.PoolClient) => {
      if (!this.knownShops.has(warehouseShopId)) await ensureWarehouseShop(client, warehouseShopId, name);
      const written = await upsertAfterSales(client, warehouseShopId, records);
      if (position && epoch !== null) await writePullPosition(client, warehouseShopId, epoch, position);
      return written;
    };
    const leadership = env.leadership(warehouseShopId);
    let written: string[];
    if (leadership) {
      try {
        written = await fencedWrite(env.pool, warehouseShopId, leadership.epoch, write(leadership.epoch));
      } catch (error) {
        // Deposed meanwhile: the rows are still what the platform said and the version guard keeps them safe to
        // share; the position is the new leader's to keep, so ours is dropped.
        if (!isWarehouseError(error, 'warehouse_fenced_out')) throw error;
        written = await inTransaction(env.pool, write(null));
      }
    } else {
      written = await inTransaction(env.pool, write(null));
    }
    this.knownShops.add(warehouseShopId);
    this.counters.published += written.length;
  }
}

/** The part for the link's default list. */
export function afterSalesPart(core: Core, options?: AfterSalesPartOptions): AfterSalesPart {
  return new AfterSalesPart(core, options);
}
