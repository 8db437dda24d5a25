// The local SecretBox: AES-256-GCM round trip, a 0600 key file, refusal of looser permissions, tamper detection.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalSecretBox, KEY_FILE, loadOrCreateKey, SecretKeyError } from '../../../src/main/core/secrets';
import { tempDir } from '../../support/core';

const posix = process.platform !== 'win32';

describe('local SecretBox', () => {
  it('round-trips, never stores the plain text, and seals the same text differently each time', () => {
    const box = createLocalSecretBox(tempDir());
    const sealed = box.encrypt('refresh-token-秘密');
    expect(sealed.toString('utf8')).not.toContain('refresh-token');
    expect(box.decrypt(sealed)).toBe('refresh-token-秘密');
    expect(box.encrypt('same').equals(box.encrypt('same'))).toBe(false);
    expect(box.kind).toBe('local-aes-256-gcm');
  });

  it.runIf(posix)('creates local-secrets.key with mode 0600', () => {
    const dir = tempDir();
    createLocalSecretBox(dir).encrypt('x');
    expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)('refuses a key file readable by group or others', () => {
    const dir = tempDir();
    loadOrCreateKey(dir);
    fs.chmodSync(path.join(dir, KEY_FILE), 0o644);
    expect(() => loadOrCreateKey(dir)).toThrow(SecretKeyError);
    expect(() => createLocalSecretBox(dir).encrypt('x')).toThrow(/chmod 600/);
  });

  it('a second box on the same data dir opens what the first sealed; another key cannot', () => {
    const dir = tempDir();
    const sealed = createLocalSecretBox(dir).encrypt('token-1');
    expect(createLocalSecretBox(dir).decrypt(sealed)).toBe('token-1');
    expect(() => createLocalSecretBox(tempDir()).decrypt(sealed)).toThrow(SecretKeyError);
  });

  it('detects tampering', () => {
    const box = createLocalSecretBox(tempDir());
    const sealed = box.encrypt('token-1');
    const last = sealed.length - 1;
    sealed.writeUInt8(sealed.readUInt8(last) ^ 0xff, last);
    expect(() => box.decrypt(sealed)).toThrow(SecretKeyError);
    expect(() => box.decrypt(Buffer.from([9, 9, 9]))).toThrow(SecretKeyError);
  });
});
