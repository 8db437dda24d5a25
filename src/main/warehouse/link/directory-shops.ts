// Shops shared through the warehouse key: a desk given the key pushes the shops it connects (credentials sealed) and
// takes the shops connected elsewhere, so any desk can work any shop; a desk without the key keeps its own shops.
import { z } from 'zod';
import type { Core } from '../../core/core';
import { applyReplicatedShop, exportShop, shopProfileSchema } from '../../core/replica/shops';
import type { FeedRow, FeedTable } from '../change-feed';
import { isWarehouseError, WarehouseError, type WarehouseErrorCode } from '../errors';
import { loadDeskWarehouseKey, readWarehouseKeyFile, storeDeskWarehouseKey } from '../key-files';
import { parseRows } from '../pool';
import { openShopRow, putWarehouseShop, shopRowSchema } from '../shop-credentials';
import type { WarehouseKey } from '../warehouse-key';
import type { LinkEnv } from './link';
import { QueuedPart, type QueuedPartOptions } from './queued-part';

export interface ShopsPartOptions extends QueuedPartOptions {
  /** A key file to import at start (`--warehouse-key FILE`): kept sealed in the data dir, so it is given once. */
  keyFile?: string | null;
}

const feedRowSchema = shopRowSchema.extend({ profile: z.unknown() });

/** The desk's warehouse key: the given file imported (sealed by the desk's secret box), else the one imported before. */
export async function deskWarehouseKey(core: Core, keyFile: string | null | undefined): Promise<WarehouseKey | null> {
  const { dataDir, secrets } = core.context;
  if (keyFile) {
    const key = await readWarehouseKeyFile(keyFile);
    await storeDeskWarehouseKey(dataDir, secrets, key);
    return key;
  }
  return loadDeskWarehouseKey(dataDir, secrets);
}

export class ShopsPart extends QueuedPart {
  readonly name = 'shops';
  readonly feeds: readonly FeedTable[] = ['shops'];
  /** Why a shop was last not shared or not taken (a wrong key, no key, damaged credentials). */
  lastRefusal: WarehouseErrorCode | null = null;
  private key: WarehouseKey | null = null;
  private readonly logged = new Set<string>();

  constructor(
    private readonly core: Core,
    private readonly options: ShopsPartOptions = {},
  ) {
    super(core, 'shops', options);
    // Queue keys are local shop ids.
    this.follow(core.context.shops.onSaved((shopId) => this.queue.changed([shopId])));
  }

  async start(env: LinkEnv): Promise<void> {
    this.env = env;
    try {
      this.key = await deskWarehouseKey(this.core, this.options.keyFile);
    } catch (error) {
      if (!isWarehouseError(error)) throw error;
      this.refuse(error, 'the warehouse key given to this desk cannot be used');
    }
    if (!this.key) {
      if (this.lastRefusal === null) {
        this.refuse(new WarehouseError('warehouse_key_missing', 'no warehouse key'), 'this desk has no warehouse key');
      }
      return;
    }
    this.queue.held(
      this.core.context.shops
        .list()
        .filter((shop) => !shop.isDemo)
        .map((shop) => shop.id),
    );
    this.queue.start();
  }

  async apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    const env = this.env;
    if (table !== 'shops' || !env || !this.key) return;
    for (const row of parseRows(feedRowSchema, rows)) {
      // A row made by the after-sales cache before any desk shared the shop's credentials, or one disconnected.
      if (row.credentials_key_id === '' || row.disconnected) continue;
      const local = env.shops.toLocal(row.shop_id);
      if (local !== null && this.passesOver(local, row.shop_id)) continue;
      const profile = shopProfileSchema.safeParse(row.profile);
      if (!profile.success) continue;
      let opened;
      try {
        opened = openShopRow(this.key, row);
      } catch (error) {
        if (!isWarehouseError(error)) throw error;
        this.refuse(error, 'a shop connected elsewhere is not taken here', row.shop_id);
        continue;
      }
      const applied = applyReplicatedShop(this.core.context, { name: opened.name, profile: profile.data, secrets: opened.secrets });
      if (applied.outcome === 'created' || applied.outcome === 'updated') this.counters.applied += 1;
      // Its after-sales already in the warehouse are read whole by the after-sales part once the link campaigns for it.
      if (applied.outcome === 'created')
        env.logger.info('warehouse: a shop connected at another desk is now worked here', { shopId: applied.shopId });
    }
  }

  protected async currentRows(shopIds: string[]): Promise<FeedRow[]> {
    return (await this.env!.pool.query('SELECT * FROM shops WHERE shop_id = ANY($1)', [shopIds])).rows as FeedRow[];
  }

  /** One shop at a time: a refusal (typed) is this shop's alone; anything else retries the batch. */
  protected async push(changed: ReadonlySet<string>, initial: ReadonlySet<string>): Promise<void> {
    for (const shopId of new Set([...initial, ...changed])) {
      try {
        await this.pushShop(shopId, !changed.has(shopId));
      } catch (error) {
        if (!isWarehouseError(error)) throw error;
        this.refuse(error, 'a shop of this desk is not shared', shopId);
      }
    }
  }

  private async pushShop(localShopId: string, onlyIfAbsent: boolean): Promise<void> {
    const env = this.env!;
    const record = exportShop(this.core.context, localShopId);
    const warehouseShopId = env.shops.toWarehouse(localShopId);
    if (!record || !warehouseShopId) return;
    if (onlyIfAbsent) {
      // Held before the link started: a row already shared (maybe with newer tokens) is the later one.
      const known = await env.pool.query("SELECT 1 FROM shops WHERE shop_id = $1 AND credentials_key_id <> ''", [warehouseShopId]);
      if (known.rowCount) return;
    }
    await putWarehouseShop(env.pool, this.key!, {
      shopId: warehouseShopId,
      name: record.name,
      disconnected: false,
      secrets: record.secrets,
      profile: record.profile,
    });
    this.counters.pushed += 1;
  }

  private refuse(error: WarehouseError, message: string, shopId?: string): void {
    this.counters.refused += 1;
    this.lastRefusal = error.code;
    const key = `${error.code}\n${message}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    const consequence = 'this desk keeps its own shops and takes none connected elsewhere';
    this.env?.logger.warn(`warehouse: ${message}; ${consequence}`, {
      code: error.code,
      reason: error.message,
      ...(shopId ? { shopId } : {}),
    });
  }
}

export function shopsPart(core: Core, options?: ShopsPartOptions): ShopsPart {
  return new ShopsPart(core, options);
}
