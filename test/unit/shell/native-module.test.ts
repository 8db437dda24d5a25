// The native module per target: one cache key for script and app, and packaging refuses a binary not built for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { electronNativeBinding, nativeKey, NativeModuleMissing } from '../../../src/main/shell/native-binding';

const root = path.resolve(__dirname, '../../..');
interface Target {
  platform: string;
  arch: string;
  electron: string;
  betterSqlite3: string;
}
const script = (await import(pathToFileURL(path.join(root, 'scripts/electron-native.mjs')).href)) as {
  nativeKey(target: Target): string;
  ensureElectronNative(target: Target, cacheDir: string): string;
};
const hooks = (await import(pathToFileURL(path.join(root, 'scripts/electron-builder-hooks.mjs')).href)) as {
  nativeModuleProblem(platform: string, arch: string, expected: Target, cacheDir: string): string | null;
};

const linux: Target = { platform: 'linux', arch: 'x64', electron: '45.5.0', betterSqlite3: '12.6.2' };

describe('the Electron build of better-sqlite3', () => {
  it('is keyed by platform, arch, Electron and better-sqlite3 versions, the same in the script and the app', () => {
    expect(script.nativeKey(linux)).toBe(nativeKey(linux));
    const keys = new Set(
      [
        linux,
        { ...linux, platform: 'win32' },
        { ...linux, arch: 'arm64' },
        { ...linux, electron: '46.0.0' },
        { ...linux, betterSqlite3: '12.7.0' },
      ].map(nativeKey),
    );
    expect(keys.size).toBe(5);
  });

  it('stages the host build for its own target only; packaging any other target is refused with the reason', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-native-'));
    const host: Target = { ...linux, platform: process.platform, arch: process.arch };
    fs.mkdirSync(path.join(cacheDir, nativeKey(host)), { recursive: true });
    fs.writeFileSync(path.join(cacheDir, nativeKey(host), 'better_sqlite3.node'), 'binary');
    script.ensureElectronNative(host, cacheDir);

    expect(hooks.nativeModuleProblem(host.platform, host.arch, host, cacheDir)).toBeNull();
    const other = host.platform === 'win32' ? 'linux' : 'win32';
    expect(hooks.nativeModuleProblem(other, host.arch, host, cacheDir)).toMatch(/cannot be cross-built/);
    expect(hooks.nativeModuleProblem(host.platform, host.arch, { ...host, electron: '99.0.0' }, cacheDir)).toMatch(
      /stale \(electron 45\.5\.0 instead of 99\.0\.0\)/,
    );
    expect(() => script.ensureElectronNative({ ...host, platform: other }, cacheDir)).toThrow(/cannot build for/);
  });

  it('is required by a development run, with the command that builds it', () => {
    const options = { packaged: false, resourcesPath: '/res', appPath: '/app', target: linux };
    expect(() => electronNativeBinding({ ...options, exists: () => false })).toThrow(NativeModuleMissing);
    expect(() => electronNativeBinding({ ...options, exists: () => false })).toThrow(/node scripts\/electron-native\.mjs/);
    expect(electronNativeBinding({ ...options, exists: () => true })).toBe(
      path.join('/app', '.cache', 'electron-native', nativeKey(linux), 'better_sqlite3.node'),
    );
    expect(electronNativeBinding({ ...options, packaged: true, exists: () => true })).toBe(
      path.join('/res', 'native', 'better_sqlite3.node'),
    );
  });
});
