// The scan log's relaxed commits: NORMAL only for that commit (FULL again after, even on failure), nested calls
// join the caller's transaction, and a burst shares one flush (a WAL checkpoint) within the window.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushRelaxed, relaxedTransaction, setRelaxedFlushMs } from '../../../src/main/core/db/relaxed-commit';

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relaxed-'));
  db = new Database(path.join(dir, 'x.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (v INTEGER)');
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sync = () => db.pragma('synchronous', { simple: true });

describe('relaxedTransaction', () => {
  it('commits under NORMAL and leaves the connection at FULL, also when the work throws (rolled back)', () => {
    let inside = -1;
    relaxedTransaction(db, () => {
      inside = sync() as number;
      db.prepare('INSERT INTO t VALUES (1)').run();
    });
    expect(inside).toBe(1);
    expect(sync()).toBe(2);
    expect(() =>
      relaxedTransaction(db, () => {
        db.prepare('INSERT INTO t VALUES (2)').run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(sync()).toBe(2);
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual([1]);
    flushRelaxed(db);
  });

  it('inside a caller’s transaction it is a savepoint of that transaction (the outer commit decides)', () => {
    db.transaction(() => {
      relaxedTransaction(db, () => db.prepare('INSERT INTO t VALUES (3)').run());
      expect(sync()).toBe(2);
    })();
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
  });

  it('a burst of relaxed commits shares one checkpoint, run when the window ends', () => {
    vi.useFakeTimers();
    setRelaxedFlushMs(db, 250);
    const pragmas: string[] = [];
    const original = db.pragma.bind(db);
    vi.spyOn(db, 'pragma').mockImplementation((source: string, options?: Database.PragmaOptions) => {
      pragmas.push(source);
      return original(source, options);
    });
    for (let i = 0; i < 5; i += 1) relaxedTransaction(db, () => db.prepare('INSERT INTO t VALUES (?)').run(i));
    expect(pragmas.filter((p) => p.startsWith('wal_checkpoint'))).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(pragmas.filter((p) => p.startsWith('wal_checkpoint'))).toEqual(['wal_checkpoint(PASSIVE)']);
    // Everything committed so far is in the database file now: nothing is left only in the WAL.
    const [state] = original('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(state!.log).toBe(state!.checkpointed);
  });
});
