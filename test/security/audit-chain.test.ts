// Finding 7 (and migration 0006): the audit log could be rewritten with INSERT OR REPLACE unnoticed. Now each
// entry is hash-chained to the one before; tampering is refused where SQLite can, and evident where it cannot.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { entryHash, GENESIS_HASH, verifyAuditChain } from '../../src/main/core/audit/chain';
import { migrate } from '../../src/main/core/db/migrate';
import { migrations } from '../../src/main/core/db/migrations';
import { tempDir, testCore } from '../support/core';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

async function coreWithHistory(dataDir = tempDir()): Promise<Core> {
  const c = testCore({ dataDir });
  await c.dispatch('operators.bootstrap', { name: 'Boss', pin: '2468' }, 'ipc');
  await c.dispatch('settings.save', { soundMuted: true }, 'ipc');
  await c.dispatch('operators.signIn', { name: 'Boss', pin: '0000' }, 'ipc');
  await c.dispatch('operators.signIn', { name: 'Boss', pin: '2468' }, 'ipc');
  return c;
}

/** The tamperer: a separate connection without the desk's pragmas, as sqlite3 on the file would be. */
function tamper(dataDir: string, sql: string): void {
  const db = new Database(`${dataDir}/returndesk.sqlite`);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

describe('audit hash chain', () => {
  it('a clean log verifies, through audit.verify, for a manager only', async () => {
    core = await coreWithHistory();
    const answer = await core.dispatch('audit.verify', {}, 'http');
    expect(answer).toMatchObject({ ok: true, data: { now: { ok: true, firstBadId: null }, atStart: { ok: true } } });
    if (answer.ok) expect((answer.data as { now: { checked: number } }).now.checked).toBeGreaterThanOrEqual(4);
    await core.dispatch('operators.save', { name: 'desk', pin: '1357', role: 'cs_admin' }, 'ipc');
    await core.dispatch('operators.signIn', { name: 'desk', pin: '1357' }, 'ipc');
    expect(await core.dispatch('audit.verify', {}, 'http')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('INSERT OR REPLACE of an existing entry is refused by the desk connection', async () => {
    core = await coreWithHistory();
    expect(() =>
      core!.context.db
        .prepare(`INSERT OR REPLACE INTO audit_log (id, at, action, outcome) VALUES (1, 0, 'operators.bootstrap', 'forged')`)
        .run(),
    ).toThrow(/append-only/);
  });

  it('an entry replaced behind the desk is found at start and by audit.verify, with its id', async () => {
    const dataDir = tempDir();
    core = await coreWithHistory(dataDir);
    await core.close();
    // Out of the desk's hands: drop the triggers and rewrite entry 2 (as a raw sqlite3 session could).
    tamper(
      dataDir,
      `DROP TRIGGER audit_log_append_only; DROP TRIGGER audit_log_no_update;
       UPDATE audit_log SET outcome = 'ok', details = NULL WHERE id = 3;`,
    );
    core = testCore({ dataDir });
    await core.dispatch('operators.signIn', { name: 'Boss', pin: '2468' }, 'ipc');
    const answer = await core.dispatch('audit.verify', {}, 'http');
    expect(answer).toMatchObject({
      ok: true,
      data: {
        now: { ok: false, firstBadId: 3, checked: 2 },
        atStart: { ok: false, firstBadId: 3, reason: expect.stringContaining('changed') },
      },
    });
  });

  it('INSERT OR REPLACE through a bare connection (no recursive triggers) is evident too', async () => {
    const dataDir = tempDir();
    core = await coreWithHistory(dataDir);
    await core.close();
    tamper(
      dataDir,
      `DROP TRIGGER audit_log_append_only; INSERT OR REPLACE INTO audit_log (id, at, action, outcome) VALUES (2, 0, 'x', 'forged');`,
    );
    core = testCore({ dataDir });
    await core.dispatch('operators.signIn', { name: 'Boss', pin: '2468' }, 'ipc');
    expect(verifyAuditChain(core.context.db, 0)).toMatchObject({ ok: false, firstBadId: 2 });
  });

  it('an entry removed from the middle breaks the chain at the next one', async () => {
    const dataDir = tempDir();
    core = await coreWithHistory(dataDir);
    await core.close();
    tamper(dataDir, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;`);
    core = testCore({ dataDir });
    expect(verifyAuditChain(core.context.db, 0)).toMatchObject({ ok: false, firstBadId: 3 });
  });
});

describe('migration 0006', () => {
  it('chains the entries written before it, in id order, and adds the outbox owner and lease', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 5));
    const insert = db.prepare(`INSERT INTO audit_log (at, action, outcome, details) VALUES (?, ?, 'ok', ?)`);
    insert.run(1, 'a', null);
    insert.run(2, 'b', '{"x":1}');
    migrate(db, migrations.slice(0, 6));
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Parameters<typeof entryHash>[1][] &
      { prev_hash: string; hash: string }[];
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[0]!.hash).toBe(entryHash(GENESIS_HASH, rows[0]!));
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(verifyAuditChain(db, 0)).toMatchObject({ ok: true, checked: 2 });
    expect(() => db.prepare('UPDATE audit_log SET outcome = ? WHERE id = 1').run('x')).toThrow(/append-only/);
    const columns = (db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['owner', 'lease_until']));
  });
});
