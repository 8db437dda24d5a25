// The warehouse's return wakes the outbox: rows a desk held while cut off are pushed as soon as its link reconnects,
// not at their next retry (the hold here is far longer than the test waits, so only the wake can push them).
import { describe, expect, it } from 'vitest';
import { applyDetail } from '../../../src/main/core/after-sales/store';
import type { Core } from '../../../src/main/core/core';
import { enqueueConfirm } from '../../../src/main/core/outbox/queue';
import { getRow } from '../../../src/main/core/outbox/store';
import { OutboxPart } from '../../../src/main/warehouse/link/outbox-part';
import { defaultLinkParts } from '../../../src/main/warehouse/link/parts';
import { deskBehindProxy, desksPerTest, until } from './support/desks';

const CONFIRM_API = 'open.seller.order.refund.confirm.receipt';
const HOLD_MS = 10 * 60_000;

const startCluster = desksPerTest();

describe('the outbox when the warehouse returns', () => {
  it('pushes the rows held while the link was cut as soon as it reconnects, then sends them once', async () => {
    const cluster = await startCluster({ desks: 0, shops: [{ afterSales: 1 }] });
    const sim = cluster.sims[0]!;
    let part: OutboxPart | null = null;
    const parts = (core: Core) => {
      // The default parts first: an outbox part installs itself as the delegate when made, the last one made wins.
      const others = defaultLinkParts(core).filter((p) => p.name !== 'outbox');
      part = new OutboxPart(core, { holdMs: HOLD_MS });
      return [...others, part];
    };
    const behind = await deskBehindProxy(cluster, sim, 'desk-r', parts);
    const { desk, proxy } = behind;
    const core = desk.core;
    const shopId = desk.shopIds[0]!;
    try {
      const outbox = part as unknown as OutboxPart;
      const refundId = sim.control.addAfterSale({ status: 40, handlingWay: 1 }).refundId;
      applyDetail(
        core.context.db,
        shopId,
        await core.context.platform.clientFor(shopId).getRefundDetail(refundId),
        core.context.clock.now(),
      );

      proxy.cut();
      const held = enqueueConfirm(core.context, { refundId, operatorId: null }).outboxId;
      core.context.outbox.wake();
      await until(
        'the confirm is held at the desk',
        () => getRow(core.context.db, held)?.last_error?.startsWith('warehouse unreachable') === true,
      );
      const wakesBefore = outbox.wakes;
      // Held for the whole HOLD_MS: no retry would push it during this test.
      expect(getRow(core.context.db, held)!.not_before).toBeGreaterThan(core.context.clock.now() + HOLD_MS / 2);

      proxy.restore();
      await until('the held confirm is pushed on the return', () => getRow(core.context.db, held)?.delegated === 1, 20_000);
      // Order of events: the link's return woke the part, which released the row before its hold ran out.
      expect(outbox.wakes).toBeGreaterThan(wakesBefore);
      await until('the confirm is applied', () => getRow(core.context.db, held)?.state === 'done', 20_000);
      expect(sim.control.stats().calls[CONFIRM_API]).toBe(1);
    } finally {
      await behind.close();
    }
  });
});
