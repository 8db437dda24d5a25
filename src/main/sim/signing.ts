// The platform's request signature (docs/platform.md, "Signing"), used by the simulator to verify every API call.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignMethod = 'MD5' | 'HMAC_SHA256';
export const SIGNED_KEYS = ['access_token', 'appkey', 'method', 'param', 'signMethod', 'timestamp', 'version'] as const;

/** Sorted raw `k=v&…&signSecret=…` over the signed keys present (nulls skipped, never url-encoded). */
export function signString(params: Record<string, string | undefined | null>, signSecret: string): string {
  const keys = SIGNED_KEYS.filter((k) => params[k] !== undefined && params[k] !== null).sort();
  return `${keys.map((k) => `${k}=${params[k]}`).join('&')}&signSecret=${signSecret}`;
}

export function computeSign(params: Record<string, string | undefined | null>, signSecret: string, method: SignMethod): string {
  const text = signString(params, signSecret);
  if (method === 'MD5') return createHash('md5').update(text, 'utf8').digest('hex');
  return createHmac('sha256', signSecret).update(text, 'utf8').digest('base64');
}

export function verifySign(
  params: Record<string, string | undefined | null>,
  signSecret: string,
  method: SignMethod,
  sign: string,
): boolean {
  const expected = Buffer.from(computeSign(params, signSecret, method), 'utf8');
  const given = Buffer.from(sign, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
