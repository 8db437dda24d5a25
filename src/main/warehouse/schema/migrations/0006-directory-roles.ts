// Warehouse migration 6: roles are shared by content (a desk's custom role is its operator's own name + permissions).
import type { WarehouseMigration } from '../migration';

export const warehouseMigration0006: WarehouseMigration = {
  version: 6,
  name: 'directory-roles',
  sql: `
    -- A role's id is derived from its name and permissions, so two desks giving the same custom role meet on one
    -- row, and two custom roles of the same name with different permissions (allowed at a desk) both fit.
    ALTER TABLE roles DROP CONSTRAINT roles_name_key;
  `,
};
