// The real client (through a core) against the simulator answering in the lenient readings the public sources
// leave open: an empty end cursor, success without `data`, "no claim" spelled as zeros (docs/platform.md).
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { getAfterSale } from '../../../src/main/core/sync/api';
import { syncShop } from '../../../src/main/core/sync/engine';
import type { RunningSimulator, WireVariants } from '../../../src/main/sim';
import { connectCore, simulator } from '../sync/support';

let sim: RunningSimulator | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  await sim?.close();
  core = null;
  sim = null;
});

const LIST = 'open.seller.order.refund.pcursor.list';

async function connectedIn(variants: WireVariants) {
  sim = await simulator({ seed: 'variants', afterSales: 40, qpsPerApi: 10_000, variants });
  const connected = await connectCore(sim);
  core = connected.core;
  return { sim, core, shopId: connected.shopId, client: core.context.platform.clientFor(connected.shopId) };
}

describe('the client in the lenient variants', () => {
  it.each<[string, WireVariants]>([
    ['an empty end cursor and no data on empty pages', { endCursor: '', emptyListData: 'absent' }],
    ['data null on empty pages', { emptyListData: 'null' }],
  ])('connects (the one-minute check) and syncs every after-sale with %s', async (_name, variants) => {
    const t = await connectedIn(variants);
    await syncShop(t.core.context, t.shopId);
    const world = t.sim.control.findAfterSales({}, 1000);
    expect(world.length).toBeGreaterThan(0);
    for (const a of world) expect(getAfterSale(t.core.context, a.refundId)?.status, a.refundId).toBe(a.status);
    // Every list call carried currentPage (the simulator refuses one without it), and the cursor never looped.
    expect(t.sim.control.stats().calls[LIST]).toBeLessThan(200);
  });

  it('reads a returnFreightInfo of zeros as no claim and confirms with only {refundId}', async () => {
    const t = await connectedIn({ noClaimFreight: 'zeros' });
    const a = t.sim.control.addAfterSale({ status: 40 });
    const detail = await t.client.getRefundDetail(a.refundId);
    expect(detail.returnFreight).toBeNull();
    await t.client.confirmReceipt({ refundId: a.refundId, expectedStatus: 40 });
    const write = t.sim.control.stats().writes.find((w) => w.refundId === a.refundId);
    expect(write?.params).toEqual({ refundId: Number(a.refundId) > Number.MAX_SAFE_INTEGER ? a.refundId : Number(a.refundId), status: 40 });
  });
});
