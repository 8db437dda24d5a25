// The embedded host notices its data directory replaced by an older copy (a file-level restore in place): the WAL
// position it recorded, outside the data directory, is ahead of what the restored server has written.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { z } from 'zod';

const markSchema = z.object({
  version: z.literal(1),
  systemIdentifier: z.string().regex(/^[0-9]+$/),
  /** pg_current_wal_flush_lsn(): on disk, so a crash of the server or the PC never takes the server back behind it. */
  walFlushLsn: z.string().regex(/^[0-9A-F]+\/[0-9A-F]+$/),
});
type WalMark = z.infer<typeof markSchema>;

/** Beside the data directory, never inside it: a restored copy of the directory must not bring its own mark. */
export function walMarkFile(dataDir: string): string {
  const absolute = path.resolve(dataDir);
  return path.join(path.dirname(absolute), `${path.basename(absolute)}.wal-mark.json`);
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
