// A stand-in for the `electron` module (vi.mock('electron', () => import('./fake-electron'))): it records
// what the shell asks of Electron, so the shell's behaviour is pinned on a machine without the Electron binary.
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== wrapped),
      );
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }
}

let markReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (markReady = resolve));

export const calls: Array<[string, ...unknown[]]> = [];
const record =
  (name: string, result?: unknown) =>
  (...args: unknown[]) => {
    calls.push([name, ...args]);
    return result;
  };

export const fakeApp = Object.assign(new Emitter(), {
  isPackaged: false,
  userData: '',
  setPath: vi.fn((_name: string, value: string) => (fakeApp.userData = value)),
  getPath: vi.fn(() => fakeApp.userData),
  getAppPath: vi.fn(() => '/app'),
  requestSingleInstanceLock: vi.fn(() => true),
  whenReady: () => ready,
  quit: vi.fn(record('app.quit')),
});
export const app = fakeApp;
/** Lets the app's whenReady() resolve. */
export const becomeReady = (): void => markReady();

export const Menu = { setApplicationMenu: vi.fn(record('Menu.setApplicationMenu')) };
export const dialog = { showErrorBox: vi.fn(record('dialog.showErrorBox')) };
export const net = { fetch: vi.fn<(url: string, init?: RequestInit) => Promise<Response>>() };
export const shell = { openExternal: vi.fn() };
export const ipcMain = { handle: vi.fn(record('ipcMain.handle')) };

export const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
export const protocol = {
  registerSchemesAsPrivileged: vi.fn(record('protocol.registerSchemesAsPrivileged')),
  handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => protocolHandlers.set(scheme, handler)),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  },
};

export interface FakeDisplay {
  id: number;
  workArea: { x: number; y: number; width: number; height: number };
}
export const displays: FakeDisplay[] = [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
export const screen = {
  getPrimaryDisplay: () => displays[0]!,
  getAllDisplays: () => [...displays],
};

export const safeStorageState = { available: true, backend: 'gnome_libsecret' };
export const safeStorage = {
  isEncryptionAvailable: () => safeStorageState.available,
  getSelectedStorageBackend: () => safeStorageState.backend,
  encryptString: (plain: string) => Buffer.from(`sealed:${plain}`),
  decryptString: (sealed: Buffer) => sealed.toString().replace(/^sealed:/, ''),
};

export const windows: FakeBrowserWindow[] = [];
export class FakeBrowserWindow extends Emitter {
  readonly actions: string[] = [];
  readonly webContents = Object.assign(new Emitter(), {
    setWindowOpenHandler: vi.fn(),
    isDestroyed: () => false,
    send: vi.fn(),
  });
  constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
    super();
    windows.push(this);
  }
  maximize(): void {
    this.actions.push('maximize');
  }
  show(): void {
    this.actions.push('show');
  }
  loadURL(url: string): Promise<void> {
    this.actions.push(`load ${url}`);
    return Promise.resolve();
  }
  isDestroyed = () => false;
  isMaximized = () => false;
  isMinimized = () => false;
  getNormalBounds = () => ({ x: 0, y: 0, width: 1366, height: 768 });
}
export const BrowserWindow = FakeBrowserWindow;
