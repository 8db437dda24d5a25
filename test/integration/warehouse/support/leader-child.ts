// Child process of the leader test: wins a shop's leadership, says so, and waits to be SIGKILLed.
import { parseWarehouseUrl } from '../../../../src/main/warehouse/config';
import { tryLead } from '../../../../src/main/warehouse/leader';
import { connectClient } from '../../../../src/main/warehouse/pool';

// No top-level await: tsx runs this file as CommonJS.
async function main(): Promise<void> {
  const [url, shopId] = process.argv.slice(2);
  const password = process.env.WAREHOUSE_TEST_PASSWORD;
  if (!url || !shopId || !password) throw new Error('usage: leader-child <url> <shopId> (password in WAREHOUSE_TEST_PASSWORD)');
  const target = parseWarehouseUrl(url, { password });
  const leadership = await tryLead(() => connectClient(target, { applicationName: 'leader-child' }), shopId, 'desk-child');
  process.stdout.write(leadership ? `leader ${leadership.epoch}\n` : 'follower\n');
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
