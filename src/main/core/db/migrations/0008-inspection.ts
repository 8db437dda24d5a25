// Migration 8: inspection results, content-addressed evidence files and their platform uploads, the cached reject
// reasons, and two new outbox kinds (refusing a return, confirming an exchange and sending the replacement).
import type { Migration } from '../migration';

export const migration0008: Migration = {
  version: 8,
  name: 'inspection',
  up(db) {
    db.exec(`
      -- SQLite cannot widen a CHECK in place: the outbox is rebuilt with the new kinds, rows and seq kept.
      CREATE TABLE outbox_new (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('submit_waybill', 'confirm_receipt', 'reject_refund', 'confirm_and_send')),
        shop_id TEXT NOT NULL,
        refund_id TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        state TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'retrying', 'done', 'conflict', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        sends INTEGER NOT NULL DEFAULT 0,
        needs_recheck INTEGER NOT NULL DEFAULT 0 CHECK (needs_recheck IN (0, 1)),
        not_before INTEGER NOT NULL,
        undo_until INTEGER,
        last_error TEXT,
        conflict_state TEXT CHECK (conflict_state IS NULL OR json_valid(conflict_state)),
        operator_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        done_at INTEGER,
        owner TEXT, -- migration 6: the claimer and its lease
        lease_until INTEGER,
        conflict_reason TEXT -- migration 7: the typed reason of a conflict
      ) STRICT;
      INSERT INTO outbox_new SELECT * FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_new RENAME TO outbox;
      CREATE INDEX outbox_due ON outbox (state, not_before);
      CREATE INDEX outbox_refund ON outbox (refund_id, seq);
      CREATE UNIQUE INDEX outbox_one_confirm ON outbox (refund_id) WHERE kind = 'confirm_receipt' AND state <> 'cancelled';
      -- One decision per after-sale at a time: a refusal or an exchange send that is not cancelled.
      CREATE UNIQUE INDEX outbox_one_decision ON outbox (refund_id)
        WHERE kind IN ('reject_refund', 'confirm_and_send') AND state NOT IN ('cancelled', 'conflict');

      CREATE TABLE inspections (
        id TEXT PRIMARY KEY,
        refund_id TEXT NOT NULL,
        scan_id TEXT,
        result TEXT NOT NULL CHECK (result IN ('passed', 'empty', 'wrong_item', 'damaged', 'missing_parts', 'used', 'other')),
        note TEXT,
        operator_id TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX inspections_refund ON inspections (refund_id, created_at);
      CREATE INDEX inspections_time ON inspections (created_at, result);

      -- One row per distinct content: the file lives at rel_path under the data directory, named by its hash.
      CREATE TABLE evidence_files (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        media TEXT NOT NULL CHECK (media IN ('photo', 'video')),
        mime TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        rel_path TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE evidence_links (
        refund_id TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES evidence_files (sha256),
        scan_id TEXT,
        operator_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (refund_id, sha256)
      ) STRICT;
      -- A platform URL per image and shop, kept the moment the upload answers: a resend never uploads twice.
      CREATE TABLE evidence_uploads (
        sha256 TEXT NOT NULL REFERENCES evidence_files (sha256),
        shop_id TEXT NOT NULL,
        url TEXT NOT NULL,
        uploaded_at INTEGER NOT NULL,
        PRIMARY KEY (sha256, shop_id)
      ) STRICT;
      -- The reasons an after-sale may be refused with, as the platform answered for one version of it.
      CREATE TABLE reject_reasons (
        refund_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        reasons TEXT NOT NULL CHECK (json_valid(reasons)),
        fetched_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
