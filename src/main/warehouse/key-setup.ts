// The warehouse host's first run makes the warehouse key and writes its file; later runs check the file against the database.
import { existsSync } from 'node:fs';
import type pg from 'pg';
import { readWarehouseIdentity, recordWarehouseKeyId } from './identity';
import { readWarehouseKeyFile, writeWarehouseKeyFile } from './key-files';
import { WarehouseKey } from './warehouse-key';

export type KeySetupOutcome =
  /** No key yet: one was made, written to the file and its id recorded. */
  | { status: 'created'; keyId: string }
  /** No key recorded yet, but the file exists (a database made anew): the file's key is the warehouse's. */
  | { status: 'adopted'; keyId: string }
  /** The file holds the recorded key. */
  | { status: 'present'; keyId: string }
  /** A key is recorded but its file is not here (kept offline, as advised): desks that imported it go on. */
  | { status: 'absent'; keyId: string }
  /** The file holds another key than the one the shops are sealed with. */
  | { status: 'mismatch'; keyId: string; fileKeyId: string };

/** Only the id (a hash) ever reaches PostgreSQL or the console; the key itself only the file. */
export async function setUpWarehouseKey(pool: pg.Pool, keyFile: string): Promise<KeySetupOutcome> {
  const recorded = (await readWarehouseIdentity(pool))?.warehouseKeyId ?? null;
  const fileKey = existsSync(keyFile) ? await readWarehouseKeyFile(keyFile) : null;
  if (recorded === null) {
    const key = fileKey ?? WarehouseKey.create();
    if (!fileKey) await writeWarehouseKeyFile(keyFile, key);
    const keyId = await recordWarehouseKeyId(pool, key.id);
    // Another host recorded a key first (two first runs at once): report it like any other mismatch.
    if (keyId !== key.id) return { status: 'mismatch', keyId, fileKeyId: key.id };
    return { status: fileKey ? 'adopted' : 'created', keyId };
  }
  if (!fileKey) return { status: 'absent', keyId: recorded };
  if (fileKey.id !== recorded) return { status: 'mismatch', keyId: recorded, fileKeyId: fileKey.id };
  return { status: 'present', keyId: recorded };
}
