// Finds and launches the Chromium the browser tests drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the
// headless Chromium inside the @sparticuz/chromium npm package, so `npm install && npm test` needs nothing else.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** Set to 1 to ignore CHROMIUM_PATH and /usr/bin/chromium: the path a machine with only Node and npm takes. */
export const BUNDLED_SWITCH = 'RETURNDESK_BUNDLED_CHROMIUM';

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'bundled';

/** Which Chromium the tests use, from the environment and what is installed (no side effects). */
export function chooseChromium(env: NodeJS.ProcessEnv, systemInstalled: boolean): { source: ChromiumSource; path: string | null } {
  if (env[BUNDLED_SWITCH] === '1') return { source: 'bundled', path: null };
  if (env.CHROMIUM_PATH) return { source: 'CHROMIUM_PATH', path: env.CHROMIUM_PATH };
  if (systemInstalled) return { source: 'system', path: SYSTEM_CHROMIUM };
  return { source: 'bundled', path: null };
}

export interface ChromiumLaunch {
  source: ChromiumSource;
  executablePath: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

// No network beyond the loopback host under test: this machine's network is closed and updates would only add noise.
const QUIET_FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function resolveChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLaunch> {
  const choice = chooseChromium(env, fs.existsSync(SYSTEM_CHROMIUM));
  if (choice.path !== null) {
    if (!fs.existsSync(choice.path)) throw new Error(`CHROMIUM_PATH=${choice.path} does not exist (unset it to use the bundled Chromium)`);
    return { source: choice.source, executablePath: choice.path, args: ['--no-sandbox', ...QUIET_FLAGS], env };
  }
  const { default: bundled } = await import('@sparticuz/chromium');
  bundled.setGraphicsMode = false; // no WebGL in the desk: plain software rendering, no SwiftShader flags
  const executablePath = await bundled.executablePath(); // unpacked once into the temp folder
  // --single-process suits a Lambda, not a test run: there the browser exits with its last page.
  const args = bundled.args.filter((arg) => arg !== '--single-process');
  return { source: 'bundled', executablePath, args: [...args, ...QUIET_FLAGS], env: await bundledEnv(executablePath, env) };
}

/**
 * The bundled build is made for Amazon Linux and links NSS and expat dynamically; a bare machine may lack them, so
 * the package's own copies are unpacked and put on the library path, only then. Without any fontconfig setup the
 * package's fonts are used too (text still renders; system fonts, CJK included, win where they exist).
 */
async function bundledEnv(executablePath: string, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const extra: NodeJS.ProcessEnv = {};
  if (missingLibraries(executablePath).length > 0) {
    const libDir = await unpackBundledLibraries();
    extra.LD_LIBRARY_PATH = [libDir, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  const bundledFonts = path.join(os.tmpdir(), 'fonts');
  if (!fs.existsSync('/etc/fonts/fonts.conf') && !env.FONTCONFIG_PATH && fs.existsSync(bundledFonts)) extra.FONTCONFIG_PATH = bundledFonts;
  return { ...env, ...extra };
}

function missingLibraries(executablePath: string): string[] {
  try {
    const out = execFileSync('ldd', [executablePath], { encoding: 'utf8' });
    return out
      .split('\n')
      .filter((line) => line.includes('not found'))
      .map((line) => line.trim());
  } catch {
    return []; // no ldd: try the launch as it is and let its error speak
  }
}

async function unpackBundledLibraries(): Promise<string> {
  const target = path.join(os.tmpdir(), 'returndesk-chromium-libs');
  const libDir = path.join(target, 'lib');
  if (fs.existsSync(path.join(libDir, 'libnss3.so'))) return libDir;
  const entry = createRequire(__filename).resolve('@sparticuz/chromium'); // <package>/build/cjs/index.cjs
  const packageRequire = createRequire(entry);
  const archive = path.resolve(path.dirname(entry), '../../bin/al2023.tar.br');
  const { extract } = packageRequire('tar-fs') as { extract(dir: string): NodeJS.WritableStream };
  await pipeline(fs.createReadStream(archive), zlib.createBrotliDecompress(), extract(target));
  return libDir;
}

/** One line for the test output: which browser ran, and how to pick the other. */
export function describeChromium(launch: ChromiumLaunch, version: string): string {
  const where =
    launch.source === 'bundled'
      ? `bundled Chromium ${version} from @sparticuz/chromium (${launch.executablePath})`
      : `Chromium ${version} at ${launch.executablePath}${launch.source === 'CHROMIUM_PATH' ? ' (CHROMIUM_PATH)' : ''}`;
  const hint = launch.source === 'bundled' ? '' : `; ${BUNDLED_SWITCH}=1 runs the bundled one`;
  return `e2e browser: ${where}${hint}`;
}

/** `extraArgs`: test-specific switches (the fake camera of the inspection tests). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const launch = await resolveChromium();
  return chromium.launch({ executablePath: launch.executablePath, args: [...launch.args, ...extraArgs], env: launch.env, headless: true });
}
