// Child process of the outbox takeover test: a whole desk (core, shop, warehouse link with the outbox part) that
// drains the shared outbox until it is SIGKILLed, holding its claims' leases.
import { createCore } from '../../../../src/main/core/core';
import { parseWarehouseUrl } from '../../../../src/main/warehouse/config';
import { OutboxPart } from '../../../../src/main/warehouse/link/outbox-part';
import { forTarget } from '../../../../src/main/warehouse/link/start';
import { ensureSignedIn } from '../../../support/core';
import { connectToSimulator } from '../../../support/simulator-shop';
import type { RunningSimulator } from '../../../../src/main/sim';

// No top-level await: tsx runs this file as CommonJS.
async function main(): Promise<void> {
  const [url, dataDir, leaseMs] = process.argv.slice(2);
  const password = process.env.WAREHOUSE_TEST_PASSWORD;
  const sim = JSON.parse(process.env.OUTBOX_CHILD_SIM ?? 'null') as Pick<RunningSimulator, 'baseUrl' | 'credentials'> | null;
  if (!url || !dataDir || !leaseMs || !password || !sim)
    throw new Error('usage: outbox-child <url> <dataDir> <leaseMs> (env: password, sim)');
  const mode = forTarget(parseWarehouseUrl(url, { password }), {
    retryMs: 200,
    leaderRetryMs: 200,
    shopPollMs: 200,
    reconnectDelayMs: 200,
    parts: (core) => [new OutboxPart(core, { leaseMs: Number(leaseMs), holdMs: 200 })],
  });
  const core = createCore({ dataDir, appVersion: 'test', syncGate: mode.gate, program: 'outbox child' });
  ensureSignedIn(core);
  core.context.outbox.options.workerIdleMs = 50;
  await connectToSimulator(core, sim as RunningSimulator);
  const link = mode.attach(core);
  await link.whenLinked();
  process.stdout.write(`linked ${link.deskId}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
