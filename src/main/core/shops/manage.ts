// Managing connected shops from the back office: overview with queued work, rename, pause, disconnect.
import type { ShopOverview } from '../../../common/contract/backoffice';
import { DeskError } from '../../../common/contract/errors';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';
import { ShopStore, type ShopRecord } from './store';
import { shopSyncEffective } from './sync-settings';

const PAUSED_KEY = 'shops.paused';

/** Shop ids paused at this desk (kept in the settings table: a desk preference, not a platform state). */
export function pausedShopIds(ctx: Pick<CoreContext, 'db'>): Set<string> {
  const raw = statement(ctx.db, 'SELECT value FROM settings WHERE key = ?').pluck().get(PAUSED_KEY) as string | undefined;
  try {
    const parsed: unknown = raw === undefined ? [] : JSON.parse(raw);
    return new Set(Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

function savePaused(ctx: Pick<CoreContext, 'db' | 'clock'>, ids: Set<string>): void {
  statement(
    ctx.db,
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(PAUSED_KEY, JSON.stringify([...ids].sort()), ctx.clock.now());
}

function queuedWork(ctx: Pick<CoreContext, 'db'>, shopId: string): ShopOverview['queued'] {
  const row = statement(
    ctx.db,
    `SELECT coalesce(sum(kind = 'submit_waybill' AND state IN ('waiting', 'sending', 'retrying')), 0) AS uploads,
            coalesce(sum(kind = 'confirm_receipt' AND state IN ('waiting', 'sending', 'retrying')), 0) AS confirms,
            coalesce(sum(state = 'conflict'), 0) AS conflicts
       FROM outbox WHERE shop_id = ?`,
  ).get(shopId) as ShopOverview['queued'];
  return row;
}

function overviewOf(ctx: Pick<CoreContext, 'db' | 'platform'>, shop: ShopRecord, paused: Set<string>): ShopOverview {
  const sync = statement(ctx.db, 'SELECT last_sync_at, last_error FROM sync_state WHERE shop_id = ?').get(shop.id) as
    { last_sync_at: number | null; last_error: string | null } | undefined;
  return {
    shop: ShopStore.toPublic(shop),
    paused: paused.has(shop.id),
    afterSales: statement(ctx.db, 'SELECT count(*) FROM after_sales WHERE shop_id = ?').pluck().get(shop.id) as number,
    queued: queuedWork(ctx, shop.id),
    lastSyncAt: sync?.last_sync_at ?? null,
    lastError: sync?.last_error ?? null,
    sync: shopSyncEffective(ctx, shop.id),
  };
}

export function shopsOverview(ctx: CoreContext): ShopOverview[] {
  const paused = pausedShopIds(ctx);
  return ctx.shops.list().map((shop) => overviewOf(ctx, shop, paused));
}

function requireShop(ctx: CoreContext, shopId: string): ShopRecord {
  const shop = ctx.shops.get(shopId);
  if (shop === null) throw new DeskError('not_found', 'No shop with this id', { shopId });
  return shop;
}

export function renameShop(ctx: CoreContext, shopId: string, name: string): ShopRecord {
  const shop = requireShop(ctx, shopId);
  ctx.db.transaction(() => {
    ctx.shops.rename(shopId, name);
    recordAudit(ctx, { action: 'shops.rename', outcome: 'ok', details: { shopId, from: shop.name, to: name } });
  })();
  return requireShop(ctx, shopId);
}

export function setShopPaused(ctx: CoreContext, shopId: string, paused: boolean): ShopOverview {
  requireShop(ctx, shopId);
  ctx.db.transaction(() => {
    const ids = pausedShopIds(ctx);
    if (paused) ids.add(shopId);
    else ids.delete(shopId);
    savePaused(ctx, ids);
    recordAudit(ctx, { action: 'shops.setPaused', outcome: paused ? 'paused' : 'resumed', details: { shopId } });
  })();
  return overviewOf(ctx, requireShop(ctx, shopId), pausedShopIds(ctx));
}

/**
 * Disconnects a shop at this desk: no more sync or sends; the cache stays readable and nothing queued is dropped (it is
 * sent once the shop is authorized again). With work still queued the manager must say so, having seen the counts.
 */
export function disconnectShop(ctx: CoreContext, shopId: string, keepQueued: boolean): ShopOverview {
  const shop = requireShop(ctx, shopId);
  const queued = queuedWork(ctx, shopId);
  if (!keepQueued && queued.uploads + queued.confirms + queued.conflicts > 0) {
    throw new DeskError('conflict', 'Work for this shop is still queued; disconnect anyway only after deciding about it', {
      reason: 'queued_work',
      queued,
    });
  }
  ctx.db.transaction(() => {
    ctx.shops.setStatus(shopId, 'disconnected', 'disconnected_at_desk');
    recordAudit(ctx, { action: 'shops.disconnect', outcome: 'disconnected', details: { shopId, name: shop.name, queued } });
  })();
  ctx.platform.forget(shopId);
  return overviewOf(ctx, requireShop(ctx, shopId), pausedShopIds(ctx));
}
