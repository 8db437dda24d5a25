// Handlers of shops.*: list (never with secrets), connect a real shop, connect the built-in demo shop.
import { defineHandlers } from '../handlers';
import { connectShop } from './connect';
import { ensureDemoShop } from './demo';
import { ShopStore } from './store';

export const shopsHandlers = defineHandlers({
  'shops.list': (ctx) => ({ shops: ctx.platform.store.list().map(ShopStore.toPublic) }),
  'shops.connect': async (ctx, input) => ShopStore.toPublic(await connectShop(ctx, input)),
  'shops.connectDemo': async (ctx) => {
    const shop = await ensureDemoShop(ctx);
    return ShopStore.toPublic(ctx.platform.store.get(shop.id) ?? shop);
  },
});
