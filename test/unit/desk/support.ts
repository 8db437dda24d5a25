// Test helpers for the desk: a real core with a manual clock, typed calls, and operators of every role.
import { afterEach, beforeEach, expect } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { manualClock } from '../../../src/main/core/kernel/clock';
import type { Envelope, MethodInput, MethodName, MethodOutput, Permission } from '../../../src/common/contract';
import { testCore } from '../../support/core';

export const T0 = Date.UTC(2025, 5, 1, 2, 0, 0);

export interface DeskHarness {
  core: Core;
  clock: ReturnType<typeof manualClock>;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>>;
  ok<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Calls and expects a refusal with this code; returns the error body. */
  fails<M extends MethodName>(
    method: M,
    input: MethodInput<M>,
    code: string,
  ): Promise<{ code: string; message: string; details?: unknown }>;
  count(table: string): number;
}

export function deskHarness(): DeskHarness {
  const clock = manualClock(T0);
  const core = testCore({ clock });
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>) =>
    (await core.dispatch(method, input, 'http')) as Envelope<MethodOutput<M>>;
  return {
    core,
    clock,
    call,
    ok: async (method, input) => {
      const result = await call(method, input);
      if (!result.ok)
        throw new Error(`${method} failed: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.details)}`);
      return result.data;
    },
    fails: async (method, input, code) => {
      const result = await call(method, input);
      expect(result.ok, `${method} should fail with ${code}`).toBe(false);
      if (result.ok) throw new Error('unreachable');
      expect(result.error.code).toBe(code);
      return result.error;
    },
    count: (table) => core.context.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number,
  };
}

export const MAIN = { name: 'Boss', pin: '1234' };

/** Bootstraps the main account and creates one operator per role (PIN 0000), leaving the main account signed in. */
export async function withStaff(
  h: DeskHarness,
  customGrants: Permission[] = [],
): Promise<Record<'main' | 'admin' | 'cs' | 'custom', string>> {
  const main = await h.ok('operators.bootstrap', MAIN);
  const admin = await h.ok('operators.save', { name: 'Admin', pin: '0000', role: 'admin' });
  const cs = await h.ok('operators.save', { name: 'Kefu', pin: '0000', role: 'cs_admin' });
  const custom = await h.ok('operators.save', {
    name: 'Picker',
    pin: '0000',
    role: 'custom',
    customRoleName: '仓管',
    permissions: customGrants,
  });
  return { main: main.id, admin: admin.id, cs: cs.id, custom: custom.id };
}

export async function signInAs(h: DeskHarness, name: string, pin = '0000'): Promise<void> {
  await h.ok('operators.signIn', { name, pin });
}

export type StaffIds = Awaited<ReturnType<typeof withStaff>>;

/**
 * The set-up most desk tests share: before each test a fresh desk with its staff (withStaff, the main account signed
 * in), handed to `setUp` with the staff ids; its core is closed after the test.
 */
export function staffedDeskPerTest(setUp: (h: DeskHarness, staff: StaffIds) => unknown): void {
  let current: DeskHarness | undefined;
  beforeEach(async () => {
    current = deskHarness();
    await setUp(current, await withStaff(current));
  });
  afterEach(async () => {
    await current?.core.close();
    current = undefined;
  });
}
