// A tiny signed Kuaishou request helper for simulator tests (independent of the real platform client).
import { createHash, createHmac } from 'node:crypto';
import { isSafeNumber, parse } from 'lossless-json';
import type { RunningSimulator } from '../../../src/main/sim/index';

export interface CallOptions {
  verb?: 'GET' | 'POST' | 'PUT';
  signMethod?: 'MD5' | 'HMAC_SHA256';
  accessToken?: string;
  appKey?: string;
  signSecret?: string;
  version?: string;
  timestamp?: string;
  /** Replace the computed sign. */
  sign?: string;
  /** Override the `method` common parameter. */
  methodParam?: string;
  timeoutMs?: number;
}

/** Test-side view of a parsed JSON body: assertions do the checking. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

export interface CallResult {
  status: number;
  text: string;
  /** Parsed losslessly: unsafe integers (ids above 2^53) come back as decimal strings. */
  body: Loose;
}

const VERBS: Record<string, 'GET' | 'POST'> = {
  'open.seller.order.refund.pcursor.list': 'GET',
  'open.seller.order.refund.detail': 'GET',
  'open.refund.comment.basic.list': 'GET',
  'open.order.detail': 'GET',
  'open.refund.submit.returnInfo': 'POST',
  'open.seller.order.refund.confirm.receipt': 'POST',
};

/** Independent implementation of the platform's signing (docs/platform.md, "Signing"). */
export function sign(fields: Record<string, string>, secret: string, method: 'MD5' | 'HMAC_SHA256'): string {
  const text = `${Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&')}&signSecret=${secret}`;
  return method === 'MD5'
    ? createHash('md5').update(text, 'utf8').digest('hex')
    : createHmac('sha256', secret).update(text, 'utf8').digest('base64');
}

export function parseLossless(text: string): unknown {
  return parse(text, null, (v) => (isSafeNumber(v) ? Number(v) : v));
}

/** `param` is sent verbatim when a string (so tests can write bare 64-bit ids), else JSON.stringify'd. */
export async function call(
  sim: RunningSimulator,
  method: string,
  param: string | Record<string, unknown> = {},
  o: CallOptions = {},
): Promise<CallResult> {
  const paramText = typeof param === 'string' ? param : JSON.stringify(param);
  const signMethod = o.signMethod ?? 'HMAC_SHA256';
  const fields: Record<string, string> = {
    access_token: o.accessToken ?? sim.credentials.accessToken,
    appkey: o.appKey ?? sim.credentials.appKey,
    method: o.methodParam ?? method,
    param: paramText,
    signMethod,
    timestamp: o.timestamp ?? String(Date.now()),
    version: o.version ?? '1',
  };
  const all = new URLSearchParams({ ...fields, sign: o.sign ?? sign(fields, o.signSecret ?? sim.credentials.signSecret, signMethod) });
  const verb = o.verb ?? VERBS[method] ?? 'GET';
  const url = `${sim.baseUrl}/${method.split('.').join('/')}`;
  const init: RequestInit = { method: verb, signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) };
  const res =
    verb === 'GET'
      ? await fetch(`${url}?${all.toString()}`, init)
      : await fetch(url, { ...init, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: all.toString() });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = parseLossless(text);
  } catch {
    body = null;
  }
  return { status: res.status, text, body };
}

export async function oauth(
  sim: RunningSimulator,
  path: 'access_token' | 'refresh_token',
  params: Record<string, string>,
  verb: 'GET' | 'POST',
): Promise<Loose> {
  const q = new URLSearchParams(params).toString();
  const res =
    verb === 'GET'
      ? await fetch(`${sim.baseUrl}/oauth2/${path}?${q}`)
      : await fetch(`${sim.baseUrl}/oauth2/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: q,
        });
  return JSON.parse(await res.text());
}

/** A fixed simulator clock for tests. */
export function testClock(start = Date.UTC(2025, 4, 20, 4, 0, 0)): { now: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}
