// Finding 4: writes without the permission they need. Every contract method declares its permission, dispatch
// enforces it centrally, refused writes are audited, and docs/desk.md's table is the contract's.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Core } from '../../src/main/core/core';
import { methodNames, methods, permissionSchema, type MethodSpec } from '../../src/common/contract';
import { renderPermissionTable, withCurrentTable } from '../../scripts/permission-table';
import { testCore } from '../support/core';

const declaredPermission = z.union([z.literal('public'), z.literal('signed_in'), permissionSchema]);

/** The walk itself: every entry of a method table needs a valid permission and a changesState flag. */
function undeclared(table: Record<string, Partial<MethodSpec>>): string[] {
  return Object.entries(table)
    .filter(([, spec]) => !declaredPermission.safeParse(spec.permission).success || typeof spec.changesState !== 'boolean')
    .map(([name]) => name);
}

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

async function signedInCore(): Promise<Core> {
  const c = testCore();
  const boot = await c.dispatch('operators.bootstrap', { name: 'boss', pin: '2468' }, 'ipc');
  expect(boot.ok).toBe(true);
  return c;
}

const auditRows = (c: Core, action: string) =>
  c.context.db.prepare('SELECT outcome, operator_name FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
    outcome: string;
    operator_name: string | null;
  }[];

describe('the contract walk', () => {
  it('every method declares a permission and whether it changes state', () => {
    expect(methodNames.length).toBeGreaterThan(20);
    expect(undeclared(methods as unknown as Record<string, Partial<MethodSpec>>)).toEqual([]);
  });

  it('fails for a method added without an entry', () => {
    const table = { ...methods, 'shops.dropAll': { input: z.object({}), output: z.object({}) } } as unknown as Record<
      string,
      Partial<MethodSpec>
    >;
    expect(undeclared(table)).toEqual(['shops.dropAll']);
    const typo = { ...methods, 'x.y': { input: z.object({}), output: z.object({}), permission: 'admin', changesState: true } };
    expect(undeclared(typo as unknown as Record<string, Partial<MethodSpec>>)).toEqual(['x.y']);
  });

  it('docs/desk.md carries the current method → permission table', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/desk.md'), 'utf8');
    expect(doc).toContain(renderPermissionTable());
    expect(withCurrentTable(doc)).toBe(doc);
    for (const name of methodNames) expect(renderPermissionTable()).toContain(`| \`${name}\` | \`${methods[name].permission}\``);
  });
});

describe('dispatch enforces the declared permission', () => {
  it('with nobody signed in, every non-public method answers not_signed_in and runs nothing', async () => {
    core = await signedInCore();
    await core.dispatch('operators.signOut', {}, 'ipc');
    for (const name of methodNames) {
      if (methods[name].permission === 'public') continue;
      const answer = await core.dispatch(name, {}, 'http');
      expect(answer, name).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    }
  });

  it('refused state-changing calls are audited by dispatch, reads are not', async () => {
    core = await signedInCore();
    await core.dispatch('operators.signOut', {}, 'ipc');
    await core.dispatch('outbox.retry', { id: 'x' }, 'http');
    await core.dispatch('shops.connectDemo', {}, 'http');
    await core.dispatch('outbox.list', {}, 'http');
    expect(auditRows(core, 'outbox.retry')).toEqual([{ outcome: 'not_signed_in', operator_name: null }]);
    expect(auditRows(core, 'shops.connectDemo')).toEqual([{ outcome: 'not_signed_in', operator_name: null }]);
    expect(auditRows(core, 'outbox.list')).toEqual([]);
  });

  it('repro: shops.connectDemo and outbox.retry with nobody signed in', async () => {
    core = await signedInCore();
    await core.dispatch('operators.signOut', {}, 'ipc');
    expect(await core.dispatch('shops.connectDemo', {}, 'http')).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(core.context.db.prepare('SELECT COUNT(*) FROM shops').pluck().get()).toBe(0);
    expect(await core.dispatch('outbox.retry', { id: 'any' }, 'http')).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });

  it('repro: shops.connect by a custom role without manage_shops is forbidden and audited', async () => {
    core = await signedInCore();
    const saved = await core.dispatch('operators.save', { name: 'temp', pin: '1357', role: 'custom', permissions: [] }, 'ipc');
    expect(saved.ok).toBe(true);
    await core.dispatch('operators.signIn', { name: 'temp', pin: '1357' }, 'ipc');
    const answer = await core.dispatch(
      'shops.connect',
      { baseUrl: 'http://attacker.example', appKey: 'k', signSecret: 's', accessToken: 't' },
      'http',
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden', details: { permission: 'manage_shops' } } });
    expect(auditRows(core, 'shops.connect')).toEqual([{ outcome: 'forbidden', operator_name: 'temp' }]);
    expect(core.context.db.prepare('SELECT COUNT(*) FROM shops').pluck().get()).toBe(0);
  });

  it('a cs_admin may confirm but not manage shops or operators', async () => {
    core = await signedInCore();
    await core.dispatch('operators.save', { name: 'desk', pin: '1357', role: 'cs_admin' }, 'ipc');
    await core.dispatch('operators.signIn', { name: 'desk', pin: '1357' }, 'ipc');
    expect(await core.dispatch('operators.list', {}, 'http')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.dispatch('shops.connectDemo', {}, 'http')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // agree_refund held: the refusal is about the refund, not the permission.
    const confirm = await core.dispatch('outbox.retry', { id: 'none' }, 'http');
    expect(confirm).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a refusal says nothing about the input', async () => {
    core = testCore();
    expect(await core.dispatch('operators.list', { bogus: true }, 'http')).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });
});
