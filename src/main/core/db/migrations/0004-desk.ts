// Migration 4: desk operators (hashed PINs, roles), the append-only audit log, scans and unmatched parcels.
import type { Migration } from '../migration';

export const migration0004: Migration = {
  version: 4,
  name: 'desk',
  up(db) {
    db.exec(`
      -- name_key is the NFKC-folded lower-case name: names are unique regardless of case or width.
      -- The PIN itself is never stored: only scrypt(pin, pin_salt) with its parameters in pin_hash.
      CREATE TABLE operators (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        pin_hash TEXT NOT NULL,
        pin_salt TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('main', 'admin', 'cs_admin', 'custom')),
        custom_role_name TEXT,
        permissions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(permissions) AND json_type(permissions) = 'array'),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX operators_single_main ON operators (role) WHERE role = 'main';

      -- Failed sign-ins per typed name (known or not), so repeated guessing locks that name for a while.
      CREATE TABLE operator_sign_in_failures (
        name_key TEXT PRIMARY KEY NOT NULL,
        failures INTEGER NOT NULL,
        locked_until INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Append-only: the triggers below refuse every UPDATE and DELETE.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        operator_id TEXT REFERENCES operators (id),
        operator_name TEXT,
        action TEXT NOT NULL,
        refund_id TEXT,
        scanned_code TEXT,
        outcome TEXT NOT NULL,
        overridden_warning TEXT,
        details TEXT CHECK (details IS NULL OR json_valid(details))
      ) STRICT;
      CREATE INDEX audit_log_refund ON audit_log (refund_id) WHERE refund_id IS NOT NULL;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      -- Every scan answered at the desk: the duplicate-scan guard and the scanId of later actions read it.
      CREATE TABLE desk_scans (
        id TEXT PRIMARY KEY NOT NULL,
        at INTEGER NOT NULL,
        operator_id TEXT REFERENCES operators (id),
        code TEXT NOT NULL,
        normalized TEXT,
        outcome TEXT NOT NULL,
        matched_by TEXT,
        refund_id TEXT
      ) STRICT;
      CREATE INDEX desk_scans_normalized ON desk_scans (normalized, at) WHERE normalized IS NOT NULL;

      CREATE TABLE unmatched_parcels (
        id TEXT PRIMARY KEY NOT NULL,
        code TEXT NOT NULL,
        normalized TEXT,
        note TEXT NOT NULL DEFAULT '',
        registered_at INTEGER NOT NULL,
        operator_id TEXT REFERENCES operators (id),
        operator_name TEXT,
        resolved_refund_id TEXT,
        resolved_at INTEGER
      ) STRICT;
      CREATE INDEX unmatched_parcels_normalized ON unmatched_parcels (normalized) WHERE normalized IS NOT NULL;
    `);
  },
};
