// Builds better-sqlite3 for Electron into .cache/electron-native, leaving node_modules' Node build untouched.
// Run only when launching or packaging Electron (never on install): it needs Electron's headers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const electronVersion = require('electron/package.json').version;
const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const cacheDir = path.join(root, '.cache', 'electron-native');
const target = path.join(cacheDir, 'better_sqlite3.node');
const stamp = path.join(cacheDir, 'electron-version.txt');

if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === electronVersion) {
  process.exit(0);
}

const work = path.join(cacheDir, 'build');
fs.rmSync(work, { recursive: true, force: true });
fs.cpSync(sqliteDir, work, { recursive: true, filter: (source) => !source.includes(`${path.sep}build${path.sep}`) });
console.log(`Building better-sqlite3 for Electron ${electronVersion} (needs Electron headers from electronjs.org)…`);
try {
  execFileSync(
    process.execPath,
    [
      createRequire(require.resolve('@electron/rebuild')).resolve('node-gyp/bin/node-gyp.js'),
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: work, stdio: 'inherit' },
  );
} catch {
  console.error('Could not build better-sqlite3 for Electron (are Electron headers reachable?).');
  process.exit(1);
}
fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
fs.writeFileSync(stamp, electronVersion);
console.log(`Electron build of better-sqlite3 ready: ${path.relative(root, target)}`);
