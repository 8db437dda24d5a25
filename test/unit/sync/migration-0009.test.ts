// Migration 9: the FTS5 trigram search index follows the cache through its triggers, rows cached before the
// migration are indexed by it, the queue and update-order indexes exist, and the unused shop/update index is gone.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { migrations } from '../../../src/main/core/db/migrations';

const INSERT_AFTER_SALE = `INSERT INTO after_sales (refund_id, shop_id, order_id, item_id, sku_id, sku_nick, handling_way, status,
  negotiate_status, refund_type, receipt_status, refund_fee, refund_reason_desc, refund_desc, submit_time, create_time, update_time, synced_at)
  VALUES (@id, 's', @order, '1', '1', @sku, 1, 40, 1, 1, 1, 100, '', '', 1, 1, @t, 1)`;

function hits(db: Database.Database, text: string): string[] {
  return db
    .prepare(
      `SELECT a.refund_id FROM after_sales a WHERE a.rowid IN (SELECT rowid FROM after_sales_search WHERE after_sales_search MATCH ?) ORDER BY 1`,
    )
    .pluck()
    .all(`"${text}"`) as string[];
}

function indexes(db: Database.Database): string[] {
  return db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'after_sales' ORDER BY name`)
    .pluck()
    .all() as string[];
}

describe('migration 0009 search and queue indexes', () => {
  it('indexes the rows already cached, and swaps the shop/update index for the queue and update-order ones', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 8));
    db.prepare(INSERT_AFTER_SALE).run({ id: '1001', order: '2001', sku: '黑色 XL', t: 5 });
    db.prepare(`INSERT INTO orders (order_id, shop_id, found, item_title, fetched_at) VALUES ('2001', 's', 1, '纯棉短袖T恤', 1)`).run();
    expect(indexes(db)).toContain('after_sales_shop_update');
    migrate(db, migrations.slice(0, 9));
    expect(hits(db, '短袖T')).toEqual(['1001']);
    expect(hits(db, '色 X')).toEqual(['1001']);
    expect(hits(db, '001')).toEqual(['1001']);
    expect(indexes(db)).not.toContain('after_sales_shop_update');
    expect(indexes(db)).toEqual(expect.arrayContaining(['after_sales_queue', 'after_sales_recent']));
  });

  it('keeps the index in step with inserts, waybill and title changes, order titles arriving later, and deletes', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 9));
    db.prepare(INSERT_AFTER_SALE).run({ id: '1002', order: '2002', sku: 'red', t: 5 });
    db.prepare(INSERT_AFTER_SALE).run({ id: '1003', order: '2002', sku: 'blue', t: 6 });
    expect(hits(db, 'SF1234')).toEqual([]);
    db.prepare(`UPDATE after_sales SET return_waybill_norm = 'SF1234567890' WHERE refund_id = '1002'`).run();
    expect(hits(db, 'SF1234')).toEqual(['1002']);
    db.prepare(`UPDATE after_sales SET local_waybill_norm = 'YT99887766' WHERE refund_id = '1003'`).run();
    expect(hits(db, '988776')).toEqual(['1003']);
    // The order's title arrives after its after-sales: both are found by it, each keeping its own SKU.
    db.prepare(`INSERT INTO orders (order_id, shop_id, found, item_title, fetched_at) VALUES ('2002', 's', 1, 'Wool scarf', 1)`).run();
    expect(hits(db, 'ool sc')).toEqual(['1002', '1003']);
    expect(hits(db, 'blue')).toEqual(['1003']);
    db.prepare(`UPDATE orders SET item_title = 'Silk tie' WHERE order_id = '2002'`).run();
    expect(hits(db, 'ool sc')).toEqual([]);
    expect(hits(db, 'ilk t')).toEqual(['1002', '1003']);
    db.prepare(`DELETE FROM after_sales WHERE refund_id = '1002'`).run();
    expect(hits(db, 'ilk t')).toEqual(['1003']);
    expect(db.prepare(`SELECT count(*) FROM after_sales_search`).pluck().get()).toBe(1);
  });

  it('an upsert that changes nothing searched leaves the index alone', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 9));
    db.prepare(INSERT_AFTER_SALE).run({ id: '1004', order: '2004', sku: 'green', t: 5 });
    const changes = () => db.prepare(`SELECT total_changes()`).pluck().get() as number;
    const before = changes();
    db.prepare(`UPDATE after_sales SET status = 30, update_time = 9, sku_nick = 'green' WHERE refund_id = '1004'`).run();
    // One row changed in after_sales; the search trigger did not fire (it would add its own changes).
    expect(changes() - before).toBe(1);
  });
});
