// Wires the desk together once at start: scanner capture, the key layers, routing of scans, idle sign-out, the
// session ending under the desk (back to sign-in with the work kept) and the screen guards.
import type { Router } from 'vue-router';
import { i18n } from '../i18n';
import { installScanCapture, isTextField } from '../scanner/capture';
import { ScanRouter, type Scan } from '../scanner/router';
import { useDesk } from '../stores/desk';
import { useQueue } from '../stores/queue';
import { useNotices } from '../stores/notices';
import { useSession } from '../stores/session';
import { useSync } from '../stores/sync';
import { dialogStack, dialogState, closeAllDialogs, deskIdle, onAllDialogsClosed, openDialog } from './dialogs';
import { dispatchKey, fromEvent, pushKeyLayer } from './keys';
import { undoLast } from './flows';
import { announceParcelBindings } from '../backoffice/announce';
import { installScannerProbe, probeScan } from '../backoffice/scanner-probe';
import KeyMapDialog from '../dialogs/KeyMapDialog.vue';
import SettingsDialog from '../dialogs/SettingsDialog.vue';
import { reactive, watch } from 'vue';

const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);

/** Live numbers the header shows (held scans) and e2e tests read. */
export const runtimeState = reactive({ heldScans: 0, lastScan: '', lastRoute: '' });

export function startDeskRuntime(router: Router): () => void {
  const session = useSession();
  const desk = useDesk();
  const notices = useNotices();
  const sync = useSync();

  const scanRouter = new ScanRouter(
    () => ({ signedIn: session.operator !== null, dialogs: deskIdle() ? [] : dialogStack.length > 0 ? dialogStack : [{}] }),
    async (scan: Scan) => {
      if (router.currentRoute.value.name !== 'desk') await router.push({ name: 'desk' });
      if ((await desk.lookup(scan.text, scan.source)) === 'session_ended') scanRouter.holdAgain(scan);
      runtimeState.heldScans = scanRouter.heldCount;
    },
  );

  const routeScan = (scan: Scan) => {
    session.touch();
    const route = scanRouter.route(scan);
    runtimeState.heldScans = scanRouter.heldCount;
    runtimeState.lastScan = scan.text;
    runtimeState.lastRoute = route;
    if (route === 'held') notices.push('info', () => t('scan.held', { count: scanRouter.heldCount }));
    if (route === 'dropped') notices.push('warning', () => t('scan.signInFirst'));
  };

  const stopProbe = installScannerProbe(window);
  const stopCapture = installScanCapture(
    window,
    {
      onScan: (text, info) => probeScan(text, info) || routeScan({ text, source: 'scanner', at: Date.now() }),
      onReleasedKey: (key) => dispatchKey(key),
    },
    () => session.operator !== null,
  );

  const offClosed = onAllDialogsClosed(() => {
    void scanRouter.drain().then(() => (runtimeState.heldScans = scanRouter.heldCount));
  });

  const onKeyDown = (event: KeyboardEvent) => {
    session.touch();
    const editable = isTextField(document.activeElement);
    const printable = event.key.length === 1 && !event.ctrlKey && !event.altKey && !event.metaKey;
    if (printable && editable) return; // typing in a field
    if (printable && !editable && dialogStack.length === 0) return; // printable keys reach shortcuts through the detector
    if (dispatchKey(fromEvent(event, editable))) event.stopPropagation();
  };
  window.addEventListener('keydown', onKeyDown);
  const onPointer = () => session.touch();
  window.addEventListener('mousedown', onPointer, true);

  const offGlobal = pushKeyLayer((key) => {
    if (!session.operator) return false;
    if (key.ctrlKey && key.code === 'KeyL') {
      void switchOperator();
      return true;
    }
    if (key.ctrlKey && key.code === 'KeyZ' && !key.editable) {
      void undoLast();
      return true;
    }
    if (key.ctrlKey && key.code === 'KeyM') {
      void desk.saveSound({ soundMuted: !(desk.settings?.soundMuted ?? false) });
      return true;
    }
    if (key.ctrlKey && key.code === 'Comma') {
      void openDialog(SettingsDialog);
      return true;
    }
    if (key.key === 'F2') useQueue().openFromKey();
    if (key.key === 'F1' || key.key === 'F2') {
      void router.push({ name: key.key === 'F1' ? 'desk' : 'queue' });
      return true;
    }
    if (key.key === 'F3') {
      void router.push({ name: 'admin' });
      return true;
    }
    if (!key.editable && (key.key === '?' || (key.code === 'Slash' && key.shiftKey))) {
      void openDialog(KeyMapDialog);
      return true;
    }
    if (key.key === '/' && !key.ctrlKey && !key.editable) {
      const box = document.querySelector<HTMLInputElement>('[data-scan-box]');
      box?.focus();
      return box !== null;
    }
    return false;
  });

  async function switchOperator(): Promise<void> {
    closeAllDialogs();
    desk.forgetOperator();
    useQueue().reset();
    await session.signOut().catch(() => undefined);
    await router.push({ name: 'signin' });
  }

  const idleTimer = setInterval(() => {
    if (!session.operator) return;
    if (Date.now() - session.lastActivity > session.idleTimeoutMs) void session.expire('idle_timeout');
  }, 5000);

  // The session ended without Ctrl+L (the core's idle timeout, signed out elsewhere, operator disabled): dialogs
  // are suspended, not closed, held scans stay held, and the sign-in screen says why.
  const offEnded = watch(
    () => session.ended,
    (ended) => {
      if (!ended) return;
      const current = router.currentRoute.value.name;
      if (typeof current === 'string' && current !== 'signin') session.resumeRoute = current;
      void router.push({ name: 'signin' });
    },
  );
  const offOperator = watch(
    () => session.operator !== null,
    (signedIn) => (dialogState.suspended = !signedIn),
  );
  // Signed in again and back on a working screen: scans kept meanwhile are handled now, in order.
  const offRoute = router.afterEach((to) => {
    if (session.operator && to.name !== 'signin' && scanRouter.heldCount > 0 && deskIdle()) {
      void scanRouter.drain().then(() => (runtimeState.heldScans = scanRouter.heldCount));
    }
  });

  const offBound = announceParcelBindings();

  void desk.loadSettings();
  sync.start();

  return () => {
    stopCapture();
    stopProbe();
    offClosed();
    offGlobal();
    offEnded();
    offOperator();
    offRoute();
    offBound();
    clearInterval(idleTimer);
    window.removeEventListener('keydown', onKeyDown);
    window.removeEventListener('mousedown', onPointer, true);
    sync.stop();
  };
}

const ENDED_REASONS = ['idle_timeout', 'signed_out', 'operator_disabled', 'operator_missing'];

/** The i18n key under `signIn.ended.` for why the session ended. */
export function endedKey(reason: string): string {
  return ENDED_REASONS.includes(reason) ? reason : 'other';
}
