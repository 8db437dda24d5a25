// Before the Electron-only tests: build better-sqlite3 for Electron, or stop with the reason (the app would
// otherwise load the Node build, fail with a module-version mismatch and leave the tests waiting on a window).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronExecutable } from './executable';

export default function setup(): void {
  const root = path.resolve(__dirname, '../..');
  if (!electronExecutable(root)) return; // the tests skip themselves and say so
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/electron-native.mjs')], { stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error('The Electron tests need better-sqlite3 built for Electron: `node scripts/electron-native.mjs` failed (see above).');
  }
}
