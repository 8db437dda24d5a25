// The DeskApi client: typed by the one method table, envelopes unwrapped into values or DeskErrors.
import { describe, expect, it } from 'vitest';
import { DeskError, methodNames } from '../../../src/shared/contract';
import { DeskApi } from '../../../src/renderer/src/api/client';
import type { Transport } from '../../../src/renderer/src/api/transport';

function fakeTransport(answer: (method: string, input: unknown) => unknown): Transport & { calls: string[] } {
  const calls: string[] = [];
  return {
    kind: 'http',
    calls,
    call: async (method, input) => {
      calls.push(method);
      return answer(method, input);
    },
    subscribe: () => () => undefined,
  };
}

describe('DeskApi', () => {
  it('is typed by the method table: a method the core does not serve does not compile', async () => {
    const transport = fakeTransport(() => ({ ok: true, data: { signedOut: true } }));
    const api = new DeskApi(transport);
    expect(await api.call('operators.signOut', {})).toEqual({ signedOut: true });
    // @ts-expect-error: not in the methods table
    await api.call('operators.notAMethod', {});
    expect(methodNames).not.toContain('operators.notAMethod');
    expect(transport.calls).toEqual(['operators.signOut', 'operators.notAMethod']);
  });

  it('turns an error envelope into a DeskError and a dead transport into platform_unavailable', async () => {
    const api = new DeskApi(fakeTransport(() => ({ ok: false, error: { code: 'forbidden', message: 'no' } })));
    await expect(api.call('receipts.undo', { refundId: '1' })).rejects.toMatchObject({ code: 'forbidden' });
    const dead = new DeskApi({ kind: 'http', call: () => Promise.reject(new Error('down')), subscribe: () => () => undefined });
    await expect(dead.call('app.info', {})).rejects.toBeInstanceOf(DeskError);
    await expect(dead.call('app.info', {})).rejects.toMatchObject({ code: 'platform_unavailable' });
  });
});
