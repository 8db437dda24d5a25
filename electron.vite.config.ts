// Build of the three Electron targets; the main target also emits the browser host and the simulator CLI.
// `electron-vite dev` first builds better-sqlite3 for Electron (scripts/electron-native.mjs) or stops, saying why.
import vue from '@vitejs/plugin-vue';
import { spawnSync } from 'node:child_process';
import { defineConfig, type UserConfig } from 'electron-vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const { version } = JSON.parse(readFileSync(resolve(__dirname, 'package.json'), 'utf8')) as { version: string };
const define = { __APP_VERSION__: JSON.stringify(version) };

function ensureElectronNative(): void {
  const script = resolve(__dirname, 'scripts/electron-native.mjs');
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(
      'The desktop app needs better-sqlite3 built for Electron and it could not be built (see above). ' +
        'Run `node scripts/electron-native.mjs` once it can reach Electron headers, or use browser mode: npm run start:web',
    );
  }
}

const config: UserConfig = {
  main: {
    define,
    build: {
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/shell/index.ts'),
          web: resolve(__dirname, 'src/main/web/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require node_modules: bundle zod and the contract into it.
      externalizeDeps: false,
      rolldownOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    define,
    plugins: [vue()],
    build: {
      rolldownOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
};

export default defineConfig(({ command }) => {
  if (command === 'serve') ensureElectronNative();
  return config;
});
