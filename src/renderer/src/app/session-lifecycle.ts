// The renderer's one session lifecycle: what the desk does when an operator signs in, signs out on purpose (Ctrl+L)
// or loses the session under the desk (the core's idle timeout, signed out elsewhere, operator disabled). Features
// keep no session watchers of their own: a store holding one operator's work gets its reset listed here.
import { watch } from 'vue';
import type { Router } from 'vue-router';
import { useDesk } from '../desk/store';
import { useSession } from '../operators/session';
import type { SessionPhase } from '../operators/session-phase';
import { useQueue } from '../queue/store';
import { closeAllDialogs, dialogState } from '../ui/dialogs';
import { sessionSteps } from './session-steps';

/**
 * Everything one operator's work left in the renderer: the screen to come back to, open dialogs, the card, recent
 * scans, undo windows, the queue's filters and selection. Desk-wide state stays: settings, sync status, app info,
 * notices, and held scans (a scanned parcel is the desk's, whoever handles it).
 */
function forgetOperatorWork(): void {
  useSession().resumeRoute = null;
  closeAllDialogs();
  useDesk().forgetOperator();
  useQueue().reset();
}

/** Starts following the session; returns the stop function. */
export function installSessionLifecycle(router: Router): () => void {
  const session = useSession();
  let workOf: string | null = session.operator?.id ?? null;

  return watch(
    () => session.phase,
    (phase: SessionPhase, previous: SessionPhase) => {
      const operatorId = session.operator?.id ?? null;
      const steps = sessionSteps(previous, phase, workOf, operatorId);
      if (steps.forgetWork) forgetOperatorWork();
      if (phase !== 'ended') workOf = operatorId;
      dialogState.suspended = steps.suspendDialogs;
      const screen = router.currentRoute.value.name;
      if (steps.rememberScreen && typeof screen === 'string' && screen !== 'signin') session.resumeRoute = screen;
      if (steps.toSignIn && screen !== 'signin') void router.push({ name: 'signin' });
    },
  );
}
