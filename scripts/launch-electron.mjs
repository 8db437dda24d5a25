// `npm start`: the desk in Electron where Electron can run on this machine; otherwise the same desk (same core,
// same data folder) in browser mode, opened in the default browser where there is one. It says which and why,
// and exits non-zero only when neither can start.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The installed Electron executable (node_modules/electron/path.txt + dist), without electron's own download. */
export function installedElectron(root = ROOT, env = process.env) {
  if (env.RETURNDESK_ELECTRON_PATH) return fs.existsSync(env.RETURNDESK_ELECTRON_PATH) ? env.RETURNDESK_ELECTRON_PATH : null;
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const executable = path.join(root, 'node_modules', 'electron', 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(executable) ? executable : null;
}

/** Tries electron's own installer once, quietly; returns why it failed (its last line), or null. */
export function downloadElectron(root = ROOT, env = process.env) {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  console.log('Fetching the Electron binary (first launch)…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], {
    encoding: 'utf8',
    timeout: 5 * 60_000,
  });
  if (result.status === 0) return null;
  const lines = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((line) => line.trim());
  return lines.find((line) => /^\w*Error\b|fetch failed|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT/.test(line)) ?? 'the download failed';
}

/** Arguments browser mode understands (--data-dir, --port, --token); Electron-only ones are left out. */
export function browserArgs(argv) {
  const known = new Set(['--data-dir', '--port', '--token-file']);
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const [name] = argv[i].split('=', 1);
    if (!known.has(name)) continue;
    if (argv[i].includes('=')) out.push(argv[i]);
    else if (i + 1 < argv.length) out.push(argv[i], argv[++i]);
  }
  return out;
}

/** How to open a URL in the default browser here, or null where there is none (no display, BROWSER=none). */
export function browserOpener(platform = process.platform, env = process.env, exists = fs.existsSync) {
  if (env.BROWSER === 'none') return null;
  if (platform === 'win32') return (url) => ['cmd', ['/c', 'start', '""', `"${url}"`], { windowsVerbatimArguments: true }];
  if (platform === 'darwin') return (url) => ['open', [url], {}];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  const opener = ['/usr/bin/xdg-open', '/usr/local/bin/xdg-open'].find((candidate) => exists(candidate));
  return opener ? (url) => [opener, [url], {}] : null;
}

/** Decides how the desk starts here: `{ mode: 'electron', executable }` or `{ mode: 'browser', reason }`. */
export function chooseMode({ root = ROOT, env = process.env, platform = process.platform, find, download, buildNative }) {
  let executable = find(root, env);
  if (!executable) {
    const failure = download(root, env);
    executable = find(root, env);
    if (!executable) {
      return {
        mode: 'browser',
        reason:
          'the Electron binary is not installed and could not be fetched' +
          ` (${failure ?? 'no executable after the download'}); it comes from outside the npm registry.`,
      };
    }
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { mode: 'browser', reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set) for an Electron window.' };
  }
  if (!buildNative(root)) {
    return { mode: 'browser', reason: 'better-sqlite3 could not be built for Electron on this machine (see above).' };
  }
  return { mode: 'electron', executable };
}

function buildNativeModule(root) {
  return spawnSync(process.execPath, [path.join(root, 'scripts', 'electron-native.mjs')], { stdio: 'inherit' }).status === 0;
}

/** Runs the browser host (out/main/web.js); resolves with its exit code. Opens the browser once it listens. */
export function runBrowserMode({ root = ROOT, argv = [], opener = browserOpener(), log = console.log, signal } = {}) {
  const entry = path.join(root, 'out', 'main', 'web.js');
  if (!fs.existsSync(entry)) {
    log(`Browser mode cannot start either: ${path.relative(root, entry)} is missing (run npm run build).`);
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    // --print-url: the host prints the address (with its token) to us, a terminal's launcher, not to a log.
    const child = spawn(process.execPath, [entry, ...browserArgs(argv), '--print-url'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    signal?.addEventListener('abort', () => forward('SIGTERM'));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      log(line);
      const url = /^Open: (http:\/\/127\.0\.0\.1:\d+\/\S*)$/.exec(line)?.[1];
      if (!url) return;
      if (!opener) {
        log('No default browser to open here: open the address above in a browser on this machine.');
        return;
      }
      const [command, args, options] = opener(url);
      const browser = spawn(command, args, { ...options, stdio: 'ignore', detached: true });
      browser.on('error', () => log('Could not open the default browser: open the address above in a browser on this machine.'));
      browser.unref();
    });
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 0 : 1));
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const choice = chooseMode({ find: installedElectron, download: downloadElectron, buildNative: buildNativeModule });
  if (choice.mode === 'electron') {
    const child = spawn(choice.executable, [ROOT, ...argv], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    child.on('error', async (error) => {
      console.error(`Electron could not be started (${error.message}): starting the desk in browser mode instead.`);
      process.exit(await runBrowserMode({ argv }));
    });
    return;
  }
  console.log(
    [
      `The desktop app cannot run here: ${choice.reason}`,
      'Starting the same desk in browser mode (same core, same data folder) instead.',
      "For the desktop app, fetch Electron on a machine that can reach Electron's downloads: node node_modules/electron/install.js",
      '',
    ].join('\n'),
  );
  const code = await runBrowserMode({ argv });
  if (code !== 0) console.error('Neither the desktop app nor browser mode could start.');
  process.exit(code);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main();
}
