// electron-builder hook: refuses to pack an installer whose better-sqlite3 was not built for its own OS, CPU,
// Electron and better-sqlite3 versions (the packed app could not open its database and would quit).
import fs from 'node:fs';
import path from 'node:path';
import { BINARY, builderOs, currentTarget, STAMP, stagedDir } from './electron-native.mjs';

/** builder-util's Arch enum, by value. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** Why the target cannot be packed, or null when its staged native module fits. */
export function nativeModuleProblem(platform, arch, expected = currentTarget(), cacheDir = undefined) {
  const os = builderOs(platform);
  const dir = stagedDir(os, arch, cacheDir);
  const build = `build it on ${os}-${arch} itself (node scripts/electron-native.mjs there; .github/workflows/release.yml does this per OS)`;
  if (!fs.existsSync(path.join(dir, BINARY)) || !fs.existsSync(path.join(dir, STAMP))) {
    return `no better-sqlite3 built for Electron on ${os}-${arch}: a native module cannot be cross-built, ${build}`;
  }
  const stamp = JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8'));
  const wanted = { platform, arch, electron: expected.electron, betterSqlite3: expected.betterSqlite3 };
  const stale = Object.entries(wanted).filter(([key, value]) => stamp[key] !== value);
  if (stale.length > 0) {
    const what = stale.map(([key, value]) => `${key} ${stamp[key]} instead of ${value}`).join(', ');
    return `the better-sqlite3 staged for ${os}-${arch} is stale (${what}): ${build}`;
  }
  return null;
}

export async function beforePack(context) {
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  const problem = nativeModuleProblem(context.electronPlatformName, arch);
  if (problem) throw new Error(`ReturnDesk packaging stopped: ${problem}.`);
}
