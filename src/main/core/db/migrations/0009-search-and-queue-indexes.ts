// Migration 9: whole-cache text search on an FTS5 trigram index kept in step by triggers (a LIKE scan took 1.1–1.6 s
// at 1M rows on the thread that answers scans), an index in the desk queue's own order (keyset pages without a
// sort), one in update order for the whole cache, and the shop/update index dropped: no plan used it any more.
import type { Migration } from '../migration';

/** The queue's order, written once: the index expression and the list's ORDER BY must be the same text. */
export const QUEUE_RANK_SQL = 'CASE status WHEN 40 THEN 0 WHEN 22 THEN 1 ELSE 2 END';

/** What the search matches, per after-sale: its ids and waybills, and its titles. */
const CODES = `new.refund_id || ' ' || new.order_id || ' ' || coalesce(new.return_waybill_norm, '') || ' ' || coalesce(new.local_waybill_norm, '')`;

export const migration0009: Migration = {
  version: 9,
  name: 'search-and-queue-indexes',
  up(db) {
    db.exec(`
      -- rowid = after_sales.rowid (the app never VACUUMs, so rowids stay put; see docs/performance.md).
      CREATE VIRTUAL TABLE after_sales_search USING fts5(codes, titles, tokenize = 'trigram');

      CREATE TRIGGER after_sales_search_insert AFTER INSERT ON after_sales BEGIN
        INSERT INTO after_sales_search (rowid, codes, titles)
          VALUES (new.rowid, ${CODES},
                  new.sku_nick || ' ' || coalesce((SELECT item_title FROM orders WHERE order_id = new.order_id), ''));
      END;
      -- Upserts set every column; only a change of what is searched costs an index write.
      CREATE TRIGGER after_sales_search_update AFTER UPDATE ON after_sales
        WHEN old.return_waybill_norm IS NOT new.return_waybill_norm OR old.local_waybill_norm IS NOT new.local_waybill_norm
          OR old.sku_nick IS NOT new.sku_nick OR old.order_id IS NOT new.order_id
      BEGIN
        UPDATE after_sales_search SET codes = ${CODES},
          titles = new.sku_nick || ' ' || coalesce((SELECT item_title FROM orders WHERE order_id = new.order_id), '')
          WHERE rowid = new.rowid;
      END;
      CREATE TRIGGER after_sales_search_delete AFTER DELETE ON after_sales BEGIN
        DELETE FROM after_sales_search WHERE rowid = old.rowid;
      END;
      CREATE TRIGGER orders_search_insert AFTER INSERT ON orders WHEN new.item_title IS NOT NULL BEGIN
        UPDATE after_sales_search SET titles = (SELECT a.sku_nick FROM after_sales a WHERE a.rowid = after_sales_search.rowid) || ' ' || new.item_title
          WHERE rowid IN (SELECT rowid FROM after_sales WHERE order_id = new.order_id);
      END;
      CREATE TRIGGER orders_search_update AFTER UPDATE ON orders WHEN old.item_title IS NOT new.item_title BEGIN
        UPDATE after_sales_search
          SET titles = (SELECT a.sku_nick FROM after_sales a WHERE a.rowid = after_sales_search.rowid) || ' ' || coalesce(new.item_title, '')
          WHERE rowid IN (SELECT rowid FROM after_sales WHERE order_id = new.order_id);
      END;

      INSERT INTO after_sales_search (rowid, codes, titles)
        SELECT a.rowid,
               a.refund_id || ' ' || a.order_id || ' ' || coalesce(a.return_waybill_norm, '') || ' ' || coalesce(a.local_waybill_norm, ''),
               a.sku_nick || ' ' || coalesce(o.item_title, '')
        FROM after_sales a LEFT JOIN orders o ON o.order_id = a.order_id;

      CREATE INDEX after_sales_queue ON after_sales (${QUEUE_RANK_SQL}, update_time DESC, refund_id)
        WHERE handling_way = 1 AND status IN (22, 30, 40);
      CREATE INDEX after_sales_recent ON after_sales (update_time DESC, refund_id);
      DROP INDEX after_sales_shop_update;
    `);
  },
};
