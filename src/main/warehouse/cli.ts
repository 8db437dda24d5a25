// `npm run warehouse -- --data-dir D --port P`: hosts the warehouse PostgreSQL on this PC and brings its schema up to date.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseWarehouseUrl } from './config';
import { startEmbeddedWarehouse } from './embedded';
import { isWarehouseError } from './errors';
import { readWarehouseIdentity, renewGenerationIfRestored, startNewFeedGeneration } from './identity';
import { setUpWarehouseKey, type KeySetupOutcome } from './key-setup';
import { createWarehousePool } from './pool';
import { migrateWarehouse } from './schema/migrate';

export const WAREHOUSE_PASSWORD_ENV = 'RETURNDESK_WAREHOUSE_PASSWORD';

const USAGE = `usage: npm run warehouse -- --data-dir DIR [--port 5432] [--listen 127.0.0.1|*] [--tls-only] [--key-file FILE] [--new-generation]
  The database password comes from ${WAREHOUSE_PASSWORD_ENV} (never from the command line, where other users could read it).
  TLS is on, with a certificate made on the first run (DIR/server.crt); --tls-only refuses unencrypted connections.
  --key-file: where the first run writes the warehouse key (default: beside DIR, never inside it).
  --new-generation: run once right after restoring a backup; desks then pull everything again.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '5432' },
      listen: { type: 'string', default: '127.0.0.1' },
      'tls-only': { type: 'boolean', default: false },
      'key-file': { type: 'string' },
      'new-generation': { type: 'boolean', default: false },
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
  // Outside the data directory: a copy or backup of the database must not carry the key beside the ciphertexts.
  const keyFile = path.resolve(values['key-file'] ?? path.join(path.dirname(path.resolve(dataDir)), 'returndesk-warehouse.key'));

  const tls = values['tls-only'] ? 'only' : 'on';
  const server = await startEmbeddedWarehouse({ dataDir, port, password, listenAddresses: values.listen, tls });
  const certificate = server.certificate!;
  const pool = createWarehousePool(parseWarehouseUrl(server.url, { password, tls: { mode: 'verify-ca', caPem: certificate.pem } }), {
    applicationName: 'returndesk warehouse',
  });
  try {
    const { from, to } = await migrateWarehouse(pool);
    console.log(from === to ? `Warehouse schema is at version ${to}.` : `Warehouse schema migrated from version ${from} to ${to}.`);
    if (await renewGenerationIfRestored(pool)) {
      console.log('This database was restored elsewhere or recovered to a point in time: a new feed generation was started.');
    }
    if (values['new-generation']) {
      const generation = await startNewFeedGeneration(pool);
      console.log(`New feed generation ${generation}: every desk pulls the whole warehouse again when it reconnects.`);
    } else {
      console.log(`Feed generation ${(await readWarehouseIdentity(pool))?.generation ?? '(none)'}.`);
    }
    console.log(describeKey(await setUpWarehouseKey(pool, keyFile), keyFile));
  } finally {
    await pool.end();
  }
  console.log(`Warehouse PostgreSQL is running: ${server.url} (listening on ${values.listen}; password from ${WAREHOUSE_PASSWORD_ENV}).`);
  console.log(`Desks pin its certificate: ${server.url}?sslmode=verify-ca&sslrootcert=FILE (FILE: the desk's copy of the certificate).`);
  console.log(`TLS ${tls === 'only' ? 'only (unencrypted connections are refused)' : 'on'}. Certificate: ${certificate.certFile}`);
  console.log(`  SHA-256 fingerprint: ${certificate.fingerprint256}`);
  console.log('  Copy the certificate file to each desk and check this fingerprint there before using it as sslrootcert.');
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

/** Never the key: its file and its id only. */
function describeKey(outcome: KeySetupOutcome, keyFile: string): string {
  switch (outcome.status) {
    case 'created':
      return `Warehouse key ${outcome.keyId} written to ${keyFile}. Import it once on each desk, then keep the file offline.`;
    case 'adopted':
      return `Warehouse key ${outcome.keyId} taken from ${keyFile}.`;
    case 'present':
      return `Warehouse key ${outcome.keyId} (file ${keyFile}).`;
    case 'absent':
      return `Warehouse key ${outcome.keyId} is not on this PC (${keyFile}); desks that imported it keep working.`;
    case 'mismatch':
      return `WARNING: ${keyFile} holds key ${outcome.fileKeyId}, but the shops are sealed with ${outcome.keyId}. Do not give it to desks.`;
  }
}

main().catch((error: unknown) => {
  console.error(isWarehouseError(error) ? `[${error.code}] ${error.message}` : error instanceof Error ? error.message : String(error));
  process.exit(1);
});
