// UUIDv7 (RFC 9562): ids made at a desk, unique across desks and roughly ordered by creation time.
import { randomBytes } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A version-7 UUID: 48 bits of Unix ms, then 74 random bits (node:crypto only offers v4). */
export function uuidv7(nowMs: number = Date.now(), random: Buffer = randomBytes(10)): string {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0 || nowMs >= 2 ** 48) throw new RangeError(`uuidv7: bad timestamp ${nowMs}`);
  if (random.length < 10) throw new RangeError('uuidv7: needs 10 random bytes');
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = 0x70 | (random[0]! & 0x0f);
  bytes[7] = random[1]!;
  bytes[8] = 0x80 | (random[2]! & 0x3f);
  random.copy(bytes, 9, 3, 10);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isUuidv7(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** The creation time (epoch ms) carried by a UUIDv7. */
export function uuidv7Time(value: string): number {
  if (!isUuidv7(value)) throw new RangeError(`not a UUIDv7: ${value}`);
  return Number.parseInt(value.slice(0, 8) + value.slice(9, 13), 16);
}
