// Migration 12: what warehouse mode follows down beside the desk's own records: other desks' audit entries (kept
// apart, so this desk's hash chain stays its own) and the desk an unmatched parcel or an inspection came from.
import type { Migration } from '../migration';

export const migration0012: Migration = {
  version: 12,
  name: 'warehouse-records',
  up(db) {
    db.exec(`
      -- Other desks' audit entries, as the warehouse holds them (its own chain verifies them there).
      -- Same fields as audit_log, named by the warehouse's audit_id and the desk that wrote them.
      CREATE TABLE warehouse_audit_log (
        audit_id TEXT PRIMARY KEY NOT NULL,
        desk_id TEXT NOT NULL,
        -- The entry's id in its own desk's log (what that desk's viewer shows).
        desk_entry_id INTEGER,
        at INTEGER NOT NULL,
        operator_id TEXT,
        operator_name TEXT,
        action TEXT NOT NULL,
        refund_id TEXT,
        scanned_code TEXT,
        outcome TEXT NOT NULL,
        overridden_warning TEXT,
        details TEXT CHECK (details IS NULL OR json_valid(details))
      ) STRICT;
      CREATE INDEX warehouse_audit_log_action_at ON warehouse_audit_log (action, at);
      CREATE TRIGGER warehouse_audit_log_no_update BEFORE UPDATE ON warehouse_audit_log
        BEGIN SELECT RAISE(ABORT, 'warehouse_audit_log is append-only'); END;

      CREATE INDEX warehouse_audit_log_at ON warehouse_audit_log (at);
      -- The viewer across desks reads each log newest first by time (and id), a page at a time.
      CREATE INDEX audit_log_at ON audit_log (at);

      -- Every desk's audit in one place for the back office: this desk's own entries (desk_id NULL, remote 0) and
      -- the others'. (at, remote, row_id) orders and pages the whole; id is what the entry is called at its desk.
      CREATE VIEW all_desks_audit AS
        SELECT NULL AS desk_id, 0 AS remote, id AS row_id, id, at, operator_id, operator_name, action, refund_id, scanned_code,
               outcome, overridden_warning, details
          FROM audit_log
        UNION ALL
        SELECT desk_id, 1, rowid, coalesce(desk_entry_id, rowid), at, operator_id, operator_name, action, refund_id, scanned_code,
               outcome, overridden_warning, details
          FROM warehouse_audit_log;

      -- NULL: registered at this desk (and shared from here); otherwise the desk it was followed down from.
      ALTER TABLE unmatched_parcels ADD COLUMN origin_desk TEXT;
      -- The same for inspection results: another desk's inspection is known here (the confirm warning reads it).
      ALTER TABLE inspections ADD COLUMN origin_desk TEXT;
    `);
  },
};
