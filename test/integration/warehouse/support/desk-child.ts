// Child process of the takeover test: a desk (core + warehouse link) on a prepared data dir that says when it
// leads its shop and how far its pull has come, until it is SIGKILLed.
import { createCore } from '../../../../src/main/core/core';
import { configureSync } from '../../../../src/main/core/sync/runtime';
import { parseWarehouseUrl } from '../../../../src/main/warehouse/config';
import { forTarget } from '../../../../src/main/warehouse/link/start';
import { FAST_PLATFORM, FAST_SYNC } from '../../sync/support';
import { FAST_LINK } from './fast-link';

// No top-level await: tsx runs this file as CommonJS.
async function main(): Promise<void> {
  const [dataDir, url] = process.argv.slice(2);
  const password = process.env.WAREHOUSE_TEST_PASSWORD;
  if (!dataDir || !url || !password) throw new Error('usage: desk-child <dataDir> <url> (password in WAREHOUSE_TEST_PASSWORD)');
  const mode = forTarget(parseWarehouseUrl(url, { password }), FAST_LINK);
  const core = createCore({ dataDir, appVersion: 'takeover-test', platform: FAST_PLATFORM, syncGate: mode.gate, program: 'desk-child' });
  configureSync(core.context, FAST_SYNC);
  const shop = core.context.shops.list()[0];
  if (!shop) throw new Error('no shop in the data dir');
  core.events.subscribe((name, payload) => {
    if (name === 'sync.progress') process.stdout.write(`progress ${JSON.stringify(payload)}\n`);
  });
  mode.attach(core);
  const leading = setInterval(() => {
    if (!mode.gate.pulls(shop.id)) return;
    process.stdout.write('leader\n');
    clearInterval(leading);
  }, 20);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? (error.stack ?? error.message) : error)}\n`);
  process.exit(1);
});
