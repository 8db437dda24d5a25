// What the sign-in screen says: a refused sign-in (a wrong PIN with the attempts left, a lockout with until when),
// and why the session ended under the desk.
import { DeskError } from '../../../common/contract';
import { errorReason, errorText } from '../api/errors';

type Translate = (key: string, params?: Record<string, unknown>) => string;

function numberIn(details: unknown, key: string): number | null {
  const value = (details as Record<string, unknown> | null | undefined)?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The time of day the lock ends (HH:MM:SS, local) and the seconds left, rounded up. */
function until(now: number, retryAfterMs: number): { time: string; seconds: number } {
  const end = new Date(now + retryAfterMs);
  const time = [end.getHours(), end.getMinutes(), end.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return { time, seconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

export function signInErrorText(t: Translate, error: unknown, now: number): string {
  const reason = errorReason(error);
  const details = error instanceof DeskError ? error.details : undefined;
  const retryAfterMs = numberIn(details, 'retryAfterMs');
  if (reason === 'source_backoff') return t('signInErrors.backoff', until(now, retryAfterMs ?? 0));
  if (reason === 'locked' || (reason === 'wrong_credentials' && retryAfterMs !== null)) {
    return t('signInErrors.locked', until(now, retryAfterMs ?? 0));
  }
  if (reason === 'wrong_credentials') {
    const attemptsLeft = numberIn(details, 'attemptsLeft');
    return attemptsLeft === null ? t('signInErrors.wrong') : t('signInErrors.wrongLeft', { count: attemptsLeft });
  }
  return errorText(t, error);
}

const ENDED_REASONS = ['idle_timeout', 'signed_out', 'operator_disabled', 'operator_missing'];

/** The i18n key under `signIn.ended.` for why the session ended. */
export function endedKey(reason: string): string {
  return ENDED_REASONS.includes(reason) ? reason : 'other';
}
