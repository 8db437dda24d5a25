// The desk's small pool of connections to the warehouse, tuned so a lost LAN shows as an error within seconds.
import pg from 'pg';
import { z } from 'zod';
import { pgSslOption, type WarehouseTarget } from './config';

export interface WarehouseConnectionOptions {
  /** Shown in pg_stat_activity, e.g. "returndesk desk-3". */
  applicationName?: string;
  /** A desk needs few connections; 20 desks stay far below PostgreSQL's default of 100. */
  maxConnections?: number;
  connectTimeoutMs?: number;
  /** Server side: a statement running longer is cancelled. */
  statementTimeoutMs?: number;
  /** Client side: a query with no answer (server or link gone) fails after this long. */
  queryTimeoutMs?: number;
  /** Server side: a session idle inside an open transaction is ended, releasing its locks. */
  idleInTransactionTimeoutMs?: number;
  /** TCP keepalive probes start after this much silence, on both ends of the connection. */
  keepAliveIdleMs?: number;
}

export const DEFAULT_CONNECTION_OPTIONS: Required<WarehouseConnectionOptions> = {
  applicationName: 'returndesk',
  maxConnections: 4,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 15_000,
  queryTimeoutMs: 20_000,
  idleInTransactionTimeoutMs: 30_000,
  keepAliveIdleMs: 5_000,
};

/** Client settings shared by the pool and by the dedicated connections (LISTEN, leadership). */
export function clientConfig(target: WarehouseTarget, options: WarehouseConnectionOptions = {}): pg.ClientConfig {
  const o = { ...DEFAULT_CONNECTION_OPTIONS, ...options };
  const idleSeconds = Math.max(1, Math.round(o.keepAliveIdleMs / 1000));
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password,
    ssl: pgSslOption(target.tls),
    application_name: o.applicationName,
    connectionTimeoutMillis: o.connectTimeoutMs,
    statement_timeout: o.statementTimeoutMs,
    query_timeout: o.queryTimeoutMs,
    idle_in_transaction_session_timeout: o.idleInTransactionTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: o.keepAliveIdleMs,
    // The server probes too, so a desk that vanished (power, cable) loses its session and its advisory locks.
    options: `-c tcp_keepalives_idle=${idleSeconds} -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3`,
  };
}

export function createWarehousePool(target: WarehouseTarget, options: WarehouseConnectionOptions = {}): pg.Pool {
  const o = { ...DEFAULT_CONNECTION_OPTIONS, ...options };
  const pool = new pg.Pool({ ...clientConfig(target, options), max: o.maxConnections, idleTimeoutMillis: 30_000 });
  // An idle connection that breaks is dropped by the pool; without a listener it would crash the process.
  pool.on('error', () => undefined);
  // A connection lost while a client is checked out (inside a transaction) fails the query in flight, but the
  // client's own 'error' event has no listener then (the pool's is only on idle clients) and would crash the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** A fresh, unpooled connection (for LISTEN and for session-level advisory locks). */
export async function connectClient(target: WarehouseTarget, options: WarehouseConnectionOptions = {}): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(target, options));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Runs `work` in one transaction on a pooled connection; rolls back on any failure. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** An int8 (bigint) column as node-postgres reads it: a decimal string, never a JS number (ids exceed 2^53). */
export const int8Schema = z.string().regex(/^[0-9]+$/);

/** Every row read back from the warehouse is checked: a schema drift fails loudly here, not later. */
export function parseRows<S extends z.ZodTypeAny>(schema: S, rows: readonly unknown[]): z.infer<S>[] {
  return rows.map((row) => schema.parse(row));
}
