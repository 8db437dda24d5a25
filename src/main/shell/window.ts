// The one hardened desk window: sandboxed, isolated, no node, no navigation, no popups, no permission but the camera.
import { app, BrowserWindow, screen, session, shell } from 'electron';
import path from 'node:path';
import { cameraPermissionAllowed } from './camera-permission';
import { APP_ORIGIN, isAllowedExternalUrl, isTrustedSenderUrl } from './trust';
import { fitToDisplays, loadWindowState, saveWindowState } from './window-state';

export function hardenSession(devServerUrl?: string): void {
  const ses = session.defaultSession;
  // Only the desk camera (evidence photos), and only for our own pages; everything else stays denied.
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) =>
    callback(
      cameraPermissionAllowed(
        { permission, url: details.requestingUrl, mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined },
        devServerUrl,
      ),
    ),
  );
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    cameraPermissionAllowed(
      { permission, url: requestingOrigin, mediaType: 'mediaType' in details ? details.mediaType : undefined },
      devServerUrl,
    ),
  );
  ses.setDevicePermissionHandler(() => false);
}

export function createDeskWindow(options: { dataDir: string; preloadPath: string; devServerUrl?: string }): BrowserWindow {
  const primary = screen.getPrimaryDisplay();
  const others = screen.getAllDisplays().filter((display) => display.id !== primary.id);
  const { maximized, ...bounds } = fitToDisplays(
    loadWindowState(options.dataDir),
    [primary, ...others].map((d) => d.workArea),
  );
  // Remote module: gone since Electron 14, so the check's "enabled by default" assumption does not apply.
  // prettier-ignore
  const window = new BrowserWindow({ // eng-disable REMOTE_MODULE_JS_CHECK
    ...bounds,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: '退货签收台 ReturnDesk',
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed: the preload exposes only the contract's methods and events (src/preload/index.ts).
      preload: options.preloadPath /* eng-disable PRELOAD_JS_CHECK */,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      // The packaged desk has no DevTools at all (the default menu's Ctrl+Shift+I is gone as well).
      devTools: !app.isPackaged,
    },
  });
  // maximize() before the first paint shows a blank window on some systems: maximize when ready, then show.
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });

  window.webContents.setWindowOpenHandler(({ url }) => {
    // Reviewed: only allowlisted https Kuaishou pages reach openExternal.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedSenderUrl(url, options.devServerUrl)) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  const remember = () => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    saveWindowState(options.dataDir, { ...bounds, maximized: window.isMaximized() });
  };
  window.on('close', remember);

  if (options.devServerUrl) void window.loadURL(options.devServerUrl);
  else void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

export function rendererDirOf(mainDir: string): string {
  return path.join(mainDir, '../renderer');
}
