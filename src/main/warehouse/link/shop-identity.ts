// One shop, one id at every desk: each desk names a connected shop by a local id of its own, the warehouse by this.
import { createHash } from 'node:crypto';
import type { Core } from '../../core/core';

/**
 * A desk recognises a shop it already holds by its platform address and app key (connecting it again updates
 * it), so the warehouse does the same: the id is derived from both, as decimal digits (60 bits of SHA-256),
 * and comes out equal at every desk that connected the shop, without asking any other desk.
 */
export function warehouseShopIdOf(shop: { baseUrl: string; appKey: string }): string {
  const digest = createHash('sha256').update(`returndesk shop\n${shop.baseUrl}\n${shop.appKey}`).digest('hex');
  return BigInt(`0x${digest.slice(0, 15)}`).toString(10);
}

/** Maps between this desk's shop ids and the warehouse's, for the shops connected at this desk. */
export class ShopIdentities {
  constructor(private readonly core: Core) {}

  /** The warehouse id of a local shop; null when the shop is not (or no longer) at this desk. */
  toWarehouse(localShopId: string): string | null {
    const shop = this.core.context.shops.get(localShopId);
    return shop ? warehouseShopIdOf(shop) : null;
  }

  /** The local id of a warehouse shop; null when this desk has not connected it. */
  toLocal(warehouseShopId: string): string | null {
    for (const shop of this.core.context.shops.list()) {
      if (!shop.isDemo && warehouseShopIdOf(shop) === warehouseShopId) return shop.id;
    }
    return null;
  }
}
