// Helpers of the shared after-sales tests: a single desk's baseline run, platform call counts, caches compared across desks.
import { exportAfterSale, replicaRefundIds } from '../../../../src/main/core/replica/after-sales';
import { syncShop } from '../../../../src/main/core/sync/engine';
import { configureSync } from '../../../../src/main/core/sync/runtime';
import { readState } from '../../../../src/main/core/sync/state';
import type { RunningSimulator } from '../../../../src/main/sim';
import type { AfterSalesPart } from '../../../../src/main/warehouse/link/after-sales';
import { signedInTestCore } from '../../../support/core';
import { connectToSimulator } from '../../../support/simulator-shop';
import { FAST_PLATFORM, FAST_SYNC } from '../../sync/support';
import type { TestDesk } from './desks';

export const PULL_METHODS = ['open.seller.order.refund.pcursor.list', 'open.seller.order.refund.detail', 'open.order.detail'] as const;

export interface PullCalls {
  list: number;
  detail: number;
  order: number;
  total: number;
}

/** The simulator's count of the pull's calls (list, detail, order) since its last resetStats(). */
export function pullCalls(sims: readonly RunningSimulator[]): PullCalls {
  const out = { list: 0, detail: 0, order: 0, total: 0 };
  for (const sim of sims) {
    const calls = sim.control.stats().calls;
    out.list += calls[PULL_METHODS[0]] ?? 0;
    out.detail += calls[PULL_METHODS[1]] ?? 0;
    out.order += calls[PULL_METHODS[2]] ?? 0;
  }
  out.total = out.list + out.detail + out.order;
  return out;
}

/** One desk alone (no warehouse) backfilling every shop: the calls the warehouse must not multiply. */
export async function singleDeskBaseline(
  sims: readonly RunningSimulator[],
  sync: Partial<typeof FAST_SYNC> = {},
): Promise<PullCalls & { ms: number }> {
  const core = signedInTestCore({ platform: FAST_PLATFORM });
  try {
    const shopIds: string[] = [];
    for (const sim of sims) shopIds.push(await connectToSimulator(core, sim));
    configureSync(core.context, { ...FAST_SYNC, ...sync });
    for (const sim of sims) sim.control.resetStats();
    const started = Date.now();
    for (const shopId of shopIds) await syncShop(core.context, shopId);
    return { ...pullCalls(sims), ms: Date.now() - started };
  } finally {
    await core.close();
  }
}

/** A desk's cache of one shop as comparable text per after-sale (the desk's own shop id left out). */
export function cacheOf(desk: TestDesk, shopIndex: number): Map<string, string> {
  const ctx = desk.core.context;
  const out = new Map<string, string>();
  for (const refundId of replicaRefundIds(ctx, desk.shopIds[shopIndex]!)) {
    const record = exportAfterSale(ctx, refundId)!;
    out.set(refundId, JSON.stringify({ ...record, shopId: null }));
  }
  return out;
}

/** Names what differs between two caches (empty when they are the same). */
export function cacheDifference(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [id, text] of a) if (b.get(id) !== text) out.push(b.has(id) ? `${id} differs` : `${id} missing`);
  for (const id of b.keys()) if (!a.has(id)) out.push(`${id} extra`);
  return out;
}

/** The shop's backfill is finished at this desk and no run of it is in flight. */
export function pullFinished(desk: TestDesk, shopIndex: number): boolean {
  const shopId = desk.shopIds[shopIndex]!;
  return readState(desk.core.context.db, shopId)?.backfillDone === true && !desk.core.context.sync.shops.get(shopId)?.running;
}

export function afterSalesPartOf(desk: TestDesk): AfterSalesPart {
  return desk.link.part<AfterSalesPart>('after-sales')!;
}
