// The default SecretBox for browser mode and tests: AES-256-GCM with a random key in `local-secrets.key` (mode 0600).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretBox } from './secret-box';

export const KEY_FILE = 'local-secrets.key';
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/**
 * Loads the key file, creating it on first use. On POSIX a key file readable by group or others is refused:
 * the file is the only thing between the database and the shop's tokens.
 */
export function loadOrCreateKey(dataDir: string, platform: NodeJS.Platform = process.platform): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process created it first
    }
  }
  if (platform !== 'win32') {
    const mode = fs.statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new SecretKeyError(
        `Refusing to use ${file}: its permissions are ${mode.toString(8)}, but it must be readable by its owner only (chmod 600).`,
      );
    }
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new SecretKeyError(`${file} does not hold a 256-bit key`);
  return key;
}

/** The key is read lazily, so a bad key file fails the calls that need secrets instead of the whole app. */
export function createLocalSecretBox(dataDir: string): SecretBox {
  let key: Buffer | null = null;
  const getKey = () => (key ??= loadOrCreateKey(dataDir));
  return {
    kind: 'local-aes-256-gcm',
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION)
        throw new SecretKeyError('Sealed secret has an unknown format');
      const iv = sealed.subarray(1, 1 + IV_BYTES);
      const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', getKey(), iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError('A sealed secret could not be opened (wrong key file or damaged data)');
      }
    },
  };
}
