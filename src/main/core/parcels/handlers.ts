// Handlers of parcels.*: register an unmatched parcel, list them.
import { defineHandlers } from '../context/handlers';
import { requireOperator } from '../operators/session';
import { listUnmatched, registerUnmatched } from './parcels';

export const parcelsHandlers = defineHandlers({
  'parcels.registerUnmatched': (ctx, input) => registerUnmatched(ctx, requireOperator(ctx), { code: input.code, note: input.note ?? '' }),
  'parcels.listUnmatched': (ctx) => {
    requireOperator(ctx);
    return listUnmatched(ctx);
  },
});
