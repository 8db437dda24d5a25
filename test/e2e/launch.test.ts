// `npm start` on a machine without the Electron binary: the same desk in browser mode, and a clear failure
// (non-zero) only when browser mode cannot start either. Runs the real script against the built browser host.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const script = path.join(root, 'scripts/launch-electron.mjs');
const noElectron = {
  ...process.env,
  RETURNDESK_ELECTRON_PATH: path.join(os.tmpdir(), 'no-such-electron'),
  ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
  BROWSER: 'none',
};

function start(args: string[]) {
  const child = spawn(process.execPath, [script, ...args], { env: noElectron, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm start without Electron', () => {
  it('starts the desk in browser mode, says why, and serves it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-launch-'));
    const run = start(['--data-dir', dataDir, '--port', '0']);
    await expect.poll(() => /Open: (http:\/\/127\.0\.0\.1:\d+)\//.exec(run.output())?.[1], { timeout: 30_000 }).toBeTruthy();
    const origin = /Open: (http:\/\/127\.0\.0\.1:\d+)\//.exec(run.output())![1]!;
    expect(run.output()).toContain('The desktop app cannot run here: the Electron binary is not installed');
    expect(run.output()).toContain('No default browser to open here');
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    expect(fs.existsSync(path.join(dataDir, 'returndesk.sqlite'))).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('exits non-zero, saying so, when browser mode cannot start either', async () => {
    const run = start(['--port', '70000']);
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain('Neither the desktop app nor browser mode could start.');
  });

  it('opens the default browser at the desk address where there is one', async () => {
    const launch = (await import(pathToFileURL(script).href)) as {
      runBrowserMode(options: {
        argv: string[];
        opener: (url: string) => [string, string[], object];
        log: (line: string) => void;
        signal: AbortSignal;
      }): Promise<number>;
    };
    const opened = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-open-')), 'url.txt');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-launch-'));
    const stop = new AbortController();
    const running = launch.runBrowserMode({
      signal: stop.signal,
      argv: ['--data-dir', dataDir, '--port', '0'],
      // A stand-in browser that writes down the address it was asked to open.
      opener: (url) => [process.execPath, ['-e', 'require("fs").writeFileSync(process.argv[1], process.argv[2])', opened, url], {}],
      log: () => undefined,
    });
    await expect
      .poll(() => fs.existsSync(opened) && fs.readFileSync(opened, 'utf8'), { timeout: 30_000 })
      .toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+$/);
    stop.abort();
    expect(await running).toBe(0);
  });
});
