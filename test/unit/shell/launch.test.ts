// `npm start`'s choice between the desktop app and browser mode, and what browser mode is given.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

interface Choice {
  mode: 'electron' | 'browser';
  executable?: string;
  reason?: string;
}
type Opener = ((url: string) => [string, string[], object]) | null;
const launch = (await import(pathToFileURL(path.resolve(__dirname, '../../../scripts/launch-electron.mjs')).href)) as {
  chooseMode(options: {
    env: Record<string, string>;
    platform: string;
    find: () => string | null;
    download: () => string | null;
    buildNative: () => boolean;
  }): Choice;
  browserArgs(argv: string[]): string[];
  browserOpener(platform: string, env: Record<string, string>, exists: (file: string) => boolean): Opener;
};

const display = { DISPLAY: ':0' };

describe('npm start', () => {
  it('runs Electron when its binary is there (after building the native module)', () => {
    const buildNative = vi.fn(() => true);
    const choice = launch.chooseMode({ env: display, platform: 'linux', find: () => '/e/electron', download: vi.fn(), buildNative });
    expect(choice).toEqual({ mode: 'electron', executable: '/e/electron' });
    expect(buildNative).toHaveBeenCalled();
  });

  it('fetches a missing binary once, then runs Electron', () => {
    const found = ['/e/electron', null];
    const download = vi.fn(() => null);
    const choice = launch.chooseMode({
      env: display,
      platform: 'linux',
      find: () => found.pop() ?? null,
      download,
      buildNative: () => true,
    });
    expect(download).toHaveBeenCalledTimes(1);
    expect(choice.mode).toBe('electron');
  });

  it('falls back to browser mode, saying why, when the binary cannot be had, there is no display, or no native build', () => {
    const noBinary = launch.chooseMode({
      env: display,
      platform: 'linux',
      find: () => null,
      download: () => 'RequestError: getaddrinfo ENOTFOUND github.com',
      buildNative: () => true,
    });
    expect(noBinary).toEqual({
      mode: 'browser',
      reason: expect.stringContaining('could not be fetched (RequestError: getaddrinfo ENOTFOUND'),
    });
    const headless = launch.chooseMode({
      env: {},
      platform: 'linux',
      find: () => '/e/electron',
      download: vi.fn(),
      buildNative: () => true,
    });
    expect(headless).toEqual({ mode: 'browser', reason: expect.stringContaining('no display') });
    const noNative = launch.chooseMode({
      env: display,
      platform: 'win32',
      find: () => '/e/electron',
      download: vi.fn(),
      buildNative: () => false,
    });
    expect(noNative).toEqual({ mode: 'browser', reason: expect.stringContaining('better-sqlite3') });
  });

  it('passes browser mode only the arguments it understands', () => {
    expect(launch.browserArgs(['--data-dir', '/d', '--inspect', '--port=8080', '--token-file', 't', '--no-sandbox'])).toEqual([
      '--data-dir',
      '/d',
      '--port=8080',
      '--token-file',
      't',
    ]);
    // The token itself never goes on a command line (it would show in the process list).
    expect(launch.browserArgs(['--token', 't'])).toEqual([]);
  });

  it('opens the default browser only where there is one', () => {
    const exists = (file: string) => file === '/usr/bin/xdg-open';
    expect(launch.browserOpener('linux', display, exists)?.('http://127.0.0.1:1/#token=x')).toEqual([
      '/usr/bin/xdg-open',
      ['http://127.0.0.1:1/#token=x'],
      {},
    ]);
    expect(launch.browserOpener('linux', {}, exists)).toBeNull();
    expect(launch.browserOpener('linux', display, () => false)).toBeNull();
    expect(launch.browserOpener('win32', { BROWSER: 'none' }, exists)).toBeNull();
    expect(launch.browserOpener('win32', {}, exists)?.('http://127.0.0.1:1/')[0]).toBe('cmd');
  });
});
