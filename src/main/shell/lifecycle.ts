// The desktop app's lifecycle: single instance, no default menu, core + window + IPC, and a quit that waits.
import { app, BrowserWindow, dialog, Menu, net } from 'electron';
import path from 'node:path';
import { APP_VERSION } from '../../common/app-version';
import { createCore, type Core } from '../core/core';
import type { Logger } from '../core/log/logger';
import { warehouseFromStored } from '../warehouse/link/start';
import { createElectronLogger } from './electron-logger';
import { forwardEvents, registerIpc } from './ipc';
import { electronNativeBinding, runningTarget } from './native-binding';
import { createNetTransport } from './net-transport';
import { handleAppProtocol, registerAppSchemeAsPrivileged } from './protocol';
import { holdQuitUntilClosed } from './quit';
import { createSafeStorageBox } from './safe-storage-box';
import { createDeskWindow, hardenSession, rendererDirOf } from './window';

export function dataDirFromArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const index = argv.indexOf('--data-dir');
  if (index >= 0 && argv[index + 1]) return path.resolve(argv[index + 1]!);
  const inline = argv.find((arg) => arg.startsWith('--data-dir='));
  if (inline) return path.resolve(inline.slice('--data-dir='.length));
  return env.RETURNDESK_DATA_DIR ? path.resolve(env.RETURNDESK_DATA_DIR) : undefined;
}

/** Opens the core; with `--warehouse URL` or RETURNDESK_WAREHOUSE_URL it also links it to the warehouse. */
function openCore(logger: Logger, dataDir: string): Core {
  const sealBox = createSafeStorageBox();
  // A wrong warehouse URL stops the start with its reason; an unreachable warehouse does not (the link retries).
  // The URL from the command line, the environment or the desk's stored settings (read by createCore), in that order.
  const warehouse = warehouseFromStored({ argv: process.argv, env: process.env });
  const core = createCore({
    dataDir,
    appVersion: APP_VERSION,
    logger,
    nativeBinding: electronNativeBinding({
      packaged: app.isPackaged,
      resourcesPath: process.resourcesPath ?? '',
      appPath: app.getAppPath(),
      target: runningTarget(),
    }),
    secretBox: sealBox,
    // Chromium's network stack: the operating system's proxy and PAC settings apply, as in the desk's browser.
    platform: { transport: createNetTransport((url, init) => net.fetch(url, init)) },
    program: 'ReturnDesk (Electron)',
    // Loaded on first use: the simulator and its HTTP server are only needed when the demo shop is.
    demoSimulator: (demo) => import('../sim/demo').then((sim) => sim.startDemoSimulator(demo)),
    syncGateFromStored: warehouse.gateFor,
  });
  warehouse.mode()?.attach(core, logger);
  return core;
}

/** Returns once the handlers are installed; the window opens when Electron is ready. */
export function runDesktopApp(): void {
  const dataDir = dataDirFromArgs(process.argv);
  if (dataDir) app.setPath('userData', dataDir);

  registerAppSchemeAsPrivileged();
  // No application menu: Electron's default one carries accelerators (Ctrl+M minimize, Ctrl+W close, Ctrl+R
  // reload, Ctrl+Shift+I DevTools, Alt menu bar) that fire for any key the page does not consume. Copy and
  // paste in text fields are Chromium's own editing keys on Windows and Linux and keep working without it.
  Menu.setApplicationMenu(null);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let core: Core | undefined;
  let window: BrowserWindow | undefined;
  let logger: Logger | undefined;
  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    logger = createElectronLogger();
    const userData = app.getPath('userData');
    try {
      core = openCore(logger, userData);
    } catch (error) {
      // A data directory in use by another process, a database from a newer ReturnDesk, an unreadable one, or no
      // native module for this Electron: say why, and stop with a failure status.
      logger.error('cannot open the desk database', { error });
      dialog.showErrorBox('退货签收台 ReturnDesk', error instanceof Error ? error.message : String(error));
      app.exit(1);
      return;
    }
    hardenSession(devServerUrl);
    handleAppProtocol(rendererDirOf(__dirname));
    registerIpc(core, devServerUrl);
    window = createDeskWindow({ dataDir: userData, preloadPath: path.join(__dirname, '../preload/index.js'), devServerUrl });
    const unsubscribe = forwardEvents(core, window.webContents);
    window.on('closed', () => {
      unsubscribe();
      window = undefined;
    });
    logger.info('ReturnDesk started', { version: APP_VERSION, dataDir: userData });
  });

  app.on('window-all-closed', () => app.quit());
  holdQuitUntilClosed(
    app,
    () => core?.close(),
    (error) => logger?.error('the core did not close cleanly', { error }),
  );
}
