// Starts a real core and the browser host on a temporary data dir, the way `npm run start:web` does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../../src/main/core/core';
import { startDemoSimulator } from '../../../src/main/sim/demo';
import { startBrowserHost, type BrowserHost } from '../../../src/main/web/host';

export const RENDERER_DIR = path.resolve(__dirname, '../../../out/renderer');

export interface RunningDesk {
  core: Core;
  host: BrowserHost;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startDesk(options: Partial<CoreOptions> = {}): Promise<RunningDesk> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('The renderer is not built: run "npm run build" (npm test does it) before the e2e tests');
  }
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-e2e-'));
  // As the web host's entry point does, the core gets the simulator for the demo shop.
  const core = createCore({ appVersion: 'e2e', demoSimulator: startDemoSimulator, ...options, dataDir });
  const host = await startBrowserHost({ core, rendererDir: RENDERER_DIR });
  return {
    core,
    host,
    dataDir,
    stop: async () => {
      await host.close();
      await core.close();
    },
  };
}
