// The embedded host notices its data directory replaced by an older copy (a file-level restore in place): the WAL
// position it recorded, away from the data directory, is ahead of what the restored server has written.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { z } from 'zod';
import { int8Schema } from './pool';

const markSchema = z.object({
  version: z.literal(1),
  systemIdentifier: int8Schema,
  /** pg_current_wal_flush_lsn(): on disk, so a crash of the server or the PC never takes the server back behind it. */
  walFlushLsn: z.string().regex(/^[0-9A-F]+\/[0-9A-F]+$/),
});
type WalMark = z.infer<typeof markSchema>;

/**
 * In the user's home folder, one file per data directory: not inside the data directory nor beside it, so a
 * restored copy of the directory (or of the folder holding it) does not bring back its own, older mark.
 */
export function walMarkFile(dataDir: string, stateDir = path.join(os.homedir(), '.returndesk', 'warehouse-wal-marks')): string {
  const absolute = path.resolve(dataDir);
  const name = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  return path.join(stateDir, `${path.basename(absolute)}-${name}.json`);
}

async function serverPosition(db: pg.Pool | pg.ClientBase): Promise<WalMark> {
  const result = await db.query(
    'SELECT (SELECT system_identifier FROM pg_control_system())::text AS system_identifier, pg_current_wal_flush_lsn()::text AS lsn',
  );
  const row = z.object({ system_identifier: z.string(), lsn: z.string() }).parse(result.rows[0]);
  return markSchema.parse({ version: 1, systemIdentifier: row.system_identifier, walFlushLsn: row.lsn });
}

/** Records where the server's WAL stands (written whole or not at all); the host calls it while running and at stop. */
export async function recordWalMark(db: pg.Pool | pg.ClientBase, file: string): Promise<void> {
  const mark = await serverPosition(db);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(mark)}\n`, { flag: 'wx' });
  await rename(temporary, file);
}

/**
 * True when the server has written less WAL than it had when the mark was recorded: its data directory is an
 * older copy. No mark, an unreadable one, or another cluster (a new initdb: the fingerprint check covers it) is
 * never taken for a restore.
 */
export async function restoredBehindWalMark(db: pg.Pool | pg.ClientBase, file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  let mark: WalMark;
  try {
    mark = markSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return false;
  }
  const current = await serverPosition(db);
  if (current.systemIdentifier !== mark.systemIdentifier) return false;
  const result = await db.query('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn) > 0 AS behind', [mark.walFlushLsn, current.walFlushLsn]);
  return z.object({ behind: z.boolean() }).parse(result.rows[0]).behind;
}
