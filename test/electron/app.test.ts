// The real Electron app through Playwright's _electron; skipped, saying so, where no Electron binary exists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronExecutable } from './executable';

const root = path.resolve(__dirname, '../..');

const executable = electronExecutable(root);
if (!executable) {
  console.warn('SKIPPED: Electron-only tests: no Electron binary in node_modules/electron (it cannot be downloaded here).');
}

describe.skipIf(!executable)('Electron app', () => {
  let app: ElectronApplication;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-electron-'));
    app = await electron.launch({ executablePath: executable!, args: [root, '--data-dir', dataDir] });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('loads the renderer from app:// with a sandboxed, isolated page', async () => {
    const page = await app.firstWindow();
    expect(page.url()).toMatch(/^app:\/\/desk\//);
    await expect.poll(() => page.getByTestId('status-transport').textContent()).toBe('桌面版');
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  });

  it('has no application menu, so no menu accelerator acts on keys the page leaves alone', async () => {
    expect(await app.evaluate(({ Menu }) => Menu.getApplicationMenu())).toBeNull();
  });

  it('refuses to navigate away from the desk', async () => {
    const page = await app.firstWindow();
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/desk\//);
  });
});
