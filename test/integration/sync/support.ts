// Shared set-up of the sync integration tests: a simulator over loopback and a core connected to it.
import type { Core } from '../../../src/main/core/core';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../src/main/sim';
import { tempDir, signedInTestCore } from '../../support/core';
import { connectToSimulator } from '../../support/simulator-shop';

/** Tiny delays everywhere: a test never waits on a production-sized backoff. */
export const FAST_SYNC = { retryBaseMs: 5, retryMaxMs: 40, recheckDelayMs: 0, fetchConcurrency: 8, workerIdleMs: 20 } as const;
export const FAST_PLATFORM = { qps: 2_000, timeoutMs: 2_000, retryBaseMs: 2, rateLimitBackoffMs: 10, readAttempts: 3 } as const;

export async function connectCore(
  sim: RunningSimulator,
  dataDir = tempDir('returndesk-sync-'),
): Promise<{ core: Core; shopId: string; dataDir: string }> {
  const core = signedInTestCore({ dataDir, platform: FAST_PLATFORM });
  const shopId = await connectToSimulator(core, sim);
  configureSync(core.context, FAST_SYNC);
  return { core, shopId, dataDir };
}

export async function simulator(options: SimulatorOptions): Promise<RunningSimulator> {
  return startSimulator({ port: 0, ...options });
}

/** Every after-sale of the simulated world (scans it; fine for a few thousand). */
export function worldAfterSales(sim: RunningSimulator) {
  return sim.control.findAfterSales({}, 1_000_000);
}

export function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}
