// Warehouse migration 2: shops (credentials as ciphertext only), roles, operators and settings shared by every desk.
import { changeFeedDdl, type WarehouseMigration } from '../migration';

export const warehouseMigration0002: WarehouseMigration = {
  version: 2,
  name: 'directory',
  sql: `
    -- The shop's app key/secret and tokens are sealed with the warehouse key each desk is given once;
    -- there is deliberately no column that could hold them in plain text.
    CREATE TABLE shops (
      shop_id text PRIMARY KEY CHECK (shop_id ~ '^[0-9]+$'),
      name text NOT NULL,
      credentials_ciphertext bytea NOT NULL,
      credentials_key_id text NOT NULL,
      disconnected boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    ${changeFeedDdl('shops')}

    CREATE TABLE roles (
      role_id uuid PRIMARY KEY,
      name text NOT NULL UNIQUE,
      permissions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(permissions) = 'array'),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    ${changeFeedDdl('roles')}

    -- Same rules as a desk's SQLite: the PIN is never stored, only its scrypt hash and salt.
    CREATE TABLE operators (
      operator_id uuid PRIMARY KEY,
      name text NOT NULL,
      name_key text NOT NULL UNIQUE,
      pin_hash text NOT NULL,
      pin_salt text NOT NULL,
      role text NOT NULL CHECK (role IN ('main', 'admin', 'cs_admin', 'custom')),
      custom_role_id uuid REFERENCES roles (role_id),
      disabled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((role = 'custom') = (custom_role_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX operators_single_main ON operators (role) WHERE role = 'main';
    ${changeFeedDdl('operators')}

    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    ${changeFeedDdl('settings')}
  `,
};
