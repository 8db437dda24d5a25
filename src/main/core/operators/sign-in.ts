// Sign-in by name + PIN: constant-time check, the same answer for unknown names, lockout after repeated failures.
import { DeskError } from '../../../common/contract/errors';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { decoyHash, verifyPin } from './pin';
import { startSession } from './session';
import { findOperatorByName, nameKey, operatorCount, type OperatorRecord } from './store';
import { statement } from '../sql/statements';

export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 30_000;

interface FailureRow {
  failures: number;
  locked_until: number | null;
}

type Reservation = { granted: true; attemptsLeft: number; lockedUntil: number | null } | { granted: false; lockedUntil: number };

/**
 * Reserves one PIN check for a name before any hashing, in one write transaction: concurrent requests can
 * never read the same count. Every reservation counts as a failure until the PIN proves right; the fifth
 * reservation of a window sets the lock at once, so whatever arrives at the same moment meets it. An
 * expired lock starts a new window. Nothing here ever clears a lock; only a right PIN (below) does.
 */
function reserveAttempt(ctx: Pick<CoreContext, 'db' | 'clock'>, key: string): Reservation {
  return ctx.db
    .transaction((): Reservation => {
      const now = ctx.clock.now();
      const row = statement(ctx.db, 'SELECT failures, locked_until FROM operator_sign_in_failures WHERE name_key = ?').get(key) as
        FailureRow | undefined;
      if (row?.locked_until != null && row.locked_until > now) return { granted: false, lockedUntil: row.locked_until };
      const windowOver = row?.locked_until != null && row.locked_until <= now;
      const failures = (windowOver ? 0 : (row?.failures ?? 0)) + 1;
      const lockedUntil = failures >= MAX_FAILURES ? now + LOCKOUT_MS : null;
      statement(
        ctx.db,
        `INSERT INTO operator_sign_in_failures (name_key, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(name_key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
      ).run(key, failures, lockedUntil, now);
      return { granted: true, attemptsLeft: Math.max(0, MAX_FAILURES - failures), lockedUntil };
    })
    .immediate();
}

export async function signIn(ctx: CoreContext, name: string, pin: string): Promise<OperatorRecord> {
  if (operatorCount(ctx) === 0) {
    throw new DeskError('invalid_state', 'No operator exists yet: create the main account first', { reason: 'needs_bootstrap' });
  }
  const key = nameKey(name);
  const now = ctx.clock.now();
  const reservation = reserveAttempt(ctx, key);
  if (!reservation.granted) {
    recordAudit(ctx, { action: 'operators.signIn', outcome: 'locked', operator: null, details: { name } });
    throw new DeskError('rate_limited', 'Too many wrong PINs for this name; wait and try again', {
      reason: 'locked',
      retryAfterMs: reservation.lockedUntil - now,
    });
  }
  const operator = findOperatorByName(ctx, name);
  // Hash even for an unknown name so timing does not tell which names exist.
  const matches = await verifyPin(pin, operator?.pin ?? (await decoyHash()));
  if (!operator || !matches) {
    // The attempt was counted when it was reserved: a failure writes nothing more, so it can never undo a lock.
    const { attemptsLeft, lockedUntil: until } = reservation;
    recordAudit(ctx, { action: 'operators.signIn', outcome: 'wrong_credentials', operator: null, details: { name, attemptsLeft } });
    throw new DeskError('not_signed_in', 'Wrong name or PIN', {
      reason: 'wrong_credentials',
      attemptsLeft,
      ...(until === null ? {} : { retryAfterMs: until - now }),
    });
  }
  statement(ctx.db, 'DELETE FROM operator_sign_in_failures WHERE name_key = ?').run(key);
  if (operator.disabled) {
    recordAudit(ctx, { action: 'operators.signIn', outcome: 'disabled', operator: { id: operator.id, name: operator.name } });
    throw new DeskError('forbidden', 'This operator is disabled', { reason: 'operator_disabled' });
  }
  const previous = ctx.session.operatorId;
  startSession(ctx, operator);
  recordAudit(ctx, {
    action: 'operators.signIn',
    outcome: 'ok',
    operator: { id: operator.id, name: operator.name },
    details: previous !== null && previous !== operator.id ? { replacedOperatorId: previous } : null,
  });
  return operator;
}
