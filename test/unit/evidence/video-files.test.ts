// The unpacking video on disk: appended chunks sealed under their SHA-256, complete-or-absent across a crash before
// the rename (the leftover is removed at start-up), and anything that is not WebM never named.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relPathOf, removeLeftovers, verifyFile } from '../../../src/main/core/evidence/files';
import { appendTempVideo, openTempVideo, sealTempVideo } from '../../../src/main/core/evidence/video-files';
import { tempDir } from '../../support/core';

const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(3 * 1024 * 1024 + 17, 7)]);
const sha256 = createHash('sha256').update(webm).digest('hex');

function written(dir: string, bytes: Buffer) {
  const temp = openTempVideo(dir);
  for (let offset = 0; offset < bytes.length; offset += 160 * 1024) appendTempVideo(temp, bytes.subarray(offset, offset + 160 * 1024));
  return temp;
}

describe('unpacking video files', () => {
  it('seals the appended chunks under the SHA-256 of the whole, leaving no temporary file', () => {
    const dir = tempDir();
    const stored = sealTempVideo(dir, written(dir, webm));
    expect(stored).toEqual({ sha256, relPath: relPathOf(sha256, 'webm'), size: webm.length });
    expect(verifyFile(dir, stored!.relPath, sha256)).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'evidence', 'tmp'))).toEqual([]);
    // The same video again is the same file.
    expect(sealTempVideo(dir, written(dir, webm))).toEqual(stored);
    expect(fs.readdirSync(path.join(dir, 'evidence', 'tmp'))).toEqual([]);
  });

  it('a crash after the fsync but before the rename leaves nothing under the hash, only a leftover start-up removes', () => {
    const dir = tempDir();
    expect(() =>
      sealTempVideo(dir, written(dir, webm), () => {
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(fs.existsSync(path.join(dir, relPathOf(sha256, 'webm')))).toBe(false);
    expect(removeLeftovers(dir)).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'evidence', 'tmp'))).toEqual([]);
  });

  it('refuses to seal what is not WebM and removes it', () => {
    const dir = tempDir();
    expect(sealTempVideo(dir, written(dir, Buffer.from('GIF89a not a video')))).toBeNull();
    expect(fs.readdirSync(path.join(dir, 'evidence', 'tmp'))).toEqual([]);
  });
});
