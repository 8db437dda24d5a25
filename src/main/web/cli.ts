// `npm run start:web`: runs the desk's core and serves the renderer to a browser on 127.0.0.1.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core/core';
import { ensurePrivateFile } from '../core/db/data-dir-lock';
import { consoleSink, createLogger } from '../core/log/logger';
import { defaultDataDir } from '../core/kernel/paths';
import { startBrowserHost } from './host';
import { warehouseFromStored } from '../warehouse/link/start';
import { APP_VERSION } from '../../common/app-version';

export const TOKEN_ENV = 'RETURNDESK_WEB_TOKEN';
export const URL_FILE = 'browser-host.url';
const MIN_TOKEN_LENGTH = 16;

/** The token from the environment or a file, never from the command line (every local user can read that). */
export function tokenFrom(env: NodeJS.ProcessEnv, tokenFile: string | undefined): string | undefined {
  const given = tokenFile !== undefined ? fs.readFileSync(tokenFile, 'utf8').trim() : env[TOKEN_ENV]?.trim();
  if (given === undefined || given === '') return undefined;
  if (given.length < MIN_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(given)) {
    throw new Error(`The desk token must be at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 _ -`);
  }
  return given;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'token-file': { type: 'string' },
      'print-url': { type: 'boolean' },
      // Read by warehouseFromStored from argv (then RETURNDESK_WAREHOUSE_URL / _KEY_FILE, then the stored settings).
      warehouse: { type: 'string' },
      'warehouse-key': { type: 'string' },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const token = tokenFrom(process.env, values['token-file']);
  const logger = createLogger(consoleSink('info'));
  // The URL from the command line, the environment or the desk's stored settings (read by createCore), in that order.
  const warehouse = warehouseFromStored({ argv: process.argv.slice(2), env: process.env });
  const core = createCore({
    dataDir,
    appVersion: APP_VERSION,
    logger,
    program: 'ReturnDesk browser host',
    // Loaded on first use: the simulator and its HTTP server are only needed when the demo shop is.
    demoSimulator: (demo) => import('../sim/demo').then((sim) => sim.startDemoSimulator(demo)),
    syncGateFromStored: warehouse.gateFor,
  });
  warehouse.mode()?.attach(core, logger);
  const host = await startBrowserHost({ core, rendererDir: path.join(__dirname, '../renderer'), port, token });
  // The address with its token goes to an owner-only file; a terminal (not a log) also gets it printed.
  const urlFile = path.join(dataDir, URL_FILE);
  ensurePrivateFile(urlFile);
  fs.writeFileSync(urlFile, `${host.url}\n`);
  console.log(`ReturnDesk browser host, data in ${dataDir}`);
  if (values['print-url'] || process.stdout.isTTY) console.log(`Open: ${host.url}`);
  else console.log(`Open the address in ${urlFile} (http://127.0.0.1:${host.port}/ with the desk token)`);
  const stop = async () => {
    await host.close();
    await core.close();
    fs.rmSync(urlFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
