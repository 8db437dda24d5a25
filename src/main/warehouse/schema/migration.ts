// Shape of one PostgreSQL migration of the warehouse schema: a version number and the SQL that brings the database to it.
export interface WarehouseMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The DDL that puts a table on the change feed: its own sequence, a `seq` column stamped on every insert and
 * update by warehouse_stamp_change() (migration 1), and an index for `seq > last` pulls.
 */
export function changeFeedDdl(table: string, events: 'INSERT' | 'INSERT OR UPDATE' = 'INSERT OR UPDATE'): string {
  return `
    CREATE SEQUENCE ${table}_change_seq;
    ALTER TABLE ${table} ADD COLUMN seq bigint NOT NULL DEFAULT 0;
    CREATE INDEX ${table}_by_seq ON ${table} (seq);
    CREATE TRIGGER a_change_seq BEFORE ${events} ON ${table}
      FOR EACH ROW EXECUTE FUNCTION warehouse_stamp_change();
  `;
}
