// Migration 7: local waybill aliases (a label on the parcel in hand → its after-sale, at this desk only) and the
// typed reason of an outbox conflict, so the desk explains it in the operator's words.
import type { Migration } from '../migration';

export const migration0007: Migration = {
  version: 7,
  name: 'desk-rules',
  up(db) {
    db.exec(`
      -- One after-sale per label: a scan of 'normalized' finds refund_id. Never sent to the platform.
      CREATE TABLE waybill_aliases (
        normalized TEXT PRIMARY KEY NOT NULL,
        express_no TEXT NOT NULL,
        refund_id TEXT NOT NULL,
        operator_id TEXT REFERENCES operators (id),
        operator_name TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX waybill_aliases_refund ON waybill_aliases (refund_id);
      ALTER TABLE outbox ADD COLUMN conflict_reason TEXT;
    `);
  },
};
