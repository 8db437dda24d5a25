// `npm start`: launches the built app in Electron, or explains why it cannot and points to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');

let electronBinary;
try {
  electronBinary = require('electron');
} catch {
  electronBinary = undefined;
}

if (typeof electronBinary !== 'string') {
  console.error(
    [
      'The Electron binary is not installed and could not be downloaded: it comes from outside the npm registry,',
      'so `npm install` skips it here (see "allowScripts" in package.json).',
      '',
      'Use the same desk in a browser instead:   npm run start:web',
      "On a machine that can reach Electron's downloads, fetch it with:  node node_modules/electron/install.js",
    ].join('\n'),
  );
  process.exit(1);
}

const native = spawnSync(process.execPath, [path.join(root, 'scripts', 'electron-native.mjs')], { stdio: 'inherit' });
if (native.status !== 0) process.exit(native.status ?? 1);

const child = spawn(electronBinary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
