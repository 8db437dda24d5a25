// Handlers of shops.*: list (never with secrets), connect a real shop, connect the built-in demo shop.
import { DeskError } from '../../../common/contract/errors';
import { recordAudit } from '../audit-log/audit';
import { defineHandlers } from '../context/handlers';
import { requirePermission } from '../operators/permissions';
import { SecretKeyError } from '../secrets/local-key';
import { connectShop } from './connect';
import { ensureDemoShop } from './demo';
import { ShopStore } from './store';
import { requestSync } from '../sync/refresh';

/** A key file problem is the operator's to fix (its message says how), not an anonymous internal failure. */
async function secretsExplained<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SecretKeyError) throw new DeskError('internal', error.message);
    throw error;
  }
}

export const shopsHandlers = defineHandlers({
  'shops.list': (ctx) => ({ shops: ctx.shops.list().map(ShopStore.toPublic) }),
  'shops.connect': (ctx, input) =>
    secretsExplained(async () => {
      requirePermission(ctx, 'manage_shops');
      const shop = await connectShop(ctx, input);
      // Secrets never reach the log: only where the shop points and how it was authorized.
      recordAudit(ctx, {
        action: 'shops.connect',
        outcome: 'ok',
        details: { shopId: shop.id, baseUrl: shop.baseUrl, appKey: shop.appKey, authMode: input.code ? 'oauth' : 'pasted_token' },
      });
      requestSync(ctx);
      return ShopStore.toPublic(shop);
    }),
  'shops.connectDemo': (ctx) =>
    secretsExplained(async () => {
      requirePermission(ctx, 'manage_shops');
      const shop = await ensureDemoShop(ctx);
      recordAudit(ctx, { action: 'shops.connectDemo', outcome: 'ok', details: { shopId: shop.id } });
      requestSync(ctx);
      return ShopStore.toPublic(ctx.shops.get(shop.id) ?? shop);
    }),
});
