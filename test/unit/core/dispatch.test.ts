// Dispatch: unknown methods, schema violations with paths, handler failures and app.info end to end.
import { afterEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../../src/common/contract';
import { createDispatch } from '../../../src/main/core/dispatch';
import type { HandlerMap } from '../../../src/main/core/context/handlers';
import { handlers } from '../../../src/main/core/registry';
import type { Core } from '../../../src/main/core/core';
import { writeRange } from '../../../bench/dataset';
import { testCore } from '../../support/core';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

describe('dispatch', () => {
  it('answers app.info with the schema version and the after-sale count, following new rows without a recount', async () => {
    core = testCore();
    const info = async () => {
      const answer = await core!.dispatch('app.info', {}, 'http');
      if (!answer.ok) throw new Error(answer.error.message);
      return answer.data as { schemaVersion: number; counts: Record<string, number>; transport: string; dataDir: string };
    };
    const data = await info();
    expect(data.counts).toEqual({ after_sales: 0 });
    const now = Date.now();
    writeRange(core.context.db, 0, 30, { perDay: 10, now, seed: 3 });
    expect((await info()).counts.after_sales).toBe(30);
    writeRange(core.context.db, 30, 45, { perDay: 10, now, seed: 3 });
    expect((await info()).counts.after_sales).toBe(45);
    expect(data.schemaVersion).toBe(core.context.db.pragma('user_version', { simple: true }));
    expect(data.transport).toBe('http');
    expect(data.dataDir).toBe(core.context.dataDir);
  });

  it('refuses unknown methods and prototype names with unknown_method', async () => {
    core = testCore();
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      const answer = await core.dispatch(name, {}, 'ipc');
      expect(answer).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('answers invalid_input with the offending path for hostile payloads', async () => {
    core = testCore();
    for (const payload of [{ extra: 1 }, [], 'x', 42]) {
      const answer = await core.dispatch('app.info', payload, 'http');
      expect(answer.ok).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code).toBe('invalid_input');
      expect(answer.error.details).toMatchObject({ issues: expect.any(Array) });
    }
  });

  it('keeps a DeskError code and hides unexpected failures behind internal', async () => {
    core = testCore();
    const failing = {
      ...handlers,
      'app.info': () => {
        throw new DeskError('forbidden', 'no');
      },
    } as HandlerMap;
    const crashing = {
      ...handlers,
      'app.info': () => {
        throw new Error('secret detail token=abc');
      },
    } as HandlerMap;
    expect(await createDispatch(core.context, failing)('app.info', {}, 'ipc')).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'no' },
    });
    const crashed = await createDispatch(core.context, crashing)('app.info', {}, 'ipc');
    expect(crashed).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(crashed)).not.toContain('abc');
  });

  it('refuses a handler answer outside the output schema', async () => {
    core = testCore();
    const lying = { ...handlers, 'app.info': () => ({ name: 1 }) } as unknown as HandlerMap;
    expect(await createDispatch(core.context, lying)('app.info', {}, 'ipc')).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
