// The warehouse key: shop credentials sealed at one desk open at another; a wrong key is a typed error; PostgreSQL holds no secret.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSecretBox } from '../../../src/main/core/secrets';
import { isWarehouseError } from '../../../src/main/warehouse/errors';
import { readWarehouseIdentity, recordWarehouseKeyId } from '../../../src/main/warehouse/identity';
import {
  DESK_KEY_FILE,
  loadDeskWarehouseKey,
  readWarehouseKeyFile,
  storeDeskWarehouseKey,
  writeWarehouseKeyFile,
} from '../../../src/main/warehouse/key-files';
import { setUpWarehouseKey } from '../../../src/main/warehouse/key-setup';
import { putWarehouseShop, readWarehouseShop, type WarehouseShop } from '../../../src/main/warehouse/shop-credentials';
import { WarehouseKey } from '../../../src/main/warehouse/warehouse-key';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
let pool: pg.Pool;
let root: string;
beforeAll(async () => {
  warehouse = await startTestWarehouse();
  pool = warehouse.pool();
  root = mkdtempSync(path.join(tmpdir(), 'returndesk-keys-'));
});
afterAll(async () => {
  await warehouse?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const shop: WarehouseShop = {
  shopId: '90000000000000001',
  name: '快手测试店',
  disconnected: false,
  secrets: {
    appSecret: 'APPSECRET-7f3a9c1e5b2d',
    signSecret: 'SIGNSECRET-c0ffee1234abcd',
    accessToken: 'ACCESSTOKEN-9b8a7c6d5e4f3a2b1c0d',
    refreshToken: 'REFRESHTOKEN-1a2b3c4d5e6f7a8b',
  },
};

const caught = async (work: () => Promise<unknown>) =>
  work().then(
    () => null,
    (error: unknown) => error,
  );

/** Every 6-character window of `secret`: a ciphertext that leaked any of them would contain part of the secret. */
const windows = (secret: string) => Array.from({ length: secret.length - 5 }, (_, index) => secret.slice(index, index + 6));

describe('the warehouse key', () => {
  it('seals at desk A, opens at desk B (each keeps the key sealed by its own secret box)', async () => {
    // The manager's first run makes the key, writes the key file and records the key's id (never the key).
    const made = WarehouseKey.create();
    const keyFile = path.join(root, 'warehouse.key');
    await writeWarehouseKeyFile(keyFile, made);
    expect(await recordWarehouseKeyId(pool, made.id)).toBe(made.id);
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o077).toBe(0);
    await expect(writeWarehouseKeyFile(keyFile, WarehouseKey.create())).rejects.toThrow(/EEXIST/);

    // Each desk imports the key file once.
    const deskA = path.join(root, 'desk-a');
    const deskB = path.join(root, 'desk-b');
    for (const desk of [deskA, deskB]) {
      const box = createLocalSecretBox(desk);
      await storeDeskWarehouseKey(desk, box, await readWarehouseKeyFile(keyFile));
      expect(readFileSync(path.join(desk, DESK_KEY_FILE), 'utf8')).not.toContain(made.keyText().slice(6, 20));
    }

    const keyAtA = await loadDeskWarehouseKey(deskA, createLocalSecretBox(deskA));
    await putWarehouseShop(pool, keyAtA!, shop);
    const keyAtB = await loadDeskWarehouseKey(deskB, createLocalSecretBox(deskB));
    expect(keyAtB?.id).toBe(made.id);
    expect(await readWarehouseShop(pool, keyAtB!, shop.shopId)).toEqual(shop);

    // Desk A's sealed copy does not open with desk B's secret box.
    await expect(loadDeskWarehouseKey(deskA, createLocalSecretBox(deskB))).rejects.toThrow(/could not be opened/);
    expect(await loadDeskWarehouseKey(path.join(root, 'desk-new'), createLocalSecretBox(path.join(root, 'desk-new')))).toBeNull();
  });

  it('stores no part of any secret, nor of the key, in PostgreSQL', async () => {
    const rows = await pool.query("SELECT encode(credentials_ciphertext, 'escape') AS raw, t::text AS whole FROM shops t");
    const identity = await pool.query('SELECT t::text AS whole FROM warehouse_identity t');
    const key = await readWarehouseKeyFile(path.join(root, 'warehouse.key'));
    const stored = [...rows.rows, ...identity.rows]
      .map((row: { raw?: string; whole: string }) => `${row.raw ?? ''}\n${row.whole}`)
      .join('\n');
    expect(rows.rowCount).toBe(1);
    const secrets = [...Object.values(shop.secrets).filter((value): value is string => value !== null), key.keyText().slice(6)];
    for (const secret of secrets) {
      for (const part of windows(secret)) expect(stored).not.toContain(part);
      expect(stored).not.toContain(Buffer.from(secret).toString('hex').slice(0, 12));
    }
  });

  it('refuses a desk holding another key with a typed error, for reading and for pushing', async () => {
    const wrong = WarehouseKey.create();
    const readError = await caught(() => readWarehouseShop(pool, wrong, shop.shopId));
    expect(isWarehouseError(readError, 'warehouse_key_mismatch')).toBe(true);
    const before = await pool.query('SELECT seq FROM shops WHERE shop_id = $1', [shop.shopId]);
    const pushError = await caught(() => putWarehouseShop(pool, wrong, { ...shop, name: 'overwritten' }));
    expect(isWarehouseError(pushError, 'warehouse_key_mismatch')).toBe(true);
    expect((await pool.query('SELECT name, seq FROM shops WHERE shop_id = $1', [shop.shopId])).rows[0]).toEqual({
      name: shop.name,
      seq: before.rows[0].seq,
    });
    expect((await readWarehouseIdentity(pool))?.warehouseKeyId).not.toBe(wrong.id);
  });

  it('refuses credentials moved onto another shop, and a damaged key text', async () => {
    const key = await readWarehouseKeyFile(path.join(root, 'warehouse.key'));
    await putWarehouseShop(pool, key, { ...shop, shopId: '90000000000000002', name: 'other' });
    await pool.query(
      "UPDATE shops SET credentials_ciphertext = (SELECT credentials_ciphertext FROM shops WHERE shop_id = '90000000000000001') WHERE shop_id = '90000000000000002'",
    );
    const moved = await caught(() => readWarehouseShop(pool, key, '90000000000000002'));
    expect(isWarehouseError(moved, 'warehouse_credentials_damaged')).toBe(true);

    for (const text of ['', 'rdwk1:short', `rdwk2:${key.keyText().slice(6)}`, '# only a comment']) {
      expect(isWarehouseError(await caught(async () => WarehouseKey.fromText(text)), 'warehouse_key_invalid')).toBe(true);
    }
  });

  it('never shows the key when printed, logged or serialised', async () => {
    const key = await readWarehouseKeyFile(path.join(root, 'warehouse.key'));
    const secretPart = key.keyText().slice(6);
    for (const shown of [String(key), `${key}`, JSON.stringify({ key }), inspect(key), inspect({ nested: { key } })]) {
      expect(shown).toContain(key.id);
      expect(shown).not.toContain(secretPart);
    }
  });

  it("the host's first run makes the key file and records its id; later runs check the file against it", async () => {
    const existing = path.join(root, 'warehouse.key');
    const recorded = (await readWarehouseIdentity(pool))!.warehouseKeyId!;
    expect(await setUpWarehouseKey(pool, existing)).toEqual({ status: 'present', keyId: recorded });
    expect(await setUpWarehouseKey(pool, path.join(root, 'elsewhere.key'))).toEqual({ status: 'absent', keyId: recorded });
    const strayFile = path.join(root, 'stray.key');
    const stray = WarehouseKey.create();
    await writeWarehouseKeyFile(strayFile, stray);
    expect(await setUpWarehouseKey(pool, strayFile)).toEqual({ status: 'mismatch', keyId: recorded, fileKeyId: stray.id });

    // A warehouse without a key yet (its first run): a key is made, written, and only its id recorded.
    await pool.query('UPDATE warehouse_identity SET warehouse_key_id = NULL');
    try {
      const fresh = path.join(root, 'fresh.key');
      const outcome = await setUpWarehouseKey(pool, fresh);
      expect(outcome.status).toBe('created');
      expect(outcome.keyId).toBe((await readWarehouseKeyFile(fresh)).id);
      expect((await readWarehouseIdentity(pool))?.warehouseKeyId).toBe(outcome.keyId);
    } finally {
      await pool.query('UPDATE warehouse_identity SET warehouse_key_id = $1', [recorded]);
    }
  });

  it('makes the first key that seals a shop the warehouse key when none was recorded (own PostgreSQL), so keys never mix', async () => {
    const recorded = (await readWarehouseIdentity(pool))!.warehouseKeyId!;
    await pool.query('UPDATE warehouse_identity SET warehouse_key_id = NULL');
    try {
      const first = WarehouseKey.create();
      const second = WarehouseKey.create();
      const results = await Promise.allSettled([
        putWarehouseShop(pool, first, { ...shop, shopId: '90000000000000003' }),
        putWarehouseShop(pool, second, { ...shop, shopId: '90000000000000004' }),
      ]);
      const winner = (await readWarehouseIdentity(pool))!.warehouseKeyId;
      expect([first.id, second.id]).toContain(winner);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((result) => result.status === 'rejected');
      expect(isWarehouseError(refused?.reason, 'warehouse_key_mismatch')).toBe(true);
    } finally {
      await pool.query("DELETE FROM shops WHERE shop_id IN ('90000000000000003', '90000000000000004')");
      await pool.query('UPDATE warehouse_identity SET warehouse_key_id = $1', [recorded]);
    }
  });
});
