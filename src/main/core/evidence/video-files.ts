// The unpacking video on disk: appended chunk by chunk to a temporary file, then hashed, fsynced and renamed to its
// content address, the same crash-safe discipline as the photos (a `.part` file left by a crash is removed at start).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EVIDENCE_DIR, relPathOf, verifyFile, type StoredFile } from './files';

const TEMP_DIR = 'tmp';
const READ_BLOCK = 1024 * 1024;
/** Every WebM file starts with the EBML magic. */
const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

export interface TempVideo {
  path: string;
  fd: number;
  size: number;
}

export function openTempVideo(dataDir: string): TempVideo {
  const tempDir = path.join(dataDir, EVIDENCE_DIR, TEMP_DIR);
  fs.mkdirSync(tempDir, { recursive: true });
  const file = path.join(tempDir, `video.${randomBytes(8).toString('hex')}.part`);
  return { path: file, fd: fs.openSync(file, 'wx+', 0o600), size: 0 };
}

export function appendTempVideo(temp: TempVideo, bytes: Uint8Array): void {
  fs.writeSync(temp.fd, bytes, 0, bytes.length, temp.size);
  temp.size += bytes.length;
}

export function discardTempVideo(temp: TempVideo): void {
  try {
    fs.closeSync(temp.fd);
  } catch {
    // already closed
  }
  fs.rmSync(temp.path, { force: true });
}

function hashAndMagic(fd: number, size: number): { sha256: string; magicOk: boolean } {
  const hash = createHash('sha256');
  const block = Buffer.alloc(READ_BLOCK);
  let magicOk = false;
  for (let position = 0; position < size;) {
    const read = fs.readSync(fd, block, 0, Math.min(READ_BLOCK, size - position), position);
    if (read === 0) break;
    if (position === 0) magicOk = read >= 4 && block.subarray(0, 4).equals(EBML_MAGIC);
    hash.update(block.subarray(0, read));
    position += read;
  }
  return { sha256: hash.digest('hex'), magicOk };
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return; // NTFS journals the rename itself
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Seals the temporary file under its hash: fsync, hash, rename, fsync of the folder. Returns null (and removes the
 * temporary file) when the content is not a WebM video. `beforeRename` exists for the crash tests.
 */
export function sealTempVideo(dataDir: string, temp: TempVideo, beforeRename?: () => void): StoredFile | null {
  fs.fsyncSync(temp.fd);
  const { sha256, magicOk } = hashAndMagic(temp.fd, temp.size);
  fs.closeSync(temp.fd);
  if (!magicOk) {
    fs.rmSync(temp.path, { force: true });
    return null;
  }
  const relPath = relPathOf(sha256, 'webm');
  if (verifyFile(dataDir, relPath, sha256)) {
    fs.rmSync(temp.path, { force: true });
    return { sha256, relPath, size: temp.size };
  }
  const target = path.join(dataDir, relPath);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  beforeRename?.();
  fs.renameSync(temp.path, target);
  fsyncDir(path.dirname(target));
  return { sha256, relPath, size: temp.size };
}
