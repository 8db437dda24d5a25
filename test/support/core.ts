// Builds a throwaway core on a temporary data dir for tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/main/core/core';

export function tempDir(prefix = 'returndesk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testCore(options: Partial<CoreOptions> = {}): Core {
  return createCore({ appVersion: 'test', startServices: false, ...options, dataDir: options.dataDir ?? tempDir() });
}
