// What the desk does at each change of the session, as data (app/session-lifecycle.ts carries it out).
import type { SessionPhase } from '../operators/session-phase';

export interface SessionSteps {
  /** Close dialogs, clear the card, recent scans, undo windows and the queue's filters and selection. */
  forgetWork: boolean;
  /** Hide the open dialogs and make them deaf to keys (true), or bring them back (false). */
  suspendDialogs: boolean;
  /** Keep the current screen to return to after the next sign-in. */
  rememberScreen: boolean;
  toSignIn: boolean;
}

/**
 * `workOf` is the operator whose work the desk holds (null when none). Signing out on purpose (Ctrl+L) forgets the
 * work; a session that ended under the desk keeps it, suspended, for the same operator; someone else signing in next
 * starts clean.
 */
export function sessionSteps(previous: SessionPhase, phase: SessionPhase, workOf: string | null, operatorId: string | null): SessionSteps {
  if (phase === 'signed_in') {
    const someoneElse = workOf !== null && workOf !== operatorId;
    return { forgetWork: someoneElse, suspendDialogs: false, rememberScreen: false, toSignIn: false };
  }
  if (phase === 'ended') return { forgetWork: false, suspendDialogs: true, rememberScreen: true, toSignIn: true };
  return { forgetWork: previous === 'signed_in', suspendDialogs: false, rememberScreen: false, toSignIn: true };
}
