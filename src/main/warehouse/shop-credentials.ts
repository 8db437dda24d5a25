// Shops in the warehouse: credentials sealed with the warehouse key at one desk, pushed, and opened at another.
import type pg from 'pg';
import { z } from 'zod';
import { WarehouseError } from './errors';
import { assertWarehouseKey } from './identity';
import { inTransaction, parseRows, int8Schema } from './pool';
import type { WarehouseKey } from './warehouse-key';

/** What is sealed: the shop's secrets, the same four a desk keeps sealed in its SQLite. */
export const warehouseShopSecretsSchema = z.object({
  appSecret: z.string().nullable(),
  signSecret: z.string(),
  accessToken: z.string(),
  refreshToken: z.string().nullable(),
});
export type WarehouseShopSecrets = z.infer<typeof warehouseShopSecretsSchema>;

export interface WarehouseShop {
  shopId: string;
  name: string;
  disconnected: boolean;
  secrets: WarehouseShopSecrets;
  /** What a desk needs besides the secrets (platform address, app key, …; nothing secret); kept when not given. */
  profile?: Record<string, unknown>;
}

/** A `shops` row as PostgreSQL returns it (also what the change feed hands a desk). */
export const shopRowSchema = z.object({
  shop_id: int8Schema,
  name: z.string(),
  credentials_ciphertext: z.instanceof(Buffer),
  credentials_key_id: z.string(),
  disconnected: z.boolean(),
  seq: int8Schema,
});
export type ShopRow = z.infer<typeof shopRowSchema>;

/** The shop id is authenticated with the ciphertext: credentials copied onto another shop's row do not open. */
const sealContext = (shopId: string) => `returndesk shop credentials v1\0${shopId}`;

export function sealShopSecrets(key: WarehouseKey, shopId: string, secrets: WarehouseShopSecrets): Buffer {
  return key.seal(Buffer.from(JSON.stringify(warehouseShopSecretsSchema.parse(secrets)), 'utf8'), sealContext(shopId));
}

/** Opens a row's credentials; another key gives `warehouse_key_mismatch`, tampering `warehouse_credentials_damaged`. */
export function openShopRow(key: WarehouseKey, row: ShopRow): WarehouseShop {
  const plain = key.open(row.credentials_ciphertext, sealContext(row.shop_id), row.credentials_key_id);
  const secrets = warehouseShopSecretsSchema.safeParse(JSON.parse(plain.toString('utf8')));
  if (!secrets.success) {
    throw new WarehouseError('warehouse_credentials_damaged', `The credentials of shop ${row.shop_id} are not in the expected shape.`);
  }
  return { shopId: row.shop_id, name: row.name, disconnected: row.disconnected, secrets: secrets.data };
}

/**
 * Pushes a shop (insert or replace); refused with `warehouse_key_mismatch` when the key is not the warehouse's.
 * With no key recorded yet, this key becomes the warehouse's.
 */
export async function putWarehouseShop(pool: pg.Pool, key: WarehouseKey, shop: WarehouseShop): Promise<void> {
  const ciphertext = sealShopSecrets(key, shop.shopId, shop.secrets);
  await inTransaction(pool, async (client) => {
    // The first key that seals a shop becomes the warehouse's (an own PostgreSQL set up without a host run), so
    // keys never mix. The update locks the row only while no key is recorded; a concurrent first push waits on it
    // and then sees the recorded key. The share lock keeps the key id fixed until this shop is written.
    await client.query('UPDATE warehouse_identity SET warehouse_key_id = $1 WHERE warehouse_key_id IS NULL', [key.id]);
    await client.query('SELECT 1 FROM warehouse_identity FOR SHARE');
    await assertWarehouseKey(client, key.id);
    await client.query(
      `INSERT INTO shops (shop_id, name, credentials_ciphertext, credentials_key_id, disconnected, profile)
       VALUES ($1, $2, $3, $4, $5, COALESCE($6::jsonb, '{}'))
       ON CONFLICT (shop_id) DO UPDATE SET name = EXCLUDED.name, credentials_ciphertext = EXCLUDED.credentials_ciphertext,
         credentials_key_id = EXCLUDED.credentials_key_id, disconnected = EXCLUDED.disconnected,
         profile = COALESCE($6::jsonb, shops.profile), updated_at = now()`,
      [shop.shopId, shop.name, ciphertext, key.id, shop.disconnected, shop.profile ? JSON.stringify(shop.profile) : null],
    );
  });
}

export async function readWarehouseShops(db: pg.Pool | pg.ClientBase, key: WarehouseKey): Promise<WarehouseShop[]> {
  const result = await db.query(
    'SELECT shop_id, name, credentials_ciphertext, credentials_key_id, disconnected, seq FROM shops ORDER BY shop_id',
  );
  return parseRows(shopRowSchema, result.rows).map((row) => openShopRow(key, row));
}

export async function readWarehouseShop(db: pg.Pool | pg.ClientBase, key: WarehouseKey, shopId: string): Promise<WarehouseShop | null> {
  const result = await db.query(
    'SELECT shop_id, name, credentials_ciphertext, credentials_key_id, disconnected, seq FROM shops WHERE shop_id = $1',
    [shopId],
  );
  const row = parseRows(shopRowSchema, result.rows)[0];
  return row ? openShopRow(key, row) : null;
}
