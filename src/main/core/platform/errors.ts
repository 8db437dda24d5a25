// Turns Kuaishou failure answers and network faults into typed PlatformErrors (docs/platform.md, "Errors"), by code AND message.
import { PlatformError, type PlatformErrorKind } from './types';

/** What the classifier looks at: every numeric-ish code of the envelope and every message text. */
export interface FailureFacts {
  codes: string[];
  messages: string[];
  httpStatus?: number;
}

// Message patterns first: the numeric codes of token expiry, bad sign and QPS are undocumented.
const MESSAGE_RULES: [RegExp, PlatformErrorKind][] = [
  // The token lacks a scope the API needs (FAQ "token中无scope权限"): only a new authorization grants it.
  [/无scope权限|scope\s*权限|insufficient_?scope/i, 'auth_revoked'],
  [/AUTHORIZATION_REVOKED|refresh_?token\.?(discarded|revoked|invalid|expired)|access_denied/i, 'auth_revoked'],
  [/鉴权失败|TOKEN\s*过期|token.{0,20}(expired|过期)|expired.{0,10}token|invalid.{0,10}access_?token/i, 'auth_expired'],
  [/exceed\s*quota\s*limit|\[1017\]|配额/i, 'quota_exhausted'],
  [/exceed\s*qps\s*limit|too\s*many\s*requests|限流|频率/i, 'rate_limited'],
  // Signature failures carry no documented code: "签名验证失败", "验签失败", "sign invalid", ...
  [/sign(ature)?\s*(error|invalid|mismatch|fail)|invalid\s*sign|签名|验签/i, 'invalid_request'],
  // A courier validation error of submit.returnInfo (FAQ: code 11 "快递公司不存在"): a clear refusal, nothing applied.
  [/快递公司不存在|物流公司不存在|快递公司编码/i, 'invalid_request'],
  // OAuth server_error: the platform's own fault, worth another try.
  [/\bserver_error\b|temporarily_unavailable/i, 'transient'],
];

const CODE_RULES: Record<string, PlatformErrorKind> = {
  // Platform gateway codes.
  '21': 'invalid_state', // order operation reject: not this merchant's
  '24': 'auth_revoked', // AUTHORIZATION_REVOKED
  '26': 'auth_revoked', // wrong token type: this token can never work, the shop must authorize again
  '27': 'invalid_request', // sign (one SDK's guess)
  '28': 'invalid_request',
  '15': 'rate_limited', // QPS (one SDK's guess)
  '16': 'rate_limited',
  '17': 'rate_limited',
  '802000': 'rate_limited',
  '1016': 'quota_exhausted',
  '1017': 'quota_exhausted',
  // OAuth.
  '100200100': 'invalid_request',
  '100200101': 'invalid_request', // unauthorized_client: wrong app id / secret
  '100200102': 'auth_revoked', // access_denied: bad, discarded or revoked refresh token
  '100200105': 'invalid_request', // invalid_grant: bad or used authorization code
  '100200106': 'invalid_request', // invalid_scope
  // Named in the platform's OAuth FAQ without a public meaning beyond a refused request: not retried, nothing applied.
  '100200103': 'invalid_request',
  '100200104': 'invalid_request',
  '100200107': 'invalid_request',
  '100200500': 'transient', // server_error
  // After-sale business codes.
  '300002': 'invalid_state',
  '300003': 'invalid_request',
  '300004': 'window_too_large',
  '300019': 'window_too_large',
  '300005': 'invalid_request',
  '300010': 'invalid_state',
  '300011': 'not_found',
  '300012': 'invalid_state',
  '300013': 'invalid_state',
  '300014': 'version_conflict',
  '300016': 'invalid_state',
  '300017': 'invalid_state',
  '300018': 'invalid_state',
};

export function classify(facts: FailureFacts): PlatformErrorKind {
  // Business codes are precise; check them before the looser message patterns.
  for (const code of facts.codes) {
    const kind = CODE_RULES[code];
    if (kind && code.length >= 6 && code.startsWith('300')) return kind;
  }
  const text = facts.messages.join(' | ');
  for (const [pattern, kind] of MESSAGE_RULES) if (pattern.test(text)) return kind;
  for (const code of facts.codes) {
    const kind = CODE_RULES[code];
    if (kind) return kind;
  }
  if (facts.httpStatus === 429) return 'rate_limited';
  if (facts.httpStatus !== undefined && facts.httpStatus >= 500) return 'transient';
  if (facts.httpStatus === 401 || facts.httpStatus === 403) return 'auth_expired';
  // Last resort for gateway codes nobody documented: a message about parameters is a bad request.
  if (/param|参数|illegal|invalid|missing|required|not\s*allowed|不合法/i.test(text)) return 'invalid_request';
  return 'unknown';
}

const KIND_TEXT: Record<PlatformErrorKind, string> = {
  auth_expired: 'the access token has expired',
  auth_revoked: 'the shop authorization was revoked or is no longer valid; connect the shop again',
  rate_limited: 'too many calls (QPS limit)',
  quota_exhausted: 'the daily call quota is used up',
  window_too_large: 'the time range is too large',
  version_conflict: 'the after-sale changed meanwhile; refresh and retry',
  not_found: 'not found',
  invalid_state: 'the platform refused the action in the current state',
  invalid_request: 'the platform rejected the request',
  transient: 'the platform could not be reached',
  unknown: 'unexpected answer from the platform',
};

/** Removes every known secret value from a text that came from outside (a platform message may echo input). */
export type Scrubber = (text: string) => string;

export function makeScrubber(secrets: () => (string | null | undefined)[]): Scrubber {
  return (text) => {
    let out = text;
    for (const secret of secrets()) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
    return out;
  };
}

export function platformFailure(init: {
  method: string;
  facts: FailureFacts;
  requestId: string | null;
  scrub: Scrubber;
  kind?: PlatformErrorKind;
}): PlatformError {
  const kind = init.kind ?? classify(init.facts);
  const platformMessage = init.scrub(init.facts.messages.filter(Boolean).join('; ')).slice(0, 500);
  const code = init.facts.codes[0] ?? null;
  const subCode = init.facts.codes[1] ?? null;
  const parts = [`Kuaishou ${init.method}: ${KIND_TEXT[kind]}`];
  if (code || platformMessage) parts.push(`[${code ?? '-'}] ${platformMessage}`.trim());
  if (init.requestId) parts.push(`requestId ${init.requestId}`);
  return new PlatformError({ kind, message: parts.join(' — '), code, subCode, platformMessage, requestId: init.requestId });
}

const DAY_MS = 86_400_000;
/** The platform's day runs on Beijing time (UTC+8, no daylight saving): its daily quota comes back at 00:00 there. */
const CST_OFFSET_MS = 8 * 3_600_000;
/** After a daily-quota answer, one call probes again at the latest this much later (the quota may be raised meanwhile). */
export const QUOTA_PROBE_MS = 30 * 60_000;
/** A little past the platform's midnight, for clocks that disagree by a few seconds. */
const MIDNIGHT_GRACE_MS = 60_000;

/**
 * How long a shop leaves the platform alone after `quota_exhausted`: until just past the platform's next
 * midnight, when the daily quota is back, but never longer than `capMs`, so a raised quota is found too.
 */
export function quotaWaitMs(now: number, capMs = QUOTA_PROBE_MS): number {
  const nextMidnight = (Math.floor((now + CST_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - CST_OFFSET_MS;
  return Math.min(capMs, nextMidnight - now + MIDNIGHT_GRACE_MS);
}

/** Network codes that prove the request never left this machine, so even a write cannot have been applied. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL', 'EADDRNOTAVAIL']);

export function networkFailure(init: { method: string; code: string | undefined; timedOut: boolean; isWrite: boolean }): PlatformError {
  const notSent = init.code !== undefined && NOT_SENT.has(init.code);
  const what = init.timedOut ? 'timed out' : `network error ${init.code ?? ''}`.trim();
  return new PlatformError({
    kind: 'transient',
    message: `Kuaishou ${init.method}: ${what}${init.isWrite && !notSent ? ' (the write may have been applied)' : ''}`,
    code: init.code ?? (init.timedOut ? 'ETIMEDOUT' : null),
    maybeApplied: init.isWrite && !notSent,
  });
}
