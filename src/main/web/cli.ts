// `npm run start:web`: runs the desk's core and serves the renderer to a browser on 127.0.0.1.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core/core';
import { consoleSink, createLogger } from '../core/log/logger';
import { defaultDataDir } from '../core/paths';
import { startBrowserHost } from './host';
import { APP_VERSION } from '../../shared/app-version';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const logger = createLogger(consoleSink('info'));
  const core = createCore({ dataDir, appVersion: APP_VERSION, logger });
  const host = await startBrowserHost({
    core,
    rendererDir: path.join(__dirname, '../renderer'),
    port,
    token: values.token,
  });
  console.log(`ReturnDesk browser host, data in ${dataDir}`);
  console.log(`Open: ${host.url}`);
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
