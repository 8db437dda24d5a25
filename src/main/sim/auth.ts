// OAuth state of the simulated platform: access/refresh tokens with rotation, one-time codes, revocation.
// Tokens are kept (and persisted for the demo shop) only as SHA-256 digests, as a real platform would:
// the desk's tokens never land in a plain-text file, even the demo shop's.
import { createHash, randomBytes } from 'node:crypto';

export const ACCESS_TTL_MS = 172_800_000; // 48 hours
export const REFRESH_TTL_MS = 180 * 86_400_000; // 180 days
export const REFRESH_GRACE_MS = 5 * 60_000; // a rotated refresh token still works for 5 minutes
export const CODE_TTL_MS = 2 * 60_000;
export const SCOPES = ['merchant_refund', 'merchant_order'];

interface AccessRec {
  expiresAt: number;
  grant: number;
}
interface RefreshRec {
  deadline: number;
  supersededAt: number | null;
  grant: number;
}
interface CodeRec {
  expiresAt: number;
  used: boolean;
}

export interface AuthSnapshot {
  grant: number;
  revokedGrants: number[];
  access: [string, AccessRec][]; // keyed by token digest
  refresh: [string, RefreshRec][]; // keyed by token digest
}

export type AccessCheck = 'ok' | 'unknown' | 'expired' | 'revoked';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number; // seconds
  refreshExpiresIn: number; // seconds
}

export type RefreshOutcome = { ok: true; pair: TokenPair } | { ok: false; error: 'discarded' | 'expired' | 'revoked' | 'unknown' };

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function token(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export class AuthStore {
  private grant = 1;
  private readonly revokedGrants = new Set<number>();
  private readonly access = new Map<string, AccessRec>();
  private readonly refresh = new Map<string, RefreshRec>();
  private readonly codes = new Map<string, CodeRec>();

  constructor(accessToken: string, refreshToken: string, now: number) {
    this.access.set(digest(accessToken), { expiresAt: now + ACCESS_TTL_MS, grant: this.grant });
    this.refresh.set(digest(refreshToken), { deadline: now + REFRESH_TTL_MS, supersededAt: null, grant: this.grant });
  }

  checkAccess(accessToken: string, now: number): AccessCheck {
    const rec = this.access.get(digest(accessToken));
    if (!rec) return 'unknown';
    if (this.revokedGrants.has(rec.grant)) return 'revoked';
    return now >= rec.expiresAt ? 'expired' : 'ok';
  }

  /** Expires one access token, or every live one. */
  expireAccess(now: number, accessToken?: string): void {
    const only = accessToken === undefined ? undefined : digest(accessToken);
    for (const [key, rec] of this.access) if (only === undefined || key === only) rec.expiresAt = Math.min(rec.expiresAt, now);
  }

  /** The merchant cancelled the app's authorization: API calls answer 24, refreshes access_denied. */
  revoke(): void {
    this.revokedGrants.add(this.grant);
  }

  issueCode(now: number): string {
    const code = token('code_');
    this.codes.set(code, { expiresAt: now + CODE_TTL_MS, used: false });
    return code;
  }

  /** Code exchange: a fresh authorization with a new 180-day refresh deadline. */
  exchangeCode(code: string, now: number): TokenPair | null {
    const rec = this.codes.get(code);
    if (!rec || rec.used || now >= rec.expiresAt) return null;
    rec.used = true;
    this.grant += 1;
    return this.issue(now, now + REFRESH_TTL_MS, this.grant);
  }

  rotate(refreshToken: string, now: number): RefreshOutcome {
    const rec = this.refresh.get(digest(refreshToken));
    if (!rec) return { ok: false, error: 'unknown' };
    if (this.revokedGrants.has(rec.grant)) return { ok: false, error: 'revoked' };
    if (now >= rec.deadline) return { ok: false, error: 'expired' };
    if (rec.supersededAt !== null && now >= rec.supersededAt + REFRESH_GRACE_MS) return { ok: false, error: 'discarded' };
    if (rec.supersededAt === null) rec.supersededAt = now;
    return { ok: true, pair: this.issue(now, rec.deadline, rec.grant) };
  }

  private issue(now: number, deadline: number, grant: number): TokenPair {
    const accessToken = token('ChFvYXV0aC5hY2Nlc3NUb2tlbh');
    const refreshToken = token('ChJvYXV0aC5yZWZyZXNoVG9rZW4');
    this.access.set(digest(accessToken), { expiresAt: now + ACCESS_TTL_MS, grant });
    this.refresh.set(digest(refreshToken), { deadline, supersededAt: null, grant });
    return {
      accessToken,
      refreshToken,
      expiresIn: ACCESS_TTL_MS / 1000,
      refreshExpiresIn: Math.max(0, Math.floor((deadline - now) / 1000)),
    };
  }

  snapshot(): AuthSnapshot {
    return { grant: this.grant, revokedGrants: [...this.revokedGrants], access: [...this.access], refresh: [...this.refresh] };
  }

  restore(s: AuthSnapshot): void {
    this.grant = s.grant;
    this.revokedGrants.clear();
    for (const g of s.revokedGrants) this.revokedGrants.add(g);
    this.access.clear();
    for (const [t, r] of s.access) this.access.set(t, r);
    this.refresh.clear();
    for (const [t, r] of s.refresh) this.refresh.set(t, r);
  }
}
