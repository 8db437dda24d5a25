// Warehouse migration 3: the after-sales cache and index, scans, unmatched parcels, inspections and evidence metadata.
import { changeFeedDdl, type WarehouseMigration } from '../migration';

export const warehouseMigration0003: WarehouseMigration = {
  version: 3,
  name: 'desk-records',
  sql: `
    -- Ids from Kuaishou are decimal strings (they exceed 2^53); money is integer fen; desk events are epoch ms.
    CREATE TABLE after_sales (
      shop_id text NOT NULL REFERENCES shops (shop_id),
      after_sale_id text NOT NULL CHECK (after_sale_id ~ '^[0-9]+$'),
      order_id text NOT NULL CHECK (order_id ~ '^[0-9]+$'),
      status text NOT NULL,
      refund_fen bigint NOT NULL CHECK (refund_fen >= 0),
      return_waybill text,
      return_courier_code text,
      platform_updated_at_ms bigint NOT NULL,
      record jsonb NOT NULL,
      fetched_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, after_sale_id)
    );
    ${changeFeedDdl('after_sales')}

    -- The scan index: every key a parcel can be found by. A key that no longer applies is marked removed
    -- (a tombstone), never deleted, so desks pulling the feed learn about it too.
    CREATE TABLE after_sale_index (
      key_kind text NOT NULL CHECK (key_kind IN ('waybill', 'order', 'after_sale')),
      key text NOT NULL,
      shop_id text NOT NULL,
      after_sale_id text NOT NULL,
      removed boolean NOT NULL DEFAULT false,
      PRIMARY KEY (key_kind, key, shop_id, after_sale_id),
      FOREIGN KEY (shop_id, after_sale_id) REFERENCES after_sales (shop_id, after_sale_id)
    );
    ${changeFeedDdl('after_sale_index')}

    CREATE TABLE scans (
      scan_id uuid PRIMARY KEY,
      desk_id text NOT NULL,
      operator_id uuid REFERENCES operators (operator_id),
      code text NOT NULL,
      outcome text NOT NULL,
      shop_id text,
      after_sale_id text,
      scanned_at_ms bigint NOT NULL
    );
    ${changeFeedDdl('scans', 'INSERT')}

    CREATE TABLE unmatched_parcels (
      parcel_id uuid PRIMARY KEY,
      desk_id text NOT NULL,
      operator_id uuid REFERENCES operators (operator_id),
      waybill text NOT NULL,
      courier_code text,
      note text NOT NULL DEFAULT '',
      registered_at_ms bigint NOT NULL,
      resolved_shop_id text,
      resolved_after_sale_id text,
      resolved_at_ms bigint
    );
    CREATE INDEX unmatched_parcels_by_waybill ON unmatched_parcels (waybill);
    ${changeFeedDdl('unmatched_parcels')}

    CREATE TABLE inspections (
      inspection_id uuid PRIMARY KEY,
      shop_id text NOT NULL,
      after_sale_id text NOT NULL,
      desk_id text NOT NULL,
      operator_id uuid REFERENCES operators (operator_id),
      result text NOT NULL CHECK (result IN ('pass', 'partial', 'fail')),
      notes text NOT NULL DEFAULT '',
      inspected_at_ms bigint NOT NULL
    );
    ${changeFeedDdl('inspections')}

    -- Metadata only: the photo or video stays on the desk that took it (stored_on names that desk).
    CREATE TABLE inspection_evidence (
      evidence_id uuid PRIMARY KEY,
      inspection_id uuid NOT NULL REFERENCES inspections (inspection_id),
      kind text NOT NULL CHECK (kind IN ('photo', 'video')),
      mime text NOT NULL,
      bytes bigint NOT NULL CHECK (bytes >= 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      stored_on text NOT NULL,
      captured_at_ms bigint NOT NULL
    );
    ${changeFeedDdl('inspection_evidence', 'INSERT')}
  `,
};
