// Warehouse migration 1: the change-feed stamp every shared table's trigger calls.
import type { WarehouseMigration } from '../migration';

export const warehouseMigration0001: WarehouseMigration = {
  version: 1,
  name: 'change-feed',
  sql: `
    -- A sequence value is handed out when a row is written, not when its transaction commits; a desk pulling
    -- "seq > last" would skip a lower value that commits later. The transaction-level advisory lock, taken
    -- before the value and held to commit, makes commit order equal sequence order per table: a second writer
    -- of the same table waits here until the first has committed (and is visible) or rolled back.
    CREATE FUNCTION warehouse_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(1, hashtext(TG_TABLE_NAME));
      NEW.seq := nextval(format('%I', TG_TABLE_NAME || '_change_seq')::regclass);
      -- A wake-up only (coalesced per transaction); desks always read the rows themselves.
      PERFORM pg_notify('warehouse_change', TG_TABLE_NAME);
      RETURN NEW;
    END
    $$;
  `,
};
