// The after-sales cache shared through the warehouse: what this desk's pulls write goes up (the shop's leader fenced,
// with its pull position after the rows it covers); what any desk published comes down into this desk's SQLite.
import type pg from 'pg';
import type { Core } from '../../core/core';
import { wakeableSleep } from '../../core/kernel/sleep';
import { applyReplicatedAfterSales, exportAfterSale, replicaRefundIds, type ReplicatedAfterSale } from '../../core/replica/after-sales';
import { adoptSharedPullPosition, exportPullPosition } from '../../core/replica/pull-position';
import type { FeedRow, FeedTable } from '../change-feed';
import { isWarehouseError } from '../errors';
import { fencedWrite, readSyncCursor, saveSyncCursor, type ShopLeadership } from '../leader';
import { inTransaction } from '../pool';
import { ensureWarehouseShop, parseAfterSaleRows, upsertAfterSales } from './after-sales-store';
import type { LinkEnv, LinkPart } from './link';

/** Rows to publish, and (after them) the pull position of a shop this desk leads, as it stood when they were cut. */
interface PublishTask {
  refundIds: Set<string>;
  position?: { localShopId: string; value: NonNullable<ReturnType<typeof exportPullPosition>> };
}

export interface AfterSalesPartOptions {
  /** Changes arriving within this long are published together (a list page is one event). */
  batchDelayMs?: number;
  /** Wait before publishing again after the warehouse refused or did not answer. */
  retryMs?: number;
  /** How long a closing desk tries to publish what is waiting. */
  drainMs?: number;
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
  private pending = new Set<string>();
  private readonly tasks: PublishTask[] = [];
  private pumping: Promise<void> | null = null;
  private applying = false;
  private stopped = false;
  private unsubscribe: () => void = () => undefined;
  private readonly pause = wakeableSleep();

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
  }

  /** Nothing waits to be published. */
  get idle(): boolean {
    return !this.pumping && this.pending.size === 0 && this.tasks.length === 0;
  }

  /** Publishes what is waiting (the link calls it while this desk still leads); bounded, the warehouse may be gone. */
  async drain(): Promise<void> {
    const deadline = Date.now() + (this.options.drainMs ?? 5_000);
    while (Date.now() < deadline && (this.pumping || this.pending.size > 0 || this.tasks.length > 0)) {
      this.kick();
      await Promise.race([this.pumping, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())))]);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.pause.wake();
    await this.pumping;
  }

  async apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    if (table !== 'after_sales' || !this.env) return;
    const records: ReplicatedAfterSale[] = [];
    for (const row of parseAfterSaleRows(rows)) {
      const localShopId = this.env.shops.toLocal(row.shop_id);
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
    await env.catchUp(['after_sales']);
    const shared = await readSyncCursor(env.pool, leadership.shopId);
    if (shared) {
      adoptSharedPullPosition(this.core.context, localShopId, shared.cursor);
      return;
    }
    const own = exportPullPosition(this.core.context, localShopId);
    if (own)
      this.tasks.push({ refundIds: new Set(replicaRefundIds(this.core.context, localShopId)), position: { localShopId, value: own } });
    this.kick();
  }

  private positionMoved(localShopId: string): void {
    const env = this.env;
    const warehouseShopId = env?.shops.toWarehouse(localShopId);
    if (!env || !warehouseShopId || !env.leadership(warehouseShopId)) return;
    const value = exportPullPosition(this.core.context, localShopId);
    if (!value) return;
    // The position covers rows changed before now: they are all pending (events are synchronous), so the cut
    // taken here is published first and the position only after it.
    this.tasks.push({ refundIds: this.takePending(), position: { localShopId, value } });
    this.kick();
  }

  private takePending(): Set<string> {
    const cut = this.pending;
    this.pending = new Set();
    return cut;
  }

  private kick(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (!this.stopped && (this.pending.size > 0 || this.tasks.length > 0)) this.kick();
    });
  }

  private async pump(): Promise<void> {
    await this.pause.sleep(this.options.batchDelayMs ?? 20);
    while (!this.stopped) {
      if (this.tasks.length === 0) {
        if (this.pending.size === 0) return;
        this.tasks.push({ refundIds: this.takePending() });
      }
      const task = this.tasks[0]!;
      try {
        await this.publish(task);
        this.tasks.shift();
      } catch (error) {
        this.env?.logger.warn('warehouse: publishing after-sales failed; retrying', { error: String(error) });
        await this.pause.sleep(this.options.retryMs ?? 1_000);
      }
    }
  }

  private async publish(task: PublishTask): Promise<void> {
    const env = this.env!;
    const byShop = new Map<string, ReplicatedAfterSale[]>();
    for (const refundId of task.refundIds) {
      const record = exportAfterSale(this.core.context, refundId);
      if (!record) continue;
      const shop = this.core.context.shops.get(record.shopId);
      // The demo shop is this desk's own world; a shop disconnected since is no longer shared from here.
      if (!shop || shop.isDemo) continue;
      const list = byShop.get(record.shopId) ?? [];
      list.push(record);
      byShop.set(record.shopId, list);
    }
    for (const [localShopId, records] of byShop) {
      const warehouseShopId = env.shops.toWarehouse(localShopId)!;
      const name = this.core.context.shops.get(localShopId)?.name ?? warehouseShopId;
      const write = async (client: pg.PoolClient) => {
        await ensureWarehouseShop(client, warehouseShopId, name);
        return upsertAfterSales(client, warehouseShopId, records);
      };
      const leadership = env.leadership(warehouseShopId);
      let written: string[];
      try {
        written = leadership ? await fencedWrite(env.pool, warehouseShopId, leadership.epoch, write) : await inTransaction(env.pool, write);
      } catch (error) {
        // Deposed meanwhile: the rows are still what the platform said; the version guard keeps them safe to share.
        if (!isWarehouseError(error, 'warehouse_fenced_out')) throw error;
        written = await inTransaction(env.pool, write);
      }
      this.counters.published += written.length;
    }
    if (task.position) await this.publishPosition(task.position.localShopId, task.position.value);
  }

  private async publishPosition(localShopId: string, value: NonNullable<ReturnType<typeof exportPullPosition>>): Promise<void> {
    const env = this.env!;
    const warehouseShopId = env.shops.toWarehouse(localShopId);
    const leadership = warehouseShopId ? env.leadership(warehouseShopId) : null;
    if (!warehouseShopId || !leadership) return;
    try {
      await saveSyncCursor(env.pool, warehouseShopId, leadership.epoch, value);
    } catch (error) {
      // Another desk leads the shop now and keeps its own position: ours is dropped, never written over it.
      if (!isWarehouseError(error, 'warehouse_fenced_out')) throw error;
    }
  }
}

/** The part for the link's default list. */
export function afterSalesPart(core: Core, options?: AfterSalesPartOptions): AfterSalesPart {
  return new AfterSalesPart(core, options);
}
