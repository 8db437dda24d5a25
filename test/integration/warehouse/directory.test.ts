// Operators and roles through the warehouse: made at one desk, signed in with at every desk; disabled or changed
// anywhere, refused or changed everywhere; concurrent changes end equal at every desk (last writer wins).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, MethodInput, MethodName, MethodOutput } from '../../../src/common/contract';
import type { Core } from '../../../src/main/core/core';
import { exportOperator } from '../../../src/main/core/replica/operators';
import { operatorsFromFeed } from '../../../src/main/warehouse/link/directory-store';
import type { DirectoryPart } from '../../../src/main/warehouse/link/directory';
import { readSettings } from '../../../src/main/core/settings/settings';
import { ensureSignedIn } from '../../support/core';
import { startDesks, until, type DeskCluster, type TestDesk } from './support/desks';

let cluster: DeskCluster;
beforeAll(async () => {
  cluster = await startDesks({ desks: 3, shops: [{ afterSales: 5 }], startServices: false });
  await Promise.all(cluster.desks.map((desk) => desk.link.whenLinked()));
}, 120_000);
afterAll(async () => cluster?.stop());

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
  return (await core.dispatch(method, input, 'http')) as Envelope<MethodOutput<M>>;
}

/** Back to the desk's own manager (a test operator at every desk). */
async function asManager(desk: TestDesk): Promise<void> {
  await call(desk.core, 'operators.signOut', {});
  ensureSignedIn(desk.core);
}

const desk = (n: number) => cluster.desks[n]!;
const held = (n: number, id: string) => exportOperator(desk(n).core.context, id);

async function warehouseRow(id: string) {
  const pool = cluster.desks[0]!.link.pool;
  const rows = (await pool.query('SELECT * FROM operators WHERE operator_id = $1', [id])).rows;
  return (await operatorsFromFeed(pool, rows))[0] ?? null;
}

describe('operators shared through the warehouse', () => {
  let linId = '';

  it('lets an operator made at desk A sign in at desks B and C with the same PIN (the PIN itself never travels)', async () => {
    const made = await call(desk(0).core, 'operators.save', {
      name: 'Lin',
      pin: '2468',
      role: 'custom',
      customRoleName: '仓管',
      permissions: ['agree_refund'],
    });
    expect(made.ok).toBe(true);
    linId = made.ok ? made.data.id : '';
    const converged = await until('Lin at desks B and C', () => held(1, linId) !== null && held(2, linId) !== null);
    console.info(`operator convergence (A -> B, C): ${converged} ms`);

    const stored = await cluster.desks[0]!.link.pool.query('SELECT * FROM operators WHERE operator_id = $1', [linId]);
    expect(JSON.stringify(stored.rows)).not.toContain('2468');
    for (const n of [1, 2]) {
      const signedIn = await call(desk(n).core, 'operators.signIn', { name: 'lin', pin: '2468' });
      expect(signedIn.ok && signedIn.data).toMatchObject({
        id: linId,
        role: 'custom',
        customRoleName: '仓管',
        permissions: ['agree_refund'],
      });
      const wrong = await call(desk(n).core, 'operators.signIn', { name: 'Lin', pin: '1111' });
      expect(!wrong.ok && wrong.error.code).toBe('not_signed_in');
    }
    // Applied rows are never pushed back up: only desk A wrote Lin.
    expect(desk(1).link.part<DirectoryPart>('directory')!.counters.pushed).toBe(0);
    expect(desk(2).link.part<DirectoryPart>('directory')!.counters.pushed).toBe(0);
    expect(desk(0).link.part<DirectoryPart>('directory')!.counters.pushed).toBe(1);
  });

  it('refuses at desk A an operator disabled at desk B, and ends the session A had open for it', async () => {
    const atA = await call(desk(0).core, 'operators.signIn', { name: 'Lin', pin: '2468' });
    expect(atA.ok).toBe(true);
    await asManager(desk(1));
    const disabled = await call(desk(1).core, 'operators.save', {
      id: linId,
      name: 'Lin',
      role: 'custom',
      customRoleName: '仓管',
      permissions: ['agree_refund'],
      disabled: true,
    });
    expect(disabled.ok).toBe(true);
    await until('Lin disabled at A and C', () => held(0, linId)?.disabled === true && held(2, linId)?.disabled === true);

    const session = await call(desk(0).core, 'operators.session', {});
    expect(session.ok && session.data.operator).toBeNull();
    const again = await call(desk(0).core, 'operators.signIn', { name: 'Lin', pin: '2468' });
    expect(!again.ok && again.error).toMatchObject({ code: 'forbidden', details: { reason: 'operator_disabled' } });
    expect((await warehouseRow(linId))?.disabled).toBe(true);
  });

  it('applies a role change made at desk C everywhere', async () => {
    await asManager(desk(2));
    const changed = await call(desk(2).core, 'operators.save', { id: linId, name: 'Lin', role: 'admin', disabled: false });
    expect(changed.ok).toBe(true);
    await until('Lin an admin at A and B', () => held(0, linId)?.role === 'admin' && held(1, linId)?.role === 'admin');
    const atA = await call(desk(0).core, 'operators.signIn', { name: 'Lin', pin: '2468' });
    expect(atA.ok && atA.data.permissions).toEqual(['agree_refund', 'manage_operators', 'manage_shops']);
    await asManager(desk(0));
  });

  it('ends concurrent changes of one operator equal at every desk and in the warehouse (the last write wins)', async () => {
    await Promise.all([asManager(desk(0)), asManager(desk(1))]);
    const [a, b] = await Promise.all([
      call(desk(0).core, 'operators.save', { id: linId, name: 'Lin A', role: 'cs_admin' }),
      call(desk(1).core, 'operators.save', { id: linId, name: 'Lin B', role: 'admin' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    await until('every desk equal to the warehouse', async () => {
      const shared = await warehouseRow(linId);
      return [0, 1, 2].every((n) => held(n, linId)?.name === shared?.name && held(n, linId)?.role === shared?.role);
    });
    expect(['Lin A', 'Lin B']).toContain(held(2, linId)?.name);
  });

  it('shares a custom role by content: two desks granting the same role meet on one row', async () => {
    const pool = cluster.desks[0]!.link.pool;
    const before = Number((await pool.query("SELECT count(*) AS n FROM roles WHERE name = '仓管'")).rows[0].n);
    await asManager(desk(1));
    const made = await call(desk(1).core, 'operators.save', {
      name: 'Wu',
      pin: '1357',
      role: 'custom',
      customRoleName: '仓管',
      permissions: ['agree_refund'],
    });
    expect(made.ok).toBe(true);
    const wuId = made.ok ? made.data.id : '';
    await until('Wu at A', () => held(0, wuId) !== null);
    expect(Number((await pool.query("SELECT count(*) AS n FROM roles WHERE name = '仓管'")).rows[0].n)).toBe(before);
    // The same name with other permissions is another role (a desk allows it), not a clash.
    const other = await call(desk(1).core, 'operators.save', {
      name: 'Zhao',
      pin: '1357',
      role: 'custom',
      customRoleName: '仓管',
      permissions: ['agree_refund', 'manage_shops'],
    });
    expect(other.ok).toBe(true);
    const zhaoId = other.ok ? other.data.id : '';
    await until('Zhao at C', () => held(2, zhaoId) !== null);
    expect(held(2, zhaoId)?.granted).toEqual(['agree_refund', 'manage_shops']);
  });

  it('puts a warehouse rule saved at one desk in effect at every desk, and leaves each desk its own sound', async () => {
    await Promise.all([asManager(desk(0)), asManager(desk(2))]);
    const ownVolume = readSettings(desk(2).core.context).soundVolume;
    const saved = await call(desk(0).core, 'settings.save', { undoWindowMs: 9_000, idleTimeoutMs: 120_000, soundVolume: 0.15 });
    expect(saved.ok).toBe(true);
    await until('the rules at B and C', () =>
      [1, 2].every(
        (n) => readSettings(desk(n).core.context).undoWindowMs === 9_000 && readSettings(desk(n).core.context).idleTimeoutMs === 120_000,
      ),
    );
    expect(readSettings(desk(2).core.context).soundVolume).toBe(ownVolume);
    // Saved again at C: the later save wins everywhere.
    expect((await call(desk(2).core, 'settings.save', { undoWindowMs: 3_000 })).ok).toBe(true);
    await until('C’s undo window at A and B', () => [0, 1].every((n) => readSettings(desk(n).core.context).undoWindowMs === 3_000));
    const stored = await cluster.desks[0]!.link.pool.query("SELECT key, value FROM settings WHERE key LIKE 'desk.%' ORDER BY key");
    expect(stored.rows).toContainEqual({ key: 'desk.undoWindowMs', value: 3_000 });
    expect(stored.rows.map((row: { key: string }) => row.key)).not.toContain('desk.soundVolume');
  });
});
