// The outbox part keeps every other desk's shared row for the statistics as it follows the feed, also of a shop this
// desk has not connected (which it cannot mirror into its own outbox), and leaves this desk's own rows to its outbox.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { manualClock } from '../../../src/main/core/kernel/clock';
import type { FeedRow } from '../../../src/main/warehouse/change-feed';
import type { LinkEnv } from '../../../src/main/warehouse/link/link';
import { OutboxPart } from '../../../src/main/warehouse/link/outbox-part';
import { ShopIdentities } from '../../../src/main/warehouse/link/shop-identity';
import { ensureSignedIn, testCore } from '../../support/core';

const T0 = Date.UTC(2025, 5, 1, 2, 0, 0);
let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

/** A shared outbox row as the feed hands it over (times as PostgreSQL returns them). */
function feedRow(outboxId: string, originDesk: string, state: string, createdAt: number, action = 'confirm_receipt'): FeedRow {
  return {
    seq: '1',
    outbox_id: outboxId,
    shop_id: '123456789',
    after_sale_id: '4242',
    action,
    payload: { v: 1, payload: {}, idempotencyKey: `k-${outboxId}`, createdAt, operatorId: null, recheck: false, originOnly: false },
    origin_desk_id: originDesk,
    operator_id: null,
    state,
    owner: null,
    lease_until: null,
    epoch: '0',
    attempts: state === 'done' ? 1 : 0,
    last_error: null,
    result: null,
    // The warehouse's own insert time differs from the desk's queueing time: the statistics use the latter.
    created_at: new Date(createdAt + 500),
    next_attempt_at: new Date(createdAt),
    updated_at: new Date(createdAt + 900),
  };
}

describe('the outbox part keeps other desks’ rows for the statistics', () => {
  it('keeps another desk’s rows of a shop not connected here, updates their state, and skips its own', async () => {
    core = testCore({ clock: manualClock(T0) });
    const part = new OutboxPart(core);
    const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    const env = { core, deskId: 'desk-a', logger, shops: new ShopIdentities(core) } as unknown as LinkEnv;
    part.start(env);

    const id = (n: number) => `0190a000-0000-7000-8000-00000000000${n}`;
    await part.apply('outbox', [
      feedRow(id(1), 'desk-b', 'pending', T0 + 1_000),
      feedRow(id(2), 'desk-b', 'done', T0 + 2_000, 'submit_waybill'),
      // This desk's own row: its outbox holds it.
      feedRow(id(3), 'desk-a', 'done', T0 + 3_000),
      { seq: '9', outbox_id: 'unreadable' },
    ]);
    const kept = core.context.db
      .prepare('SELECT outbox_id, desk_id, kind, state, created_at FROM warehouse_outbox ORDER BY outbox_id')
      .all();
    expect(kept).toEqual([
      { outbox_id: id(1), desk_id: 'desk-b', kind: 'confirm_receipt', state: 'pending', created_at: T0 + 1_000 },
      { outbox_id: id(2), desk_id: 'desk-b', kind: 'submit_waybill', state: 'done', created_at: T0 + 2_000 },
    ]);
    // Nothing of a shop this desk has not connected was mirrored into its own outbox.
    expect(core.context.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);

    await part.apply('outbox', [feedRow(id(1), 'desk-b', 'done', T0 + 1_000)]);
    const stats = await ensureSignedIn(core).dispatch('stats.summary', { from: T0, to: T0 + 10_000 }, 'http');
    expect(stats).toMatchObject({ ok: true, data: { confirms: 1, confirmsAccepted: 1, waybillsUploaded: 1 } });
    await part.stop();
  });
});
