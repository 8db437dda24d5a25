// Electron entry: lifecycle only. Everything the desk does lives in the core behind the IPC contract.
import { app, BrowserWindow, dialog } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { createCore, type Core } from './core/core';
import { APP_VERSION } from './app-version';
import { createElectronLogger } from './electron-logger';
import { forwardEvents, registerIpc } from './ipc';
import { handleAppProtocol, registerAppSchemeAsPrivileged } from './protocol';
import { createSafeStorageBox } from './safe-storage-box';
import { createDeskWindow, hardenSession, rendererDirOf } from './window';

function dataDirFromArgs(argv: string[]): string | undefined {
  const index = argv.indexOf('--data-dir');
  if (index >= 0 && argv[index + 1]) return path.resolve(argv[index + 1]!);
  const inline = argv.find((arg) => arg.startsWith('--data-dir='));
  if (inline) return path.resolve(inline.slice('--data-dir='.length));
  return process.env.RETURNDESK_DATA_DIR ? path.resolve(process.env.RETURNDESK_DATA_DIR) : undefined;
}

/** The better-sqlite3 binary built for Electron (scripts/electron-native.mjs); Node's build is left alone. */
function electronNativeBinding(): string | undefined {
  const candidates = [
    path.join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
    path.join(app.getAppPath(), '.cache', 'electron-native', 'better_sqlite3.node'),
  ];
  return candidates.find((candidate) => fs.existsSync(candidate));
}

const dataDir = dataDirFromArgs(process.argv);
if (dataDir) app.setPath('userData', dataDir);

registerAppSchemeAsPrivileged();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: Core | undefined;
  let window: BrowserWindow | undefined;
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
    const logger = createElectronLogger();
    const userData = app.getPath('userData');
    try {
      core = createCore({
        dataDir: userData,
        appVersion: APP_VERSION,
        logger,
        nativeBinding: electronNativeBinding(),
        secretBox: createSafeStorageBox(),
      });
    } catch (error) {
      // A database from a newer ReturnDesk (or an unreadable one) must not be touched: say why and stop.
      logger.error('cannot open the desk database', { error });
      dialog.showErrorBox('退货签收台 ReturnDesk', error instanceof Error ? error.message : String(error));
      app.quit();
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
  app.on('will-quit', () => {
    void core?.close();
  });
}
