// The two OAuth calls (docs/platform.md, "OAuth"): exchange an authorization code, and rotate a refresh token.
import type { Clock } from '../kernel/clock';
import { makeScrubber, networkFailure, platformFailure } from './errors';
import { TransportFailure, type HttpTransport } from './http';
import { parseWire } from './json';
import type { Pacer } from './pacer';
import { PlatformError } from './types';
import { envelopeSchema, failureFactsOf, isSuccess, requestIdOf, tokenWire } from './wire';

export interface TokenState {
  accessToken: string;
  accessTokenExpiresAt: number | null; // null: unknown (a pasted token)
  refreshToken: string | null; // null: cannot refresh
  refreshTokenExpiresAt: number | null;
}

export interface GrantedTokens extends TokenState {
  openId: string | null;
  scopes: string[];
}

export interface OAuthOptions {
  baseUrl: string;
  appKey: string;
  appSecret: string;
  transport: HttpTransport;
  pacer: Pacer;
  clock: Clock;
  timeoutMs: number;
}

export async function exchangeCode(options: OAuthOptions, code: string): Promise<GrantedTokens> {
  const answer = await oauthCall(
    options,
    'GET',
    '/oauth2/access_token',
    { app_id: options.appKey, grant_type: 'code', code, app_secret: options.appSecret },
    [code],
  );
  return toTokens(options.clock.now(), answer, null);
}

/**
 * Rotates the pair. The answer's refresh token replaces the old one, which dies within minutes: the caller
 * must persist the result before using it. `previousRefreshDeadline` is kept when the platform omits one.
 */
export async function refreshTokens(options: OAuthOptions, current: TokenState): Promise<GrantedTokens> {
  if (!current.refreshToken)
    throw new PlatformError({ kind: 'auth_revoked', message: 'No refresh token: the shop must be authorized again' });
  const answer = await oauthCall(
    options,
    'POST',
    '/oauth2/refresh_token',
    { grant_type: 'refresh_token', refresh_token: current.refreshToken, app_id: options.appKey, app_secret: options.appSecret },
    [current.refreshToken, current.accessToken],
  );
  return toTokens(options.clock.now(), answer, current.refreshTokenExpiresAt);
}

function toTokens(now: number, answer: ReturnType<typeof tokenWire.parse>, previousRefreshDeadline: number | null): GrantedTokens {
  const scopes = Array.isArray(answer.scopes) ? answer.scopes : answer.scopes ? answer.scopes.split(/[,\s]+/).filter(Boolean) : [];
  return {
    accessToken: answer.access_token,
    accessTokenExpiresAt: answer.expires_in ? now + answer.expires_in * 1000 : null,
    refreshToken: answer.refresh_token ?? null,
    refreshTokenExpiresAt: answer.refresh_token_expires_in ? now + answer.refresh_token_expires_in * 1000 : previousRefreshDeadline,
    openId: answer.open_id,
    scopes,
  };
}

async function oauthCall(
  options: OAuthOptions,
  verb: 'GET' | 'POST',
  path: string,
  form: Record<string, string>,
  extraSecrets: (string | null)[],
): Promise<ReturnType<typeof tokenWire.parse>> {
  const label = `oauth ${path}`;
  const scrub = makeScrubber(() => [options.appSecret, ...extraSecrets]);
  await options.pacer.acquire(path, 'interactive');
  let status: number;
  let body: string;
  try {
    ({ status, body } = await options.transport({
      verb,
      url: options.baseUrl.replace(/\/+$/, '') + path,
      form,
      timeoutMs: options.timeoutMs,
    }));
  } catch (error) {
    if (error instanceof TransportFailure)
      throw networkFailure({ method: label, code: error.code, timedOut: error.timedOut, isWrite: false });
    throw error;
  }
  let raw: unknown;
  try {
    raw = parseWire(body);
  } catch {
    throw platformFailure({
      method: label,
      facts: { codes: [String(status)], messages: ['answer is not JSON'], httpStatus: status },
      requestId: null,
      scrub,
      kind: status >= 500 ? 'transient' : 'unknown',
    });
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success)
    throw platformFailure({
      method: label,
      facts: { codes: [], messages: ['answer is not an envelope'] },
      requestId: null,
      scrub,
      kind: 'unknown',
    });
  if (!isSuccess(envelope.data)) {
    throw platformFailure({
      method: label,
      facts: { ...failureFactsOf(envelope.data), httpStatus: status },
      requestId: requestIdOf(envelope.data),
      scrub,
    });
  }
  const tokens = tokenWire.safeParse(raw);
  if (!tokens.success) {
    throw platformFailure({
      method: label,
      facts: { codes: [], messages: ['token answer is missing fields'] },
      requestId: requestIdOf(envelope.data),
      scrub,
      kind: 'unknown',
    });
  }
  return tokens.data;
}
