// Handlers of the back office's own methods: audit search, binding a parcel by hand, statistics, one's own PIN.
import { auditActions, countAudit, searchAudit } from '../audit-log/search';
import { defineHandlers } from '../context/handlers';
import { requirePermission } from '../operators/permissions';
import { changeOwnPin } from '../operators/own-pin';
import { bindByHand } from '../parcels/bind';
import { statsSummary } from './stats';
import { disconnectShop, renameShop, setShopPaused, shopsOverview } from '../shops/manage';
import { ShopStore } from '../shops/store';

export const backofficeHandlers = defineHandlers({
  // Who did what at the desk is the managers' business.
  'audit.search': (ctx, input) => {
    requirePermission(ctx, 'manage_operators');
    return { entries: searchAudit(ctx, input), actions: auditActions(ctx), total: input.countTotal ? countAudit(ctx, input) : null };
  },
  // Binding ties a parcel to a refund the desk will then confirm: the same permission as the refund itself.
  'parcels.bind': (ctx, input) => {
    requirePermission(ctx, 'agree_refund');
    return bindByHand(ctx, input.parcelId, input.refundId);
  },
  'stats.summary': (ctx, input) => {
    requirePermission(ctx, 'manage_operators');
    return statsSummary(ctx, { from: input.from, to: input.to, utcOffsetMinutes: input.utcOffsetMinutes ?? 0 });
  },
  'shops.overview': (ctx) => {
    requirePermission(ctx, 'manage_shops');
    return { shops: shopsOverview(ctx) };
  },
  'shops.rename': (ctx, input) => {
    requirePermission(ctx, 'manage_shops');
    return ShopStore.toPublic(renameShop(ctx, input.shopId, input.name));
  },
  'shops.setPaused': (ctx, input) => {
    requirePermission(ctx, 'manage_shops');
    return setShopPaused(ctx, input.shopId, input.paused);
  },
  'shops.disconnect': (ctx, input) => {
    requirePermission(ctx, 'manage_shops');
    return disconnectShop(ctx, input.shopId, input.keepQueued ?? false);
  },
  'operators.changeOwnPin': (ctx, input) => changeOwnPin(ctx, input.currentPin, input.newPin),
});
