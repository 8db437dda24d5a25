// Wires the desk together once at start: scanner capture, the key layers, routing of scans, idle sign-out and
// the screen guards (sign in first, then a shop, then the desk).
import type { Router } from 'vue-router';
import { i18n } from '../i18n';
import { installScanCapture, isTextField } from '../scanner/capture';
import { ScanRouter, type Scan } from '../scanner/router';
import { useDesk } from '../stores/desk';
import { useNotices } from '../stores/notices';
import { useSession } from '../stores/session';
import { useSync } from '../stores/sync';
import { dialogStack, closeAllDialogs, deskIdle, onAllDialogsClosed, openDialog } from './dialogs';
import { dispatchKey, fromEvent, pushKeyLayer } from './keys';
import { undoLast } from './flows';
import KeyMapDialog from '../dialogs/KeyMapDialog.vue';
import { reactive } from 'vue';

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
      await desk.lookup(scan.text, scan.source);
    },
  );

  const routeScan = (scan: Scan) => {
    session.touch();
    const route = scanRouter.route(scan);
    runtimeState.heldScans = scanRouter.heldCount;
    runtimeState.lastScan = scan.text;
    runtimeState.lastRoute = route;
    if (route === 'held') notices.push('info', t('scan.held', { count: scanRouter.heldCount }));
    if (route === 'dropped') notices.push('warning', t('scan.signInFirst'));
  };

  const stopCapture = installScanCapture(
    window,
    {
      onScan: (text) => routeScan({ text, source: 'scanner', at: Date.now() }),
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
    if (key.key === 'F1' || key.key === 'F2') {
      void router.push({ name: key.key === 'F1' ? 'desk' : 'queue' });
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
    await session.signOut().catch(() => undefined);
    await router.push({ name: 'signin' });
  }

  const idleTimer = setInterval(() => {
    if (!session.operator) return;
    if (Date.now() - session.lastActivity > session.idleTimeoutMs) {
      notices.push('warning', t('signIn.idleSignedOut'));
      void switchOperator();
    }
  }, 5000);

  void desk.loadSettings();
  sync.start();

  return () => {
    stopCapture();
    offClosed();
    offGlobal();
    clearInterval(idleTimer);
    window.removeEventListener('keydown', onKeyDown);
    window.removeEventListener('mousedown', onPointer, true);
    sync.stop();
  };
}
