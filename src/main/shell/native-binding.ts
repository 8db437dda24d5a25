// Which better-sqlite3 binary the desktop app loads: the one built for Electron on this OS and CPU
// (scripts/electron-native.mjs), never node_modules' Node build, which Electron cannot load.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface NativeTarget {
  platform: string;
  arch: string;
  electron: string;
  betterSqlite3: string;
}

/** The cache key; scripts/electron-native.mjs builds into the folder of the same name. */
export function nativeKey(target: NativeTarget): string {
  return `${target.platform}-${target.arch}-electron-${target.electron}-better-sqlite3-${target.betterSqlite3}`;
}

export function runningTarget(): NativeTarget {
  const betterSqlite3 = (createRequire(__filename)('better-sqlite3/package.json') as { version: string }).version;
  return { platform: process.platform, arch: process.arch, electron: process.versions.electron ?? 'unknown', betterSqlite3 };
}

export class NativeModuleMissing extends Error {
  constructor(target: NativeTarget, expected: string) {
    super(
      `better-sqlite3 has not been built for Electron ${target.electron} on ${target.platform}-${target.arch} ` +
        `(looked for ${expected}). Run: node scripts/electron-native.mjs`,
    );
    this.name = 'NativeModuleMissing';
  }
}

/** The installer ships its target's binary in resources/native; a development run uses the keyed cache. */
export function electronNativeBinding(options: {
  packaged: boolean;
  resourcesPath: string;
  appPath: string;
  target: NativeTarget;
  exists?: (file: string) => boolean;
}): string {
  const exists = options.exists ?? fs.existsSync;
  const file = options.packaged
    ? path.join(options.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(options.appPath, '.cache', 'electron-native', nativeKey(options.target), 'better_sqlite3.node');
  if (!exists(file)) throw new NativeModuleMissing(options.target, file);
  return file;
}
