// Migration 11: an outbox row can be delegated (warehouse mode: the row lives in a shared outbox and whichever
// desk claims it there sends it); the local worker leaves delegated rows alone, start-up recovery too.
import type { Migration } from '../migration';

export const migration0011: Migration = {
  version: 11,
  name: 'outbox-delegation',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN delegated INTEGER NOT NULL DEFAULT 0 CHECK (delegated IN (0, 1));
    `);
  },
};
