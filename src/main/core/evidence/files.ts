// Evidence files on disk: content-addressed by SHA-256 under the data directory, written crash-safe
// (temporary file, fsync, rename, fsync of the folder), so a file either is complete under its hash or absent.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const EVIDENCE_DIR = 'evidence';
const TEMP_DIR = 'tmp';

export interface StoredFile {
  sha256: string;
  relPath: string; // relative to the data directory, with forward slashes
  size: number;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function relPathOf(sha256: string, extension: string): string {
  return `${EVIDENCE_DIR}/${sha256.slice(0, 2)}/${sha256}.${extension}`;
}

function fsyncDir(dir: string): void {
  // Directories cannot be opened for fsync on Windows; there NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether the file under relPath exists and holds exactly the content its name claims. */
export function verifyFile(dataDir: string, relPath: string, sha256: string): boolean {
  try {
    return sha256Of(fs.readFileSync(path.join(dataDir, relPath))) === sha256;
  } catch {
    return false;
  }
}

/**
 * Stores bytes under their hash. The same content twice is one file; a damaged file of that name (a disk
 * fault) is replaced. `beforeRename` exists for the crash tests: it runs after the fsync, before the rename.
 */
export function storeFile(dataDir: string, bytes: Uint8Array, extension: string, beforeRename?: () => void): StoredFile {
  const sha256 = sha256Of(bytes);
  const relPath = relPathOf(sha256, extension);
  const target = path.join(dataDir, relPath);
  if (verifyFile(dataDir, relPath, sha256)) return { sha256, relPath, size: bytes.length };
  const tempDir = path.join(dataDir, EVIDENCE_DIR, TEMP_DIR);
  fs.mkdirSync(tempDir, { recursive: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = path.join(tempDir, `${sha256}.${randomBytes(6).toString('hex')}.part`);
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  beforeRename?.();
  fs.renameSync(temp, target);
  fsyncDir(path.dirname(target));
  return { sha256, relPath, size: bytes.length };
}

export function readFile(dataDir: string, relPath: string): Buffer {
  return fs.readFileSync(path.join(dataDir, relPath));
}

/** Start-up: temporary files left by a crash mid-write are incomplete by definition. */
export function removeLeftovers(dataDir: string): number {
  const tempDir = path.join(dataDir, EVIDENCE_DIR, TEMP_DIR);
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(tempDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.endsWith('.part')) continue;
    fs.rmSync(path.join(tempDir, name), { force: true });
    removed += 1;
  }
  return removed;
}
