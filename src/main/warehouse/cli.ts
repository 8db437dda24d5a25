// `npm run warehouse -- --data-dir D --port P`: hosts the warehouse PostgreSQL on this PC and brings its schema up to date.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { parseWarehouseUrl } from './config';
import { startEmbeddedWarehouse } from './embedded';
import { isWarehouseError } from './errors';
import { readWarehouseIdentity, renewGenerationIfRestored, startNewFeedGeneration } from './identity';
import { setUpWarehouseKey, type KeySetupOutcome } from './key-setup';
import { createWarehousePool } from './pool';
import { migrateWarehouse } from './schema/migrate';
import { recordWalMark, restoredBehindWalMark, walMarkFile } from './wal-mark';

export const WAREHOUSE_PASSWORD_ENV = 'RETURNDESK_WAREHOUSE_PASSWORD';
const WAL_MARK_EVERY_MS = 10_000;

const USAGE = `usage: npm run warehouse -- --data-dir DIR [--port 5432] [--listen 127.0.0.1|*] [--tls-only] [--key-file FILE] [--new-generation]
       npm run warehouse -- --url postgres://user@host:5432/db?sslmode=… --key-file FILE [--new-generation]   (own PostgreSQL)
  The database password comes from ${WAREHOUSE_PASSWORD_ENV} (never from the command line, where other users could read it).
  TLS is on, with a certificate made on the first run (DIR/server.crt); --tls-only refuses unencrypted connections.
  --key-file: where the first run writes the warehouse key (default: beside DIR, never inside it).
  --new-generation: run once right after restoring a backup; desks then pull everything again.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      url: { type: 'string' },
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
  if (!password) throw new Error(`Set ${WAREHOUSE_PASSWORD_ENV} to the warehouse database password.\n${USAGE}`);
  if (values.url && !dataDir) {
    if (!values['key-file']) throw new Error(`--key-file is required with --url.\n${USAGE}`);
    const pool = createWarehousePool(parseWarehouseUrl(values.url, { password }), { applicationName: 'returndesk warehouse' });
    try {
      await prepareDatabase(pool, path.resolve(values['key-file']), values['new-generation']);
    } finally {
      await pool.end();
    }
    return;
  }
  if (!dataDir) throw new Error(`--data-dir (or --url) is required.\n${USAGE}`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--port must be 1..65535 (got ${values.port}).`);
  // Outside the data directory: a copy or backup of the database must not carry the key beside the ciphertexts.
  const keyFile = path.resolve(values['key-file'] ?? path.join(path.dirname(path.resolve(dataDir)), 'returndesk-warehouse.key'));

  const tls = values['tls-only'] ? 'only' : 'on';
  const server = await startEmbeddedWarehouse({ dataDir, port, password, listenAddresses: values.listen, tls });
  const certificate = server.certificate!;
  const pool = createWarehousePool(parseWarehouseUrl(server.url, { password, tls: { mode: 'verify-ca', caPem: certificate.pem } }), {
    applicationName: 'returndesk warehouse',
  });
  const markFile = walMarkFile(dataDir);
  try {
    await prepareDatabase(pool, keyFile, values['new-generation'], markFile);
    await recordWalMark(pool, markFile);
  } catch (error) {
    await pool.end();
    await server.stop();
    throw error;
  }
  // Kept current while running, so a copy of the data directory restored later is recognised as older.
  const marking = setInterval(() => void recordWalMark(pool, markFile).catch(() => undefined), WAL_MARK_EVERY_MS);
  console.log(`Warehouse PostgreSQL is running: ${server.url} (listening on ${values.listen}; password from ${WAREHOUSE_PASSWORD_ENV}).`);
  console.log(`Desks pin its certificate: ${server.url}?sslmode=verify-ca&sslrootcert=FILE (FILE: the desk's copy of the certificate).`);
  console.log(`TLS ${tls === 'only' ? 'only (unencrypted connections are refused)' : 'on'}. Certificate: ${certificate.certFile}`);
  console.log(`  SHA-256 fingerprint: ${certificate.fingerprint256}`);
  console.log('  Copy the certificate file to each desk and check this fingerprint there before using it as sslrootcert.');
  if (values.listen !== '127.0.0.1') console.log("Desks on other PCs use this PC's LAN address in place of 127.0.0.1.");
  console.log('Point each desk at it with --warehouse URL, RETURNDESK_WAREHOUSE_URL or the settings. Ctrl+C stops it.');
  const stop = () => {
    console.log('Stopping the warehouse PostgreSQL…');
    clearInterval(marking);
    recordWalMark(pool, markFile)
      .catch(() => undefined)
      .then(() => pool.end())
      .then(() => server.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Schema, feed generation and warehouse key: the same for the embedded server and an own PostgreSQL. */
async function prepareDatabase(pool: pg.Pool, keyFile: string, newGeneration: boolean, markFile?: string): Promise<void> {
  const { from, to } = await migrateWarehouse(pool);
  console.log(from === to ? `Warehouse schema is at version ${to}.` : `Warehouse schema migrated from version ${from} to ${to}.`);
  if (markFile && (await restoredBehindWalMark(pool, markFile))) {
    await startNewFeedGeneration(pool);
    console.log(
      'The data directory is older than when this PC last ran the warehouse (a backup copied in place): a new feed generation was started.',
    );
  }
  if (await renewGenerationIfRestored(pool)) {
    console.log('This database was restored elsewhere or recovered to a point in time: a new feed generation was started.');
  }
  if (newGeneration) {
    const generation = await startNewFeedGeneration(pool);
    console.log(`New feed generation ${generation}: every desk pulls the whole warehouse again when it reconnects.`);
  } else {
    console.log(`Feed generation ${(await readWarehouseIdentity(pool))?.generation ?? '(none)'}.`);
  }
  console.log(describeKey(await setUpWarehouseKey(pool, keyFile), keyFile));
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
