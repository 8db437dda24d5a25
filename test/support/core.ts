// Builds a throwaway core on a temporary data dir for tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/main/core/core';
import { startSession } from '../../src/main/core/operators/session';
import { getOperator, insertOperator } from '../../src/main/core/operators/store';
import { startDemoSimulator } from '../../src/main/sim/demo';

export function tempDir(prefix = 'returndesk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A temporary renderer folder for the browser host to serve: only an index.html titled "desk". */
export function tempRendererDir(): string {
  const rendererDir = tempDir('returndesk-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>desk</title>');
  return rendererDir;
}

/** A core on a temporary data dir (or the given one), services off, the demo shop backed by the real simulator. */
export function testCore(options: Partial<CoreOptions> = {}): Core {
  return createCore({
    appVersion: 'test',
    startServices: false,
    demoSimulator: startDemoSimulator,
    ...options,
    dataDir: options.dataDir ?? tempDir(),
  });
}

/**
 * Signs a manager in on a test core without the PIN round trip (every permission, like the main account),
 * for tests about something other than sign-in. Does nothing when someone is signed in already.
 */
export function ensureSignedIn(core: Core, name = 'tester'): Core {
  const ctx = core.context;
  if (ctx.session.operatorId !== null) return core;
  const hasMain = ctx.db.prepare("SELECT COUNT(*) FROM operators WHERE role = 'main'").pluck().get() !== 0;
  const id = `test-${name}`;
  const known = ctx.db.prepare('SELECT COUNT(*) FROM operators WHERE id = ?').pluck().get(id) !== 0;
  if (!known) {
    insertOperator(ctx, {
      id,
      name,
      role: hasMain ? 'admin' : 'main',
      customRoleName: null,
      granted: [],
      disabled: false,
      pin: { hash: 'scrypt$16384$8$1$never-matches', salt: '' },
    });
  }
  startSession(ctx, getOperator(ctx, id)!);
  return core;
}

/** A throwaway core with a manager signed in (see ensureSignedIn). */
export function signedInTestCore(options: Partial<CoreOptions> = {}): Core {
  return ensureSignedIn(testCore(options));
}
