// Migration 13: other desks' shared outbox rows (what was queued where, and how it ended), kept for the back
// office's statistics across desks (the local outbox holds only rows of the shops this desk has), and one view over both.
import type { Migration } from '../migration';

export const migration0013: Migration = {
  version: 13,
  name: 'warehouse-outbox',
  up(db) {
    db.exec(`
      -- One row per shared outbox row made at another desk, named by its outbox id (the same id a mirrored row has
      -- in the local outbox, so the statistics count it once). state is the warehouse's: never undone there (an
      -- undo happens at the desk before the row goes up).
      CREATE TABLE warehouse_outbox (
        outbox_id TEXT PRIMARY KEY NOT NULL,
        desk_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        refund_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'claimed', 'done', 'failed')),
        -- When the origin desk queued it (its outbox's created_at), which the statistics' range selects on.
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX warehouse_outbox_kind_created ON warehouse_outbox (kind, created_at);

      -- Every desk's outbox rows for the back office: this desk's own (with the shared rows it mirrors, under the
      -- same ids; desk_id NULL) plus the other desks' rows it does not hold, so each row is counted once. A row
      -- refused here because another desk had the same action first (conflict reason other_desk) stands for that
      -- desk's row, as it did before warehouse-wide figures: one action per after-sale, not two.
      CREATE VIEW all_desks_outbox AS
        SELECT NULL AS desk_id, id, kind, refund_id, state, created_at FROM outbox
        UNION ALL
        SELECT w.desk_id, w.outbox_id, w.kind, w.refund_id, w.state, w.created_at FROM warehouse_outbox w
          WHERE NOT EXISTS (SELECT 1 FROM outbox l WHERE l.id = w.outbox_id)
            AND NOT EXISTS (SELECT 1 FROM outbox l WHERE l.refund_id = w.refund_id AND l.kind = w.kind
                              AND l.conflict_reason = 'other_desk' AND l.state <> 'cancelled');
    `);
  },
};
