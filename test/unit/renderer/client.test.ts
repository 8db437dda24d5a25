// The DeskApi client: typed by the one method table, envelopes unwrapped into values or DeskErrors.
import { describe, expect, it } from 'vitest';
import { DeskError, methodNames } from '../../../src/common/contract';
import { DeskApi, sessionEndReason } from '../../../src/renderer/src/api/client';
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

  it('tells its listeners once the core ended the session, whichever call found out, and never for a wrong PIN', async () => {
    let answer: unknown = { ok: false, error: { code: 'not_signed_in', message: 'timed out', details: { reason: 'idle_timeout' } } };
    const api = new DeskApi(fakeTransport(() => answer));
    const reasons: string[] = [];
    const off = api.onSessionEnded((reason) => reasons.push(reason));
    await expect(api.call('scan.lookup', { code: 'SF1234567890123', source: 'scanner' })).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(reasons).toEqual(['idle_timeout']);

    answer = { ok: false, error: { code: 'not_signed_in', message: 'wrong', details: { reason: 'wrong_credentials', attemptsLeft: 4 } } };
    await expect(api.call('operators.signIn', { name: 'a', pin: '1234' })).rejects.toMatchObject({ code: 'not_signed_in' });
    answer = { ok: false, error: { code: 'forbidden', message: 'no', details: { reason: 'operator_disabled' } } };
    await expect(api.call('operators.signIn', { name: 'a', pin: '1234' })).rejects.toMatchObject({ code: 'forbidden' });
    answer = { ok: false, error: { code: 'not_signed_in', message: 'Sign in first' } };
    await expect(api.call('audit.list', { limit: 1 })).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(reasons).toEqual(['idle_timeout', 'signed_out']);

    off();
    await expect(api.call('audit.list', { limit: 1 })).rejects.toBeInstanceOf(DeskError);
    expect(reasons).toHaveLength(2);
  });

  it('names the reason only for a session end', () => {
    const ended = new DeskError('not_signed_in', 'x', { reason: 'operator_disabled' });
    expect(sessionEndReason('receipts.confirm', ended)).toBe('operator_disabled');
    expect(sessionEndReason('operators.bootstrap', ended)).toBeNull();
    expect(sessionEndReason('receipts.confirm', new DeskError('conflict', 'x'))).toBeNull();
    expect(sessionEndReason('receipts.confirm', new Error('x'))).toBeNull();
  });
});

describe('DeskApi events', () => {
  it('shares one event stream among all listeners, and closes it when the last one leaves', () => {
    let opened = 0;
    let closed = 0;
    let emit: (name: string, payload: unknown) => void = () => undefined;
    const api = new DeskApi({
      kind: 'http',
      call: async () => ({ ok: true, data: null }),
      subscribe: (listener) => {
        opened += 1;
        emit = listener;
        return () => (closed += 1);
      },
    });
    const seen: string[] = [];
    const offs = [
      api.on('outbox.changed', () => seen.push('outbox')),
      api.on('afterSales.changed', (p) => seen.push(`afterSales:${p.refundIds.join(',')}`)),
      api.on('afterSales.changed', () => seen.push('queue')),
    ];
    expect(opened).toBe(1);
    emit('afterSales.changed', { refundIds: ['7'] });
    emit('outbox.changed', { pending: 0, conflicts: 0 });
    expect(seen).toEqual(['afterSales:7', 'queue', 'outbox']);
    offs[0]!();
    offs[1]!();
    expect(closed).toBe(0);
    offs[2]!();
    expect(closed).toBe(1);
    api.on('outbox.changed', () => undefined);
    expect(opened).toBe(2);
  });
});
