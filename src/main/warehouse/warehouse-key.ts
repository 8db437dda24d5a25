// The warehouse key: 32 random bytes made once per warehouse, given to each desk once, sealing the shops' credentials.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { WarehouseError } from './errors';

const KEY_BYTES = 32;
const KEY_TEXT_PREFIX = 'rdwk1:';
const SEAL_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const keyIdPattern = /^wk1-[0-9a-f]{32}$/;

/**
 * The key never leaves this object except through `keyText()` (for the key file and the desk's secret box):
 * printing, logging or JSON-encoding it shows only its id.
 */
export class WarehouseKey {
  readonly #bytes: Buffer;
  /** A hash of the key, not the key: stored beside every ciphertext so a desk with another key is told so. */
  readonly id: string;

  private constructor(bytes: Buffer) {
    if (bytes.length !== KEY_BYTES) throw new WarehouseError('warehouse_key_invalid', 'A warehouse key is 32 bytes.');
    this.#bytes = Buffer.from(bytes);
    this.id = `wk1-${createHash('sha256').update('returndesk warehouse key id\0').update(bytes).digest('hex').slice(0, 32)}`;
  }

  static create(): WarehouseKey {
    return new WarehouseKey(randomBytes(KEY_BYTES));
  }

  /** Reads the text form (`rdwk1:` + base64url); lines starting with # are comments (the key file has one). */
  static fromText(text: string): WarehouseKey {
    const line = text
      .split(/\r?\n/)
      .map((candidate) => candidate.trim())
      .find((candidate) => candidate !== '' && !candidate.startsWith('#'));
    const encoded = line?.startsWith(KEY_TEXT_PREFIX) ? line.slice(KEY_TEXT_PREFIX.length) : null;
    if (encoded === null || !/^[A-Za-z0-9_-]{43}$/.test(encoded)) {
      throw new WarehouseError('warehouse_key_invalid', 'This is not a ReturnDesk warehouse key (expected a line rdwk1:…).');
    }
    return new WarehouseKey(Buffer.from(encoded, 'base64url'));
  }

  keyText(): string {
    return `${KEY_TEXT_PREFIX}${this.#bytes.toString('base64url')}`;
  }

  /** AES-256-GCM; `context` (e.g. the shop id) is authenticated, so a ciphertext moved to another row does not open. */
  seal(plain: Buffer, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([SEAL_VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** Opens what `seal` made with the same key and context; anything else is a typed error, never garbage. */
  open(sealed: Buffer, context: string, sealedWithKeyId: string): Buffer {
    if (sealedWithKeyId !== this.id) {
      throw new WarehouseError(
        'warehouse_key_mismatch',
        `Sealed with warehouse key ${sealedWithKeyId}, but this desk holds ${this.id}. Import the warehouse's key file on this desk.`,
        { expectedKeyId: sealedWithKeyId, heldKeyId: this.id },
      );
    }
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== SEAL_VERSION) {
      throw new WarehouseError('warehouse_credentials_damaged', 'The sealed value has an unknown format.');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#bytes, sealed.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new WarehouseError('warehouse_credentials_damaged', `The sealed value for ${context} does not authenticate.`);
    }
  }

  toString(): string {
    return `WarehouseKey(${this.id})`;
  }

  toJSON(): { keyId: string } {
    return { keyId: this.id };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export function isWarehouseKeyId(value: string): boolean {
  return keyIdPattern.test(value);
}
