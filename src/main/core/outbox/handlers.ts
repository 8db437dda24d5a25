// outbox.* handlers: the list of queued work, an operator's retry of a conflict, and dismissing one with a reason.
import { DeskError } from '../../../common/contract/errors';
import { audited } from '../audit-log/audited';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { defineHandlers } from '../context/handlers';
import { requirePermission } from '../operators/permissions';
import { getOperator } from '../operators/store';
import { dismissConflict, getRow, listRows, outboxCounts, reopen, toItem, type OutboxRow } from './store';

/** The outbox keeps the operator's id; the operator sees the name (or the id of an operator since removed). */
function itemWithOperator(ctx: Pick<CoreContext, 'db'>, row: OutboxRow) {
  const item = toItem(row);
  return row.operator_id ? { ...item, operatorName: getOperator(ctx, row.operator_id)?.name ?? row.operator_id } : item;
}

export const outboxHandlers = defineHandlers({
  'outbox.list': (ctx, input) => listRows(ctx.db, input.states, input.limit ?? 200).map((row) => itemWithOperator(ctx, row)),
  'outbox.retry': (ctx, input) => {
    requirePermission(ctx, 'agree_refund');
    const row = getRow(ctx.db, input.id);
    if (!row) throw new DeskError('not_found', `No outbox item ${input.id}`, { id: input.id });
    if (row.state !== 'conflict' && row.state !== 'retrying') {
      throw new DeskError('invalid_state', `Only a conflict or a retrying item can be retried; this one is ${row.state}`, {
        id: row.id,
        state: row.state,
      });
    }
    // Reopened with a re-read owed: the worker looks at the platform's state before anything is sent.
    const reopened = ctx.db.transaction(() => {
      if (!reopen(ctx.db, row, ctx.clock.now())) return false;
      recordAudit(ctx, {
        action: 'outbox.retry',
        outcome: 'ok',
        refundId: row.refund_id,
        details: { id: row.id, kind: row.kind, from: row.state },
      });
      return true;
    })();
    if (!reopened) throw new DeskError('conflict', 'The item changed meanwhile; reload it', { id: row.id });
    ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
    ctx.events.emit('afterSales.changed', { refundIds: [row.refund_id] });
    ctx.outbox.wake();
    return itemWithOperator(ctx, getRow(ctx.db, row.id)!);
  },
  'outbox.dismiss': (ctx, input) =>
    audited(ctx, { action: 'outbox.dismiss', refundId: null }, () => {
      requirePermission(ctx, 'agree_refund');
      const row = getRow(ctx.db, input.id);
      if (!row) throw new DeskError('not_found', `No outbox item ${input.id}`, { id: input.id });
      if (row.state !== 'conflict') {
        throw new DeskError('invalid_state', `Only a conflict can be dismissed; this one is ${row.state}`, {
          id: row.id,
          state: row.state,
        });
      }
      // The operator's own words only: the desk words "dismissed" itself (typed note), the audit names the operator.
      const note = input.reason.trim();
      ctx.db.transaction(() => {
        if (!dismissConflict(ctx.db, row, ctx.clock.now(), note))
          throw new DeskError('conflict', 'The item changed meanwhile; reload it', { id: row.id });
        recordAudit(ctx, {
          action: 'outbox.dismiss',
          outcome: 'dismissed',
          refundId: row.refund_id,
          details: {
            outboxId: row.id,
            kind: row.kind,
            reason: input.reason,
            conflict: row.last_error,
            conflictReason: row.conflict_reason,
          },
        });
      })();
      ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
      ctx.events.emit('afterSales.changed', { refundIds: [row.refund_id] });
      return itemWithOperator(ctx, getRow(ctx.db, row.id)!);
    }),
});
