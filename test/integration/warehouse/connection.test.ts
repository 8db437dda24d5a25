// Connections to the warehouse carry their timeouts, and a link that goes silent fails within seconds instead of hanging.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedWarehouse } from '../../../src/main/warehouse/embedded';
import { isWarehouseError } from '../../../src/main/warehouse/errors';
import { connectClient, createWarehousePool, inTransaction } from '../../../src/main/warehouse/pool';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
beforeAll(async () => {
  warehouse = await startTestWarehouse({ migrate: false });
});
afterAll(async () => warehouse?.stop());

/** A TCP proxy in front of the server whose forwarding can be paused, like a LAN that drops packets. */
async function pausableProxy(targetPort: number) {
  let paused = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(targetPort, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    inbound.on('data', (chunk) => paused || outbound.write(chunk));
    outbound.on('data', (chunk) => paused || inbound.write(chunk));
    const close = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close).on('close', close);
    outbound.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    pause: () => (paused = true),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('warehouse connections', () => {
  it('sets statement_timeout, idle_in_transaction_session_timeout, server keepalives and the application name', async () => {
    const pool = warehouse.pool({ statementTimeoutMs: 1_500, idleInTransactionTimeoutMs: 2_500, applicationName: 'desk-7' });
    const result = await pool.query(
      "SELECT current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS idle, " +
        "current_setting('tcp_keepalives_count') AS probes, current_setting('application_name') AS app",
    );
    expect(result.rows[0]).toEqual({ st: '1500ms', idle: '2500ms', probes: '3', app: 'desk-7' });
    await expect(pool.query('SELECT pg_sleep(3)')).rejects.toThrow(/statement timeout/);
  });

  it('ends a session left idle inside a transaction, releasing what it held', async () => {
    const client = await connectClient(warehouse.target, { idleInTransactionTimeoutMs: 300 });
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(42)');
    await new Promise((resolve) => setTimeout(resolve, 800));
    await expect(client.query('SELECT 1')).rejects.toThrow();
    const other = warehouse.pool();
    const free = await other.query('SELECT pg_try_advisory_lock(42) AS got');
    expect(free.rows[0]).toEqual({ got: true });
    await client.end().catch(() => undefined);
  });

  it('rolls a failed transaction back', async () => {
    const pool = warehouse.pool();
    await pool.query('CREATE TABLE IF NOT EXISTS tx_probe (n int)');
    await expect(
      inTransaction(pool, async (client) => {
        await client.query('INSERT INTO tx_probe VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await pool.query('SELECT count(*)::int AS n FROM tx_probe')).rows[0]).toEqual({ n: 0 });
  });

  it('fails fast instead of hanging when the link goes silent mid-session or the server never answers', async () => {
    const proxy = await pausableProxy(warehouse.server.port);
    const target = { ...warehouse.target, port: proxy.port };
    const pool = createWarehousePool(target, { queryTimeoutMs: 800, connectTimeoutMs: 800 });
    try {
      expect((await pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
      proxy.pause();
      const started = Date.now();
      await expect(pool.query('SELECT 2')).rejects.toThrow(/timeout/i);
      // A new connection through the silent link: the handshake gets no answer either.
      await expect(connectClient(target, { connectTimeoutMs: 800 })).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await pool.end().catch(() => undefined);
      await proxy.close();
    }
  });

  it('an embedded server that cannot start fails with a typed error naming the directory and port', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'returndesk-pg-busy-'));
    try {
      const error = await startEmbeddedWarehouse({
        dataDir: path.join(root, 'data'),
        port: warehouse.server.port, // taken by this file's server
        password: 'unused',
        startTimeoutMs: 15_000,
      }).catch((caught: unknown) => caught);
      expect(isWarehouseError(error, 'warehouse_server_failed')).toBe(true);
      expect((error as Error).message).toContain(String(warehouse.server.port));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
