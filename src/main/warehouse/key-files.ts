// Where the warehouse key lives: the key file the manager carries to each desk, and each desk's copy sealed by its SecretBox.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SecretBox } from '../core/secrets';
import { WarehouseError } from './errors';
import { isWarehouseKeyId, WarehouseKey } from './warehouse-key';

/** The desk's sealed copy, in the desk's data directory (beside its SQLite and its local key). */
export const DESK_KEY_FILE = 'warehouse-key.sealed.json';

/**
 * Writes the key file once (refuses to overwrite: a second key would orphan every sealed credential). Readable
 * by its owner only; the manager copies it to each desk, imports it there, and keeps it offline.
 */
export async function writeWarehouseKeyFile(file: string, key: WarehouseKey): Promise<void> {
  const text =
    `# ReturnDesk warehouse key ${key.id}. Import it once on each desk, then keep this file offline (not on a shared drive).\n` +
    `${key.keyText()}\n`;
  await writeFile(file, text, { mode: 0o600, flag: 'wx' });
}

export async function readWarehouseKeyFile(file: string): Promise<WarehouseKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new WarehouseError('warehouse_key_invalid', `Cannot read the warehouse key file ${file}: ${(error as Error).message}`);
  }
  return WarehouseKey.fromText(text);
}

const deskRecordSchema = z.object({
  version: z.literal(1),
  keyId: z.string().refine(isWarehouseKeyId, 'not a warehouse key id'),
  sealedBy: z.string().min(1),
  sealed: z.string().min(1),
});

/**
 * Stores the key at a desk, sealed by the desk's SecretBox (the OS keychain on the desktop, local-secrets.key in
 * the browser host), so it is as safe there as the shop tokens the desk already keeps; written whole or not at all.
 */
export async function storeDeskWarehouseKey(dataDir: string, box: SecretBox, key: WarehouseKey): Promise<void> {
  const record: z.infer<typeof deskRecordSchema> = {
    version: 1,
    keyId: key.id,
    sealedBy: box.kind,
    sealed: box.encrypt(key.keyText()).toString('base64'),
  };
  const file = path.join(dataDir, DESK_KEY_FILE);
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temporary, file);
}

/** The desk's warehouse key, or null when none was imported yet. */
export async function loadDeskWarehouseKey(dataDir: string, box: SecretBox): Promise<WarehouseKey | null> {
  const file = path.join(dataDir, DESK_KEY_FILE);
  if (!existsSync(file)) return null;
  const text = await readFile(file, 'utf8');
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // reported below as not a sealed key
  }
  const parsed = deskRecordSchema.safeParse(json);
  if (!parsed.success) throw new WarehouseError('warehouse_key_invalid', `${file} is not a sealed warehouse key.`);
  if (parsed.data.sealedBy !== box.kind) {
    throw new WarehouseError(
      'warehouse_key_invalid',
      `${file} was sealed by "${parsed.data.sealedBy}", which this host cannot open (it has "${box.kind}"); import the key file again.`,
    );
  }
  const key = WarehouseKey.fromText(box.decrypt(Buffer.from(parsed.data.sealed, 'base64')));
  if (key.id !== parsed.data.keyId) throw new WarehouseError('warehouse_key_invalid', `${file} does not hold the key it names.`);
  return key;
}
