// shops.connect: exchange or accept tokens, verify them with one cheap real call, and only then save the shop.
import { DeskError } from '../../../common/contract/errors';
import type { ConnectShopInput } from '../../../common/contract/shops';
import type { CoreContext } from '../context/context';
import { DEFAULT_BASE_URL } from '../platform/client';
import { deskErrorFromPlatform } from '../platform/desk-errors';
import { exchangeCode, type GrantedTokens } from '../platform/oauth';
import type { SignMethod } from '../platform/sign';
import { axiosTransport } from '../platform/http';
import { PlatformError } from '../platform/types';
import { ShopStore, type ShopRecord } from './store';

/** The console's 复制token gives a token valid 48 hours at most; its real issue time is unknown. */
export const PASTED_TOKEN_LIFETIME_MS = 48 * 3600_000;

type Ctx = Pick<CoreContext, 'platform' | 'shops' | 'clock' | 'logger'>;

export interface VerifiedConnection {
  baseUrl: string;
  appKey: string;
  appSecret: string | null;
  signSecret: string;
  signMethod: SignMethod;
  tokens: GrantedTokens;
}

/** Runs the cheapest real call (one page of one item over the last minute) with the given credentials. */
export async function verifyConnection(
  ctx: Ctx,
  connection: VerifiedConnection,
  existingId?: string,
  /** Where a token rotation during the check is persisted at once; default: only kept in memory. */
  persistRotation?: (tokens: GrantedTokens) => void,
): Promise<GrantedTokens> {
  let tokens = connection.tokens;
  const client = ctx.platform.build({
    shopId: existingId,
    baseUrl: connection.baseUrl,
    appKey: connection.appKey,
    appSecret: connection.appSecret,
    signSecret: connection.signSecret,
    signMethod: connection.signMethod,
    tokens,
    needsReauthorization: false,
    // By default nothing is written while verifying (a failed check saves nothing); a rotation is kept and saved with the shop.
    store: {
      saveTokens: (rotated) => {
        persistRotation?.(rotated);
        tokens = { ...rotated, openId: rotated.openId ?? tokens.openId, scopes: rotated.scopes.length ? rotated.scopes : tokens.scopes };
      },
      markNeedsReauthorization: () => undefined,
    },
  });
  const now = ctx.clock.now();
  try {
    await client.listRefunds({ beginTime: now - 60_000, endTime: now, pcursor: '', pageSize: 1, queryType: 2, type: 9 });
  } catch (error) {
    if (error instanceof PlatformError) throw deskErrorFromPlatform(error);
    throw error;
  }
  return tokens;
}

export async function connectShop(ctx: Ctx, input: ConnectShopInput): Promise<ShopRecord> {
  const store = ctx.shops;
  const baseUrl = (input.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const signMethod = input.signMethod ?? 'HMAC_SHA256';
  let existing: ShopRecord | null = null;
  if (input.shopId) {
    existing = store.get(input.shopId);
    if (!existing) throw new DeskError('not_found', 'No shop with that id');
  } else {
    existing = store.findByAppKey(input.appKey, baseUrl);
  }
  if (existing?.isDemo) throw new DeskError('conflict', 'The demo shop is connected with shops.connectDemo');

  let tokens: GrantedTokens;
  if (input.code) {
    try {
      tokens = await exchangeCode(
        {
          baseUrl,
          appKey: input.appKey,
          appSecret: input.appSecret!,
          transport: ctx.platform.settings.transport ?? axiosTransport,
          pacer: ctx.platform.pacerFor(existing?.id),
          clock: ctx.clock,
          timeoutMs: ctx.platform.settings.timeoutMs ?? 15_000,
        },
        input.code,
      );
    } catch (error) {
      if (error instanceof PlatformError) throw deskErrorFromPlatform(error);
      throw error;
    }
  } else {
    tokens = {
      accessToken: input.accessToken!,
      accessTokenExpiresAt: ctx.clock.now() + PASTED_TOKEN_LIFETIME_MS,
      refreshToken: input.refreshToken ?? null,
      refreshTokenExpiresAt: null,
      openId: null,
      scopes: [],
    };
  }

  const connection: VerifiedConnection = {
    baseUrl,
    appKey: input.appKey,
    appSecret: input.appSecret ?? null,
    signSecret: input.signSecret,
    signMethod,
    tokens,
  };
  tokens = await verifyConnection(ctx, connection, existing?.id);

  const saved = store.save({
    id: existing?.id,
    name: input.name ?? existing?.name ?? `快手小店 ${input.appKey}`,
    baseUrl,
    appKey: input.appKey,
    signMethod,
    authMode: input.code ? 'oauth' : 'pasted_token',
    openId: tokens.openId ?? existing?.openId ?? null,
    scopes: tokens.scopes,
    secrets: {
      appSecret: connection.appSecret,
      signSecret: connection.signSecret,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
    },
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
  });
  ctx.platform.forget(saved.id);
  ctx.logger.info('shop connected', { shopId: saved.id, authMode: saved.authMode, baseUrl: saved.baseUrl });
  return saved;
}

export { ShopStore };
