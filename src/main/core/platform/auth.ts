// One shop's tokens in memory: refresh before expiry and on an expired answer, shared by concurrent calls,
// the rotated pair persisted before use, and a dead authorization turned into a visible needs-reauthorization state.
import type { Clock } from '../kernel/clock';
import type { Logger } from '../log/logger';
import { refreshTokens, type GrantedTokens, type OAuthOptions, type TokenState } from './oauth';
import { PlatformError } from './types';

export interface AuthStore {
  /** Durably stores a rotated token pair in one transaction; must throw rather than return if it could not. */
  saveTokens(tokens: GrantedTokens): void;
  /** Puts the shop in the visible needs-reauthorization state. */
  markNeedsReauthorization(reason: string): void;
}

export interface AuthSessionOptions {
  tokens: TokenState;
  needsReauthorization: boolean;
  store: AuthStore;
  /** Absent when no app secret is known (pasted token): nothing can be refreshed. */
  oauth: Omit<OAuthOptions, 'clock'> | null;
  clock: Clock;
  logger: Logger;
  /** Refresh this long before the access token's known expiry; default 30 minutes. */
  refreshMarginMs?: number;
}

export class AuthSession {
  private tokens: TokenState;
  private dead: string | null;
  private inFlight: Promise<TokenState> | null = null;
  private readonly margin: number;

  constructor(private readonly options: AuthSessionOptions) {
    this.tokens = { ...options.tokens };
    this.dead = options.needsReauthorization ? 'The shop needs to be authorized again' : null;
    this.margin = options.refreshMarginMs ?? 30 * 60_000;
  }

  get canRefresh(): boolean {
    return this.options.oauth !== null && this.tokens.refreshToken !== null;
  }

  /** Secret values this session knows, for scrubbing texts that came from outside. */
  secrets(): (string | null)[] {
    return [this.tokens.accessToken, this.tokens.refreshToken, this.options.oauth?.appSecret ?? null];
  }

  /** The token to use now; refreshes first when the known expiry is near. */
  async tokenForCall(): Promise<string> {
    this.throwIfDead();
    const expiresAt = this.tokens.accessTokenExpiresAt;
    if (this.canRefresh && expiresAt !== null && this.options.clock.now() >= expiresAt - this.margin) {
      try {
        await this.refresh();
      } catch (error) {
        // Still valid for a while: a failed early refresh must not stop the call; a dead one must.
        if (this.dead || this.options.clock.now() >= expiresAt) throw error;
        this.options.logger.warn('early token refresh failed; using the current token', { error });
      }
    }
    return this.tokens.accessToken;
  }

  /**
   * The platform said the token used for a call has expired. Answers the token to retry with, or throws
   * (and marks the shop) when the authorization cannot be recovered.
   */
  async recoverExpired(usedToken: string, cause: PlatformError): Promise<string> {
    this.throwIfDead();
    if (usedToken !== this.tokens.accessToken) return this.tokens.accessToken; // another call already refreshed
    if (!this.canRefresh) {
      throw this.kill('The access token has expired and cannot be refreshed (pasted token); connect the shop again', cause);
    }
    await this.refresh();
    return this.tokens.accessToken;
  }

  /** The platform said the authorization is revoked (code 24, discarded refresh token, ...). */
  revoked(cause: PlatformError): PlatformError {
    return this.kill('The shop authorization was revoked; connect the shop again', cause);
  }

  private refresh(): Promise<TokenState> {
    // Concurrent calls share one refresh: two would spend the same refresh token and the second would kill it.
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async doRefresh(): Promise<TokenState> {
    const oauth = this.options.oauth!;
    let granted: GrantedTokens;
    try {
      granted = await refreshTokens({ ...oauth, clock: this.options.clock }, this.tokens);
    } catch (error) {
      if (error instanceof PlatformError && error.kind === 'auth_revoked') throw this.revoked(error);
      if (error instanceof PlatformError && error.kind === 'transient') {
        // The answer may have been lost after the platform rotated; the old token lives a few more minutes.
        granted = await refreshTokens({ ...oauth, clock: this.options.clock }, this.tokens).catch((again: unknown) => {
          if (again instanceof PlatformError && again.kind === 'auth_revoked') throw this.revoked(again);
          throw again;
        });
      } else throw error;
    }
    if (!granted.refreshToken) granted = { ...granted, refreshToken: this.tokens.refreshToken };
    // Persist BEFORE use: if this throws, the new pair is never used and the error surfaces.
    this.options.store.saveTokens(granted);
    this.tokens = {
      accessToken: granted.accessToken,
      accessTokenExpiresAt: granted.accessTokenExpiresAt,
      refreshToken: granted.refreshToken,
      refreshTokenExpiresAt: granted.refreshTokenExpiresAt,
    };
    this.options.logger.info('shop token refreshed', { expiresAt: granted.accessTokenExpiresAt });
    return this.tokens;
  }

  private kill(reason: string, cause: PlatformError): PlatformError {
    if (!this.dead) {
      this.dead = reason;
      this.options.store.markNeedsReauthorization(reason);
      this.options.logger.warn('shop needs re-authorization', { reason, code: cause.code, requestId: cause.requestId });
    }
    return new PlatformError({
      kind: 'auth_revoked',
      message: reason,
      code: cause.code,
      subCode: cause.subCode,
      platformMessage: cause.platformMessage,
      requestId: cause.requestId,
    });
  }

  private throwIfDead(): void {
    if (this.dead) throw new PlatformError({ kind: 'auth_revoked', message: `${this.dead} (needs re-authorization)` });
  }
}
