// What the warehouse benchmarks share: an embedded PostgreSQL in a temporary folder on a free port, and medians in ms.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedWarehouse, type EmbeddedWarehouse, type EmbeddedWarehouseOptions } from '../src/main/warehouse/embedded';

export const BENCH_PASSWORD = 'bench-only';
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const ms = (value: number) => `${value.toFixed(2)} ms`;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface BenchWarehouse {
  root: string;
  server: EmbeddedWarehouse;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

export async function startBenchWarehouse(
  prefix: string,
  options: Omit<EmbeddedWarehouseOptions, 'dataDir' | 'port' | 'password'> = {},
): Promise<BenchWarehouse> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const server = await startEmbeddedWarehouse({
    ...options,
    dataDir: path.join(root, 'data'),
    port: await freePort(),
    password: BENCH_PASSWORD,
  });
  return {
    root,
    server,
    stop: async () => {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
