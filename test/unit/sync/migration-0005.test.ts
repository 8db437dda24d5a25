// Migration 5: the sync pass's "what still needs a detail / an order" queries read through partial indexes.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';
import { dueDetails, dueOrders } from '../../../src/main/core/after-sales/store';
import { distinctReads, explain, recordStatements } from '../../../bench/plans';
import { testCore } from '../../support/core';

function planOf(db: Database.Database, sql: string): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join(' | ');
}

const DUE_DETAILS = `SELECT refund_id FROM after_sales INDEXED BY after_sales_detail_due
  WHERE shop_id = 's' AND handling_way IN (1, 3) AND status NOT IN (60, 70)
    AND (detail_version IS NULL OR detail_version < update_time)
  ORDER BY update_time DESC LIMIT 50`;
const DUE_ORDERS = `SELECT a.order_id FROM after_sales a INDEXED BY after_sales_open LEFT JOIN orders o ON o.order_id = a.order_id
  WHERE a.shop_id = 's' AND o.order_id IS NULL AND a.status NOT IN (60, 70)
  GROUP BY a.order_id ORDER BY max(a.update_time) DESC LIMIT 50`;

describe('migration 0005 sync due indexes', () => {
  it('gives the due-detail and due-order queries partial indexes that cover exactly their rows', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 4));
    expect(() => planOf(db, DUE_DETAILS)).toThrow(/no such index/);
    migrate(db, migrations.slice(0, 5));
    expect(planOf(db, DUE_DETAILS)).toContain('USING INDEX after_sales_detail_due');
    expect(planOf(db, DUE_ORDERS)).toContain('USING INDEX after_sales_open');
  });

  it("is what the store's sync-pass statements actually use", () => {
    const core = testCore();
    const recorder = recordStatements(core.context.db);
    dueDetails(core.context.db, 'shop', 50);
    dueOrders(core.context.db, 'shop', 50);
    const plans = distinctReads(recorder.take()).map((executed) =>
      explain(core.context.db, executed)
        .map((row) => row.detail)
        .join(' | '),
    );
    recorder.stop();
    void core.close();
    expect(plans).toEqual([
      expect.stringContaining('USING INDEX after_sales_detail_due'),
      expect.stringContaining('USING INDEX after_sales_open'),
    ]);
  });
});
