// The IPC transport hands the bridge plain data, as Electron's structured clone needs (a Vue proxy cannot be cloned).
import { reactive, ref } from 'vue';
import { describe, expect, it } from 'vitest';
import { ipcTransport } from '../../../src/renderer/src/api/transport';
import type { DeskBridge } from '../../../src/preload/bridge';

function cloningBridge(received: unknown[]): DeskBridge {
  return {
    // structuredClone is what ipcRenderer.invoke applies to its arguments; it throws on a Proxy.
    call: async (_method, input) => (received.push(structuredClone(input)), { ok: true, data: null }),
    onEvent: () => () => undefined,
    eventNames: [],
  };
}

describe('ipcTransport', () => {
  it('sends a reactive input as plain data', async () => {
    const form = reactive({ shopId: '9007199254740993', tags: ['a'], nested: { amountFen: 1200 } });
    expect(() => structuredClone(form)).toThrow();
    const received: unknown[] = [];
    const transport = ipcTransport(cloningBridge(received));
    await expect(transport.call('desk.lookup', form)).resolves.toEqual({ ok: true, data: null });
    await transport.call('desk.lookup', { code: ref('SF123').value, list: reactive([1, 2]) });
    await transport.call('session.current', undefined);
    expect(received).toEqual([
      { shopId: '9007199254740993', tags: ['a'], nested: { amountFen: 1200 } },
      { code: 'SF123', list: [1, 2] },
      {},
    ]);
  });
});
