// PIN hashing with scrypt and a per-operator salt; the PIN itself is never stored or logged.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const PARAMS = { N: 16384, r: 8, p: 1 } as const;

function derive(pin: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 64 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export interface PinHash {
  /** `scrypt$N$r$p$<base64 key>`: the parameters travel with the hash so they can be raised later. */
  hash: string;
  salt: string;
}

export async function hashPin(pin: string): Promise<PinHash> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, PARAMS);
  return { hash: `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${key.toString('base64')}`, salt: salt.toString('base64') };
}

/** Constant-time comparison of a typed PIN against a stored hash; a malformed hash never matches. */
export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const parts = stored.hash.split('$');
  if (parts.length !== 5 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const expected = Buffer.from(parts[4]!, 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await derive(pin, Buffer.from(stored.salt, 'base64'), { N, r, p });
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random PIN, checked when the typed name does not exist, so that an unknown name costs
 * the same time as a wrong PIN and the answer does not reveal which names exist.
 */
let decoy: Promise<PinHash> | null = null;
export function decoyHash(): Promise<PinHash> {
  decoy ??= hashPin(randomBytes(8).toString('hex'));
  return decoy;
}
