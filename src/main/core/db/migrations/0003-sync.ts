// Migration 3: the after-sale cache with its waybill index, orders, platform history, per-shop sync state and the outbox.
import type { Migration } from '../migration';

export const migration0003: Migration = {
  version: 3,
  name: 'sync-cache-outbox',
  up(db) {
    db.exec(`
      -- One row per refund; update_time is the platform's version and guards every upsert.
      CREATE TABLE after_sales (
        refund_id TEXT PRIMARY KEY NOT NULL,
        shop_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        sku_id TEXT NOT NULL,
        sku_nick TEXT NOT NULL,
        handling_way INTEGER NOT NULL,
        status INTEGER NOT NULL,
        negotiate_status INTEGER NOT NULL,
        refund_type INTEGER NOT NULL,
        receipt_status INTEGER NOT NULL,
        refund_fee INTEGER NOT NULL,
        refund_reason INTEGER,
        refund_reason_desc TEXT NOT NULL,
        refund_desc TEXT NOT NULL,
        submit_time INTEGER NOT NULL,
        create_time INTEGER NOT NULL,
        update_time INTEGER NOT NULL,
        negotiate_update_time INTEGER,
        end_time INTEGER,
        expire_time INTEGER,
        logistics_id TEXT,
        -- From the detail; detail_version is the updateTime the detail was read at (NULL: never read).
        detail_version INTEGER,
        return_express_no TEXT,
        return_express_code INTEGER,
        return_waybill_norm TEXT,
        return_freight TEXT CHECK (return_freight IS NULL OR json_valid(return_freight)),
        buyer_open_id TEXT,
        -- Our own pending work, kept in step with the outbox in the same transactions.
        local_state TEXT NOT NULL DEFAULT 'none'
          CHECK (local_state IN ('none', 'waybill_pending', 'confirm_pending', 'confirm_sending', 'confirmed', 'conflict')),
        local_express_no TEXT,
        local_express_code INTEGER,
        local_waybill_norm TEXT,
        synced_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX after_sales_return_waybill ON after_sales (return_waybill_norm) WHERE return_waybill_norm IS NOT NULL;
      CREATE INDEX after_sales_local_waybill ON after_sales (local_waybill_norm) WHERE local_waybill_norm IS NOT NULL;
      CREATE INDEX after_sales_order ON after_sales (order_id);
      CREATE INDEX after_sales_shop_update ON after_sales (shop_id, update_time);
      CREATE INDEX after_sales_status ON after_sales (status, handling_way);

      -- Fetched once per order: freight insurance, title, quantity and the outbound shipment.
      CREATE TABLE orders (
        order_id TEXT PRIMARY KEY NOT NULL,
        shop_id TEXT NOT NULL,
        found INTEGER NOT NULL CHECK (found IN (0, 1)),
        item_title TEXT,
        sku_desc TEXT,
        quantity INTEGER,
        freight_insurance INTEGER CHECK (freight_insurance IS NULL OR freight_insurance IN (0, 1)),
        freight_provider_type INTEGER,
        fetched_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE order_waybills (
        order_id TEXT NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
        express_no TEXT NOT NULL,
        express_code INTEGER NOT NULL,
        normalized TEXT NOT NULL,
        PRIMARY KEY (order_id, normalized)
      ) STRICT;
      CREATE INDEX order_waybills_normalized ON order_waybills (normalized);

      -- The platform's negotiation history, read on demand and cached with the version it was read at.
      CREATE TABLE negotiation_history (
        refund_id TEXT PRIMARY KEY NOT NULL,
        version INTEGER NOT NULL,
        entries TEXT NOT NULL CHECK (json_valid(entries)),
        fetched_at INTEGER NOT NULL
      ) STRICT;

      -- Per-shop pull progress: the incremental high-water mark and the newest-first backfill position.
      CREATE TABLE sync_state (
        shop_id TEXT PRIMARY KEY NOT NULL,
        high_water_mark INTEGER NOT NULL,
        backfill_start INTEGER NOT NULL,
        backfill_horizon INTEGER NOT NULL,
        backfill_next_end INTEGER NOT NULL,
        backfill_done INTEGER NOT NULL DEFAULT 0 CHECK (backfill_done IN (0, 1)),
        window_ms INTEGER NOT NULL CHECK (window_ms > 0),
        last_sync_at INTEGER,
        last_error TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Every platform write, written in the same transaction as the local change it stands for.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('submit_waybill', 'confirm_receipt')),
        shop_id TEXT NOT NULL,
        refund_id TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        state TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'retrying', 'done', 'conflict', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        sends INTEGER NOT NULL DEFAULT 0, -- requests that left the machine
        needs_recheck INTEGER NOT NULL DEFAULT 0 CHECK (needs_recheck IN (0, 1)),
        not_before INTEGER NOT NULL,
        undo_until INTEGER,
        last_error TEXT,
        conflict_state TEXT CHECK (conflict_state IS NULL OR json_valid(conflict_state)),
        operator_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        done_at INTEGER
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (state, not_before);
      CREATE INDEX outbox_refund ON outbox (refund_id, seq);
      -- A refund has at most one confirm that is not cancelled: the database itself refuses a second one.
      CREATE UNIQUE INDEX outbox_one_confirm ON outbox (refund_id) WHERE kind = 'confirm_receipt' AND state <> 'cancelled';
    `);
  },
};
