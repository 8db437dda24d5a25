// What the platform registry needs to build a stored shop's client, read from the shops table and its sealed secrets.
import type { ClientConfig, ClientConfigSource } from '../platform/registry';
import { PlatformError } from '../platform/types';
import type { ShopSecrets, ShopStore } from './store';

/** The registry's configuration source over the shops table; token rotations and revocations are written back here. */
export function shopClientConfig(store: ShopStore): ClientConfigSource {
  return (shopId: string): ClientConfig => {
    const shop = store.get(shopId);
    if (!shop) throw new PlatformError({ kind: 'not_found', message: `No shop with id ${shopId.slice(0, 60)}` });
    // Disconnected at the desk: nothing goes out (queued work waits, untouched, for the shop to be authorized again).
    if (shop.status === 'disconnected') {
      throw new PlatformError({ kind: 'auth_revoked', message: `Shop ${shopId.slice(0, 60)} is disconnected at this desk` });
    }
    let secrets: ShopSecrets;
    try {
      secrets = store.readSecrets(shopId);
    } catch (error) {
      // A refused key file or damaged secret: say so in the platform's typed terms, never with the values.
      throw new PlatformError({
        kind: 'unknown',
        message: `The secrets of shop ${shopId.slice(0, 60)} cannot be opened: ${(error as Error).message}`,
      });
    }
    return {
      shopId,
      baseUrl: shop.baseUrl,
      appKey: shop.appKey,
      appSecret: secrets.appSecret,
      signSecret: secrets.signSecret,
      signMethod: shop.signMethod,
      tokens: {
        accessToken: secrets.accessToken,
        accessTokenExpiresAt: shop.accessTokenExpiresAt,
        refreshToken: secrets.refreshToken,
        refreshTokenExpiresAt: shop.refreshTokenExpiresAt,
      },
      needsReauthorization: shop.status === 'needs_reauthorization',
      store: {
        saveTokens: (tokens) => store.saveTokens(shopId, tokens),
        markNeedsReauthorization: (reason) => store.setStatus(shopId, 'needs_reauthorization', reason),
      },
    };
  };
}
