// Wires the desk together once at start: scanner capture, the key layers, routing of scans (held while a dialog or
// a sign-in is in the way), idle sign-out, and the one session lifecycle (app/session-lifecycle.ts).
import type { Router } from 'vue-router';
import { i18n } from '../i18n';
import { installScanCapture, isTextField } from '../scanner/capture';
import { ScanRouter, type Scan } from '../scanner/router';
import { useDesk } from '../desk/store';
import { useQueue } from '../queue/store';
import { useNotices } from '../ui/notices';
import { useSession } from '../operators/session';
import { useSync } from '../sync/store';
import { dialogStack, deskIdle, onAllDialogsClosed, openDialog } from '../ui/dialogs';
import { dispatchKey, fromEvent, pushKeyLayer } from '../ui/keys';
import { undoLast } from '../desk/flows';
import { announceParcelBindings } from '../backoffice/announce';
import { installScannerProbe, probeScan } from '../backoffice/scanner-probe';
import KeyMapDialog from './KeyMapDialog.vue';
import SettingsDialog from '../settings/SettingsDialog.vue';
import { scanState } from '../ui/scan-state';
import { installSessionLifecycle } from './session-lifecycle';

const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);

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
      scanState.heldScans = scanRouter.heldCount;
    },
  );

  const routeScan = (scan: Scan) => {
    session.touch();
    const route = scanRouter.route(scan);
    scanState.heldScans = scanRouter.heldCount;
    scanState.lastScan = scan.text;
    scanState.lastRoute = route;
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
    void scanRouter.drain().then(() => (scanState.heldScans = scanRouter.heldCount));
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
      void session.signOut().catch(() => undefined); // the session lifecycle does the rest
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

  const idleTimer = setInterval(() => {
    if (!session.operator) return;
    if (Date.now() - session.lastActivity > session.idleTimeoutMs) void session.expire('idle_timeout');
  }, 5000);

  const offSession = installSessionLifecycle(router);
  // Signed in again and back on a working screen: scans kept meanwhile are handled now, in order.
  const offRoute = router.afterEach((to) => {
    if (session.operator && to.name !== 'signin' && scanRouter.heldCount > 0 && deskIdle()) {
      void scanRouter.drain().then(() => (scanState.heldScans = scanRouter.heldCount));
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
    offSession();
    offRoute();
    offBound();
    clearInterval(idleTimer);
    window.removeEventListener('keydown', onKeyDown);
    window.removeEventListener('mousedown', onPointer, true);
    sync.stop();
  };
}
