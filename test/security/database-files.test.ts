// Finding 8: a newer database was switched to WAL before being refused; database files were world-readable;
// the browser host's token went on the command line and into the log.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { DATABASE_FILE, openDatabase } from '../../src/main/core/db/open';
import { tokenFrom, TOKEN_ENV } from '../../src/main/web/cli';
import { tempDir, testCore } from '../support/core';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('database files', () => {
  it('a database from a newer version is refused before any write: bytes, journal mode and siblings unchanged', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, DATABASE_FILE);
    const future = new Database(file);
    future.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    future.pragma('user_version = 999');
    future.close();
    const before = digest(file);
    expect(() => openDatabase({ dataDir })).toThrow(/schema version 999/);
    expect(digest(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it.skipIf(process.platform === 'win32')('the database, its WAL and the lock files are created owner-only (0600)', async () => {
    const dataDir = tempDir();
    const previous = process.umask(0o022);
    try {
      core = testCore({ dataDir });
      await core.dispatch('operators.bootstrap', { name: 'Boss', pin: '2468' }, 'ipc');
    } finally {
      process.umask(previous);
    }
    for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, 'returndesk.lock', 'returndesk.lock.json']) {
      expect(mode(path.join(dataDir, name)), name).toBe(0o600);
    }
  });

  it.skipIf(process.platform === 'win32')('an existing world-readable database is tightened when opened', async () => {
    const dataDir = tempDir();
    core = testCore({ dataDir });
    await core.close();
    fs.chmodSync(path.join(dataDir, DATABASE_FILE), 0o644);
    core = testCore({ dataDir });
    expect(mode(path.join(dataDir, DATABASE_FILE))).toBe(0o600);
  });
});

describe('browser host token source', () => {
  it('comes from the environment or a file, never needing the command line', () => {
    expect(tokenFrom({}, undefined)).toBeUndefined();
    expect(tokenFrom({ [TOKEN_ENV]: 'from-env-0123456789' }, undefined)).toBe('from-env-0123456789');
    const file = path.join(tempDir(), 'token');
    fs.writeFileSync(file, 'from-file-0123456789\n');
    expect(tokenFrom({ [TOKEN_ENV]: 'from-env-0123456789' }, file)).toBe('from-file-0123456789');
    expect(() => tokenFrom({ [TOKEN_ENV]: 'short' }, undefined)).toThrow(/at least 16/);
  });
});
