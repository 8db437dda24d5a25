// Warehouse migration 7: what desks need to share their directory: roles by content, and a shop's public profile.
import type { WarehouseMigration } from '../migration';

export const warehouseMigration0007: WarehouseMigration = {
  version: 7,
  name: 'directory-sharing',
  sql: `
    -- A role's id is derived from its name and permissions, so two desks giving the same custom role meet on one
    -- row, and two custom roles of the same name with different permissions (allowed at a desk) both fit.
    ALTER TABLE roles DROP CONSTRAINT roles_name_key;

    -- What a desk needs besides the sealed credentials to work a shop connected elsewhere: platform address, app
    -- key, signing method, how it was authorised, token deadlines. Nothing secret (those stay sealed).
    ALTER TABLE shops ADD COLUMN profile jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(profile) = 'object');
  `,
};
