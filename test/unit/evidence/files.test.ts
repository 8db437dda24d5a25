// The evidence file store: content-addressed, complete-or-absent across a crash before the rename, leftovers cleaned.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relPathOf, removeLeftovers, sha256Of, storeFile, verifyFile } from '../../../src/main/core/evidence/files';
import { tempDir } from '../../support/core';

const bytes = Buffer.from('evidence bytes');

describe('evidence file store', () => {
  it('stores under the SHA-256 of the content, once per content', () => {
    const dir = tempDir();
    const a = storeFile(dir, bytes, 'jpg');
    expect(a.sha256).toBe(sha256Of(bytes));
    expect(a.relPath).toBe(relPathOf(a.sha256, 'jpg'));
    expect(fs.readFileSync(path.join(dir, a.relPath))).toEqual(bytes);
    const mtime = fs.statSync(path.join(dir, a.relPath)).mtimeMs;
    expect(storeFile(dir, bytes, 'jpg')).toEqual(a);
    expect(fs.statSync(path.join(dir, a.relPath)).mtimeMs).toBe(mtime);
  });

  it('a crash after the write but before the rename leaves no file under the hash, only a leftover that start-up removes', () => {
    const dir = tempDir();
    expect(() =>
      storeFile(dir, bytes, 'jpg', () => {
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    const rel = relPathOf(sha256Of(bytes), 'jpg');
    expect(fs.existsSync(path.join(dir, rel))).toBe(false);
    expect(removeLeftovers(dir)).toBe(1);
    expect(removeLeftovers(dir)).toBe(0);
    expect(verifyFile(dir, storeFile(dir, bytes, 'jpg').relPath, sha256Of(bytes))).toBe(true);
  });

  it('replaces a damaged file of the same name instead of trusting it', () => {
    const dir = tempDir();
    const stored = storeFile(dir, bytes, 'jpg');
    fs.writeFileSync(path.join(dir, stored.relPath), 'garbage');
    expect(verifyFile(dir, stored.relPath, stored.sha256)).toBe(false);
    storeFile(dir, bytes, 'jpg');
    expect(verifyFile(dir, stored.relPath, stored.sha256)).toBe(true);
  });
});
