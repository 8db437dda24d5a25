// The Electron shell against a stand-in `electron` module: what it asks of Electron at start, per window and at quit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const logCalls = vi.hoisted(() => ({ initialize: [] as unknown[] }));
vi.mock('electron-log/main', () => ({
  default: {
    initialize: (options: unknown) => logCalls.initialize.push(options),
    transports: { file: { level: 'info' } },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  },
}));

const coreState = vi.hoisted(() => ({
  options: [] as Array<Record<string, unknown>>,
  closeStarted: 0,
  finishClose: () => undefined as void,
}));
vi.mock('../../../src/main/core/core', () => ({
  createCore: (options: Record<string, unknown>) => {
    coreState.options.push(options);
    return {
      dispatch: async () => ({ ok: true, data: null }),
      events: { subscribe: () => () => undefined },
      close: () => {
        coreState.closeStarted++;
        return new Promise<void>((resolve) => (coreState.finishClose = resolve));
      },
    };
  },
}));
vi.mock('../../../src/main/shell/native-binding', () => ({
  electronNativeBinding: () => '/native/better_sqlite3.node',
  runningTarget: () => ({ platform: 'linux', arch: 'x64', electron: '45.0.0', betterSqlite3: '12.6.2' }),
}));

const { runDesktopApp } = await import('../../../src/main/shell/lifecycle');
const { createDeskWindow } = await import('../../../src/main/shell/window');
const { handleAppProtocol } = await import('../../../src/main/shell/protocol');
const { createSafeStorageBox } = await import('../../../src/main/shell/safe-storage-box');

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-shell-'));

describe('the desktop app at start and at quit', () => {
  beforeAll(async () => {
    process.argv.push('--data-dir', dataDir);
    runDesktopApp();
    fake.becomeReady();
    await tick();
  });

  it('removes the default application menu before any window exists', () => {
    const menu = fake.calls.findIndex(([name]) => name === 'Menu.setApplicationMenu');
    expect(menu).toBeGreaterThanOrEqual(0);
    expect(fake.calls[menu]).toEqual(['Menu.setApplicationMenu', null]);
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
    expect(fake.windows).toHaveLength(1);
  });

  it('initializes electron-log without its preload', () => {
    expect(logCalls.initialize).toEqual([{ preload: false }]);
  });

  it("gives the core the safeStorage box and Chromium's network stack as the platform transport", async () => {
    const options = coreState.options[0]!;
    expect(options.dataDir).toBe(dataDir);
    expect((options.secretBox as { kind: string }).kind).toBe('electron-safe-storage');
    const transport = (options.platform as { transport: (request: unknown) => Promise<unknown> }).transport;
    fake.net.fetch.mockResolvedValueOnce(new Response('{"result":1}', { status: 200 }));
    await expect(transport({ verb: 'GET', url: 'https://open.example/api', form: { a: '1' }, timeoutMs: 1000 })).resolves.toEqual({
      status: 200,
      body: '{"result":1}',
    });
    expect(fake.net.fetch.mock.calls[0]![0]).toBe('https://open.example/api?a=1');
  });

  it('holds the quit until the core has closed, then quits for real', async () => {
    const first = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    await tick();
    expect(coreState.closeStarted).toBe(1);
    // A second quit request while closing waits too, and does not close twice.
    const second = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', second);
    expect(second.preventDefault).toHaveBeenCalled();
    expect(fake.app.quit).not.toHaveBeenCalled();

    coreState.finishClose();
    await tick();
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    expect(coreState.closeStarted).toBe(1);
    const last = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });
});

describe('the desk window', () => {
  let windowDir: string;
  beforeEach(() => {
    windowDir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-window-'));
    fake.displays.splice(1);
  });

  it('has DevTools off when packaged and on in development', () => {
    fake.app.isPackaged = true;
    const packaged = createDeskWindow({ dataDir: windowDir, preloadPath: '/p.js' }) as unknown as fake.FakeBrowserWindow;
    fake.app.isPackaged = false;
    const development = createDeskWindow({ dataDir: windowDir, preloadPath: '/p.js' }) as unknown as fake.FakeBrowserWindow;
    expect(packaged.options.webPreferences.devTools).toBe(false);
    expect(development.options.webPreferences.devTools).toBe(true);
    expect(packaged.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('drops a saved position no display shows any more, and maximizes only when ready to show', () => {
    fs.writeFileSync(
      path.join(windowDir, 'window-state.json'),
      JSON.stringify({ x: 2500, y: 200, width: 1400, height: 900, maximized: true }),
    );
    const window = createDeskWindow({ dataDir: windowDir, preloadPath: '/p.js' }) as unknown as fake.FakeBrowserWindow;
    expect(window.options).toMatchObject({ width: 1400, height: 900 });
    expect(window.options.x).toBeUndefined();
    expect(window.options.y).toBeUndefined();
    expect(window.actions).not.toContain('maximize');
    window.emit('ready-to-show');
    expect(window.actions.filter((action) => !action.startsWith('load'))).toEqual(['maximize', 'show']);
  });

  it('keeps a saved position on a second display that is still there', () => {
    fake.displays.push({ id: 2, workArea: { x: 1920, y: 0, width: 1920, height: 1040 } });
    fs.writeFileSync(
      path.join(windowDir, 'window-state.json'),
      JSON.stringify({ x: 2500, y: 200, width: 1400, height: 900, maximized: false }),
    );
    const window = createDeskWindow({ dataDir: windowDir, preloadPath: '/p.js' }) as unknown as fake.FakeBrowserWindow;
    expect(window.options).toMatchObject({ x: 2500, y: 200 });
  });
});

describe('the app:// protocol', () => {
  const rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');

  it('answers 404 when net.fetch rejects for a missing file', async () => {
    handleAppProtocol(rendererDir);
    const handler = fake.protocolHandlers.get('app')!;
    fake.net.fetch.mockRejectedValueOnce(new Error('net::ERR_FILE_NOT_FOUND'));
    const response = await handler(new Request('app://desk/assets/missing.js'));
    expect(response.status).toBe(404);
  });

  it('serves a file with the CSP', async () => {
    const handler = fake.protocolHandlers.get('app')!;
    fake.net.fetch.mockResolvedValueOnce(new Response('<!doctype html>', { status: 200 }));
    const response = await handler(new Request('app://desk/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('safeStorage box', () => {
  it('seals with the keychain where there is one', () => {
    fake.safeStorageState.available = true;
    fake.safeStorageState.backend = 'gnome_libsecret';
    const box = createSafeStorageBox()!;
    expect(box.kind).toBe('electron-safe-storage');
    expect(box.decrypt(box.encrypt('token'))).toBe('token');
  });

  it("is not used on Linux without a keyring (basic_text), where the core's key file is no worse", () => {
    fake.safeStorageState.backend = 'basic_text';
    const expected = process.platform === 'linux' ? undefined : 'electron-safe-storage';
    expect(createSafeStorageBox()?.kind).toBe(expected);
    fake.safeStorageState.available = false;
    expect(createSafeStorageBox()).toBeUndefined();
  });
});
