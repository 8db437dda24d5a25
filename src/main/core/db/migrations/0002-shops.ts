// Migration 2: connected shops and their sealed secrets (app secret, sign secret, access and refresh tokens).
import type { Migration } from '../migration';

export const migration0002: Migration = {
  version: 2,
  name: 'shops',
  up(db) {
    db.exec(`
      CREATE TABLE shops (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        base_url TEXT NOT NULL,
        app_key TEXT NOT NULL,
        sign_method TEXT NOT NULL CHECK (sign_method IN ('HMAC_SHA256', 'MD5')),
        auth_mode TEXT NOT NULL CHECK (auth_mode IN ('pasted_token', 'oauth')),
        status TEXT NOT NULL CHECK (status IN ('connected', 'needs_reauthorization', 'disconnected')),
        status_reason TEXT,
        open_id TEXT,
        scopes TEXT NOT NULL DEFAULT '[]',
        access_token_expires_at INTEGER,
        refresh_token_expires_at INTEGER,
        is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
        demo_seed INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX shops_single_demo ON shops (is_demo) WHERE is_demo = 1;
      CREATE INDEX shops_app_key ON shops (app_key, base_url);

      -- Secrets only ever stored sealed by a SecretBox; box_kind says which one sealed the value.
      CREATE TABLE shop_secrets (
        shop_id TEXT NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (name IN ('app_secret', 'sign_secret', 'access_token', 'refresh_token')),
        sealed BLOB NOT NULL,
        box_kind TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (shop_id, name)
      ) STRICT;
    `);
  },
};
