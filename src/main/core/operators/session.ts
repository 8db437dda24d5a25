// The desk session (ctx.session): who is signed in, the idle timeout, and the guard that touches activity.
import { DeskError } from '../../../common/contract/errors';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { readSettings } from '../settings/settings';
import { getOperator, type OperatorRecord } from './store';

type SessionContext = Pick<CoreContext, 'db' | 'clock' | 'session'>;
export type SessionEnd = 'idle_timeout' | 'operator_disabled' | 'operator_missing';

/** Tells the session's listeners that `operatorId`'s session is ending (it still names them meanwhile). */
function tellEnding(ctx: SessionContext, operatorId: string): void {
  for (const listener of ctx.session.onEnd) listener(operatorId);
}

/** Starts `operator`'s session; another operator's session still open ends here (its listeners are told). */
export function startSession(ctx: SessionContext, operator: OperatorRecord): void {
  const previous = ctx.session.operatorId;
  if (previous !== null && previous !== operator.id) tellEnding(ctx, previous);
  ctx.session.operatorId = operator.id;
  ctx.session.lastActivityAt = ctx.clock.now();
}

/** Clears the session; audited with why (an explicit sign-out is audited by its handler instead). */
export function endSession(ctx: SessionContext, reason: SessionEnd | null): void {
  const id = ctx.session.operatorId;
  if (id !== null) tellEnding(ctx, id);
  if (id !== null && reason !== null) {
    const operator = getOperator(ctx, id);
    recordAudit(ctx, {
      action: 'operators.signOut',
      outcome: reason,
      operator: operator ? { id: operator.id, name: operator.name } : null,
      details: { idleForMs: ctx.clock.now() - ctx.session.lastActivityAt },
    });
  }
  ctx.session.operatorId = null;
  ctx.session.lastActivityAt = 0;
}

/**
 * The signed-in operator, or null. A session idle for idleTimeoutMs or more, or whose operator was
 * disabled meanwhile, is ended here. Does not count as activity: polling the session keeps nobody in.
 */
export function currentOperator(ctx: SessionContext): { operator: OperatorRecord | null; ended: SessionEnd | null } {
  const id = ctx.session.operatorId;
  if (id === null) return { operator: null, ended: null };
  const { idleTimeoutMs } = readSettings(ctx);
  if (ctx.clock.now() - ctx.session.lastActivityAt >= idleTimeoutMs) {
    endSession(ctx, 'idle_timeout');
    return { operator: null, ended: 'idle_timeout' };
  }
  const operator = getOperator(ctx, id);
  if (operator === null || operator.disabled) {
    const reason: SessionEnd = operator === null ? 'operator_missing' : 'operator_disabled';
    endSession(ctx, reason);
    return { operator: null, ended: reason };
  }
  return { operator, ended: null };
}

/** The refusal of a call made with nobody (or nobody any more) signed in. */
export function signInRequired(ended: SessionEnd | null): DeskError {
  const message = ended === 'idle_timeout' ? 'The session timed out after inactivity; sign in again' : 'Sign in first';
  return new DeskError('not_signed_in', message, { reason: ended ?? 'signed_out' });
}

/** The guard of every call that needs someone at the desk: throws `not_signed_in`, else touches activity. */
export function requireOperator(ctx: SessionContext): OperatorRecord {
  const { operator, ended } = currentOperator(ctx);
  if (operator === null) throw signInRequired(ended);
  ctx.session.lastActivityAt = ctx.clock.now();
  return operator;
}
