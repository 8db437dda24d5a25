// Handlers of the back office's own methods: audit search, binding a parcel by hand, statistics, one's own PIN.
import { auditActions, searchAudit } from '../audit/search';
import { defineHandlers } from '../handlers';
import { requirePermission } from '../operators/permissions';
import { changeOwnPin } from '../operators/own-pin';
import { bindByHand } from '../parcels/bind';
import { statsSummary } from './stats';

export const backofficeHandlers = defineHandlers({
  // Who did what at the desk is the managers' business.
  'audit.search': (ctx, input) => {
    requirePermission(ctx, 'manage_operators');
    return { entries: searchAudit(ctx, input), actions: auditActions(ctx) };
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
  'operators.changeOwnPin': (ctx, input) => changeOwnPin(ctx, input.currentPin, input.newPin),
});
