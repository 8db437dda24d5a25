// Kuaishou request signing (docs/platform.md, "Signing"): sorted raw k=v pairs + "&signSecret=…", MD5 hex or HMAC-SHA256 Base64.
import { createHash, createHmac } from 'node:crypto';

export type SignMethod = 'HMAC_SHA256' | 'MD5';
export const SIGN_METHODS = ['HMAC_SHA256', 'MD5'] as const;

/** The common parameters that take part in the signature; `sign` itself never does. */
export interface SignableParams {
  access_token?: string | null;
  appkey: string;
  method: string;
  param: string;
  signMethod: SignMethod;
  timestamp: string;
  version: string;
}

/** The exact string that is hashed. Values are joined raw (not URL-encoded); nulls are skipped. */
export function signString(params: SignableParams, signSecret: string): string {
  const entries = Object.entries(params)
    .filter(([key, value]) => key !== 'sign' && value !== null && value !== undefined)
    // Byte-order sort: the keys are ASCII, so comparing UTF-16 code units is the same thing.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${String(value)}`);
  return `${entries.join('&')}&signSecret=${signSecret}`;
}

export function sign(params: SignableParams, signSecret: string): string {
  const text = signString(params, signSecret);
  if (params.signMethod === 'MD5') return createHash('md5').update(text, 'utf8').digest('hex');
  return createHmac('sha256', Buffer.from(signSecret, 'utf8')).update(text, 'utf8').digest('base64');
}
