// Builds better-sqlite3 for Electron on this machine's OS and CPU, leaving node_modules' Node build untouched.
// The cache is keyed by platform, arch, Electron and better-sqlite3 versions; the copy the installer packs is
// staged per target (.cache/electron-native/package/<os>-<arch>/) with a stamp the packaging hook checks.
// A native module cannot be cross-built here: each OS builds its own installer (.github/workflows/release.yml).
// Run only when launching, testing or packaging Electron (never on install): it needs Electron's headers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(import.meta.dirname, '..');
export const CACHE_DIR = path.join(ROOT, '.cache', 'electron-native');
export const BINARY = 'better_sqlite3.node';
export const STAMP = 'native.json';

/** electron-builder's ${os} for a Node platform name. */
export const builderOs = (platform) => ({ win32: 'win', linux: 'linux', darwin: 'mac' })[platform] ?? platform;

/** The versions a build is valid for; the main process computes the same key (src/main/shell/native-binding.ts). */
export function nativeKey({ platform, arch, electron, betterSqlite3 }) {
  return `${platform}-${arch}-electron-${electron}-better-sqlite3-${betterSqlite3}`;
}

export function currentTarget() {
  return {
    platform: process.platform,
    arch: process.arch,
    electron: require('electron/package.json').version,
    betterSqlite3: require('better-sqlite3/package.json').version,
  };
}

/** Where the installer for `os`-`arch` takes its binary from (electron-builder.yml's extraResources). */
export const stagedDir = (os, arch, cacheDir = CACHE_DIR) => path.join(cacheDir, 'package', `${os}-${arch}`);

function build(target, binary, cacheDir) {
  if (target.platform !== process.platform || target.arch !== process.arch) {
    throw new Error(`cannot build for ${target.platform}-${target.arch} on ${process.platform}-${process.arch}`);
  }
  const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = path.join(cacheDir, 'build');
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(sqliteDir, work, { recursive: true, filter: (source) => !source.includes(`${path.sep}build${path.sep}`) });
  console.log(`Building better-sqlite3 ${target.betterSqlite3} for Electron ${target.electron} on ${target.platform}-${target.arch}…`);
  execFileSync(
    process.execPath,
    [
      createRequire(require.resolve('@electron/rebuild')).resolve('node-gyp/bin/node-gyp.js'),
      'rebuild',
      '--release',
      `--target=${target.electron}`,
      `--arch=${target.arch}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: work, stdio: 'inherit' },
  );
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  fs.copyFileSync(path.join(work, 'build', 'Release', BINARY), binary);
  fs.rmSync(work, { recursive: true, force: true });
}

/** Builds (or reuses) this machine's binary and stages it for packaging. Returns the cached binary's path. */
export function ensureElectronNative(target = currentTarget(), cacheDir = CACHE_DIR) {
  const binary = path.join(cacheDir, nativeKey(target), BINARY);
  if (!fs.existsSync(binary)) build(target, binary, cacheDir);
  const staged = stagedDir(builderOs(target.platform), target.arch, cacheDir);
  fs.mkdirSync(staged, { recursive: true });
  fs.copyFileSync(binary, path.join(staged, BINARY));
  fs.writeFileSync(path.join(staged, STAMP), JSON.stringify(target, null, 2) + '\n');
  return binary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const binary = ensureElectronNative();
    console.log(`Electron build of better-sqlite3 ready: ${path.relative(ROOT, binary)}`);
  } catch (error) {
    console.error(
      [
        'Could not build better-sqlite3 for Electron on this machine.',
        'It needs a C++ toolchain and Electron headers from https://electronjs.org/headers (is it reachable?).',
        `Cause: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        'Without it the desktop app cannot open its database. The same desk runs in a browser: npm run start:web',
      ].join('\n'),
    );
    process.exit(1);
  }
}
