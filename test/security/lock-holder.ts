// Child process of the data-dir lock test: opens a core on the given data dir, says its pid, and waits.
import { createCore } from '../../src/main/core/core';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: lock-holder <dataDir>');
const core = createCore({ dataDir, appVersion: 'lock-test', startServices: false, program: 'lock-holder' });
process.stdout.write(`ready ${process.pid}\n`);
process.on('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
setInterval(() => {}, 1_000);
