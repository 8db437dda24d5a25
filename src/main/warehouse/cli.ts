// `npm run warehouse -- --data-dir D --port P`: hosts the warehouse PostgreSQL on this PC and brings its schema up to date.
import { parseArgs } from 'node:util';
import { parseWarehouseUrl } from './config';
import { startEmbeddedWarehouse } from './embedded';
import { isWarehouseError } from './errors';
import { createWarehousePool } from './pool';
import { migrateWarehouse } from './schema/migrate';

export const WAREHOUSE_PASSWORD_ENV = 'RETURNDESK_WAREHOUSE_PASSWORD';

const USAGE = `usage: npm run warehouse -- --data-dir DIR [--port 5432] [--listen 127.0.0.1|*]
  The database password comes from ${WAREHOUSE_PASSWORD_ENV} (never from the command line, where other users could read it).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '5432' },
      listen: { type: 'string', default: '127.0.0.1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const dataDir = values['data-dir'];
  const port = Number(values.port);
  const password = process.env[WAREHOUSE_PASSWORD_ENV];
  if (!dataDir) throw new Error(`--data-dir is required.\n${USAGE}`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--port must be 1..65535 (got ${values.port}).`);
  if (!password) throw new Error(`Set ${WAREHOUSE_PASSWORD_ENV} to the warehouse database password.\n${USAGE}`);

  const server = await startEmbeddedWarehouse({ dataDir, port, password, listenAddresses: values.listen });
  const pool = createWarehousePool(parseWarehouseUrl(server.url, { password }), { applicationName: 'returndesk warehouse' });
  try {
    const { from, to } = await migrateWarehouse(pool);
    console.log(from === to ? `Warehouse schema is at version ${to}.` : `Warehouse schema migrated from version ${from} to ${to}.`);
  } finally {
    await pool.end();
  }
  console.log(`Warehouse PostgreSQL is running: ${server.url} (listening on ${values.listen}; password from ${WAREHOUSE_PASSWORD_ENV}).`);
  if (values.listen !== '127.0.0.1') console.log("Desks on other PCs use this PC's LAN address in place of 127.0.0.1.");
  console.log('Point each desk at it with --warehouse URL, RETURNDESK_WAREHOUSE_URL or the settings. Ctrl+C stops it.');
  const stop = () => {
    console.log('Stopping the warehouse PostgreSQL…');
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(isWarehouseError(error) ? `[${error.code}] ${error.message}` : error instanceof Error ? error.message : String(error));
  process.exit(1);
});
