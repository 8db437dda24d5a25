// Shops shared with other desks (warehouse mode): a connected shop as a profile + secrets, and one applied here from elsewhere.
import { z } from 'zod';
import { shopAuthModeSchema, signMethodSchema } from '../../../common/contract/shops';
import type { CoreContext } from '../context/context';
import type { ShopSecrets } from '../shops/store';
import { statement } from '../sql/statements';

const ms = z.number().int();

/** What a desk needs besides the secrets to work a shop: nothing in it is secret. */
export const shopProfileSchema = z.object({
  baseUrl: z.string().url(),
  appKey: z.string().min(1),
  signMethod: signMethodSchema,
  authMode: shopAuthModeSchema,
  openId: z.string().nullable(),
  scopes: z.array(z.string()),
  accessTokenExpiresAt: ms.nullable(),
  refreshTokenExpiresAt: ms.nullable(),
});
export type ShopProfile = z.infer<typeof shopProfileSchema>;

export interface ReplicatedShop {
  name: string;
  profile: ShopProfile;
  secrets: ShopSecrets;
}

type Ctx = Pick<CoreContext, 'db' | 'shops' | 'platform'>;

/** A connected (not demo, not disconnected) shop as a record to share; null otherwise. */
export function exportShop(ctx: Ctx, shopId: string): ReplicatedShop | null {
  const shop = ctx.shops.get(shopId);
  if (!shop || shop.isDemo || shop.status === 'disconnected') return null;
  const scopes = z
    .array(z.string())
    .catch([])
    .parse(JSON.parse((statement(ctx.db, 'SELECT scopes FROM shops WHERE id = ?').pluck().get(shopId) as string | undefined) ?? '[]'));
  return {
    name: shop.name,
    profile: {
      baseUrl: shop.baseUrl,
      appKey: shop.appKey,
      signMethod: shop.signMethod,
      authMode: shop.authMode,
      openId: shop.openId,
      scopes,
      accessTokenExpiresAt: shop.accessTokenExpiresAt,
      refreshTokenExpiresAt: shop.refreshTokenExpiresAt,
    },
    secrets: ctx.shops.readSecrets(shopId),
  };
}

export type ShopApplyOutcome =
  | { outcome: 'created' | 'updated' | 'unchanged'; shopId: string }
  /** Disconnected at this desk on purpose: another desk's credentials do not bring it back. */
  | { outcome: 'disconnected_here'; shopId: string };

const sameSecrets = (a: ShopSecrets, b: ShopSecrets) =>
  a.appSecret === b.appSecret && a.signSecret === b.signSecret && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;

/**
 * Takes a shop connected (or re-authorised, or its tokens rotated) at another desk: found by platform address and
 * app key as a desk's own connect does, created when new. Idempotent, and quiet: never reported as this desk's own
 * change, so nothing applied here is shared back. The profile is checked here (it comes from another desk).
 */
export function applyReplicatedShop(ctx: Ctx, incoming: ReplicatedShop): ShopApplyOutcome {
  const profile = shopProfileSchema.parse(incoming.profile);
  const held = ctx.shops.findByAppKey(profile.appKey, profile.baseUrl);
  if (held?.status === 'disconnected') return { outcome: 'disconnected_here', shopId: held.id };
  if (held) {
    const current = exportShop(ctx, held.id);
    if (current && current.name === incoming.name && sameSecrets(current.secrets, incoming.secrets)) {
      const a = current.profile;
      if (a.signMethod === profile.signMethod && a.accessTokenExpiresAt === profile.accessTokenExpiresAt && a.authMode === profile.authMode)
        return { outcome: 'unchanged', shopId: held.id };
    }
  }
  const saved = ctx.shops.save(
    {
      ...(held ? { id: held.id } : {}),
      name: incoming.name,
      baseUrl: profile.baseUrl,
      appKey: profile.appKey,
      signMethod: profile.signMethod,
      authMode: profile.authMode,
      openId: profile.openId,
      scopes: profile.scopes,
      secrets: incoming.secrets,
      accessTokenExpiresAt: profile.accessTokenExpiresAt,
      refreshTokenExpiresAt: profile.refreshTokenExpiresAt,
    },
    { quiet: true },
  );
  // The client of this shop was built with the old credentials.
  ctx.platform.forget(saved.id);
  return { outcome: held ? 'updated' : 'created', shopId: saved.id };
}
