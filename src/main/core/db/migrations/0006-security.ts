// Migration 6: outbox rows carry their claimer and a lease (start-up recovery only takes rows whose owner is
// gone); the audit log becomes a hash chain (each entry hashes the previous entry's hash with its own fields),
// existing entries chained in id order; and no insert may reuse or precede an existing audit id.
import type { Migration } from '../migration';
import { chainAuditLog } from '../../audit/chain';

export const migration0006: Migration = {
  version: 6,
  name: 'security',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN owner TEXT;
      ALTER TABLE outbox ADD COLUMN lease_until INTEGER;

      ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
      ALTER TABLE audit_log ADD COLUMN hash TEXT;
      DROP TRIGGER audit_log_no_update;
    `);
    chainAuditLog(db);
    db.exec(`
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      -- INSERT OR REPLACE deletes without firing delete triggers unless recursive_triggers is on: refuse it here.
      CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
        WHEN NEW.id IS NOT NULL AND NEW.id <= (SELECT coalesce(max(id), 0) FROM audit_log)
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
