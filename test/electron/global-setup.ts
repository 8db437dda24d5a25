// Before the Electron-only tests: build better-sqlite3 for Electron, or stop with the reason (the app would
// otherwise load the Node build, fail with a module-version mismatch and leave the tests waiting on a window).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronExecutable } from './executable';

const root = path.resolve(__dirname, '../..');

export function prepareElectronTests(
  findElectron: () => string | null = () => electronExecutable(root),
  buildNative: () => boolean = () =>
    spawnSync(process.execPath, [path.join(root, 'scripts/electron-native.mjs')], { stdio: 'inherit' }).status === 0,
): void {
  if (!findElectron()) return; // the tests skip themselves and say so
  if (!buildNative()) {
    throw new Error('The Electron tests need better-sqlite3 built for Electron: `node scripts/electron-native.mjs` failed (see above).');
  }
}

export default function setup(): void {
  prepareElectronTests();
}
