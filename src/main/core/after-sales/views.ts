// The views the desk reads: one cached after-sale as the contract shows it, with the outbox's pending work on it.
import type { AfterSale } from '../../../common/contract/after-sales';
import type { CoreContext } from '../context/context';
import { localDetails } from '../outbox/store';
import { readRow, toView } from './store';

type ReadCtx = Pick<CoreContext, 'db' | 'clock'>;

/** The contract's view of one cached after-sale, with our pending work on it; null when not in the cache. */
export function getAfterSale(ctx: ReadCtx, refundId: string): AfterSale | null {
  const row = readRow(ctx.db, refundId);
  if (!row) return null;
  const now = ctx.clock.now();
  const view = toView(ctx.db, row, localDetails(ctx.db, refundId, now));
  // The stored state says "pending" until the worker claims the row; past the undo window it is on its way.
  if (view.local.state === 'confirm_pending' && view.local.undoUntil === null) view.local.state = 'confirm_sending';
  return view;
}
