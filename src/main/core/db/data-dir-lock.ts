// One writer per data directory: an exclusive OS-level lock (SQLite's own file locking, fcntl/LockFileEx, on
// `returndesk.lock`) held for the life of the core. The OS drops it when the process dies, kill -9 included.
// A second process is refused with the holder named (from `returndesk.lock.json`, written once the lock is ours).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const LOCK_FILE = 'returndesk.lock';
export const HOLDER_FILE = 'returndesk.lock.json';

const holderSchema = z.object({ pid: z.number().int(), host: z.string(), program: z.string(), since: z.number() });
export type LockHolder = z.infer<typeof holderSchema>;

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder
      ? `process ${holder.pid} (${holder.program}) on ${holder.host}, running since ${new Date(holder.since).toISOString()}`
      : 'another process';
    super(
      `The data directory ${dataDir} is in use by ${who}. Only one ReturnDesk may use a data directory at a time: ` +
        'close that one first, or start this one with another --data-dir.',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  release(): void;
}

function readHolder(dataDir: string): LockHolder | null {
  try {
    return holderSchema.parse(JSON.parse(fs.readFileSync(path.join(dataDir, HOLDER_FILE), 'utf8')));
  } catch {
    return null;
  }
}

/** Creates a file readable by its owner only (it may sit next to PIN hashes); an existing file is tightened. */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  if (process.platform !== 'win32') fs.chmodSync(file, 0o600);
}

/** Takes the data directory's lock or throws DataDirInUseError naming the holder. */
export function lockDataDir(dataDir: string, options: { nativeBinding?: string; program?: string } = {}): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, LOCK_FILE);
  ensurePrivateFile(file);
  const lock = new Database(file, { timeout: 0, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dataDir, readHolder(dataDir));
    throw error;
  }
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    program: options.program ?? path.basename(process.argv[1] ?? process.argv0),
    since: Date.now(),
  };
  const holderFile = path.join(dataDir, HOLDER_FILE);
  ensurePrivateFile(holderFile);
  fs.writeFileSync(holderFile, JSON.stringify(holder));
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      lock.close();
    },
  };
}
