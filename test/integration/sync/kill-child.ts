// Child process of the kill test: opens the core on a data dir and syncs or drains the outbox until told to stop (SIGKILL).
import { createCore } from '../../../src/main/core/core';
import { outboxCounts } from '../../../src/main/core/outbox/store';
import { syncShop } from '../../../src/main/core/sync/engine';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { startOutboxWorker } from '../../../src/main/core/outbox/service';
import { FAST_PLATFORM, FAST_SYNC } from './support';

// No top-level await: the package is CommonJS, and tsx runs this file as such.
async function main(): Promise<void> {
  const [dataDir, mode] = process.argv.slice(2);
  if (!dataDir || (mode !== 'sync' && mode !== 'drain')) throw new Error('usage: kill-child <dataDir> sync|drain');

  const core = createCore({ dataDir, appVersion: 'kill-test', startServices: false, platform: FAST_PLATFORM });
  configureSync(core.context, FAST_SYNC);
  const shop = core.context.shops.list()[0];
  if (!shop) throw new Error('no shop in the data dir');
  // One line per unit of work, so the parent can kill at a random point of the work rather than of the clock.
  core.events.subscribe((name) => {
    if ((mode === 'sync' && name === 'afterSales.changed') || (mode === 'drain' && name === 'outbox.changed'))
      process.stdout.write('tick\n');
  });
  process.stdout.write('ready\n');

  if (mode === 'sync') {
    // Transient trouble ends a run; the next run resumes where it stopped, as the scheduler would.
    for (let run = 0; ; run += 1) {
      try {
        await syncShop(core.context, shop.id);
        break;
      } catch (error) {
        if (run > 50) throw error;
      }
    }
    process.stdout.write('synced\n');
  } else {
    const service = startOutboxWorker(core.context);
    while (outboxCounts(core.context.db).pending > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await service.stop();
    process.stdout.write('drained\n');
  }
  await core.close();
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? (error.stack ?? error.message) : error) + '\n');
  process.exit(1);
});
