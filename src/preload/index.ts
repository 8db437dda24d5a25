// Exposes exactly the contract's methods and events to the renderer; never a raw ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import { eventNames, isEventName, methodNames } from '../common/contract';
import { callChannel, EVENT_CHANNEL } from '../common/ipc-channels';
import type { DeskBridge } from './bridge';

const calls = Object.fromEntries(methodNames.map((method) => [method, (input: unknown) => ipcRenderer.invoke(callChannel(method), input)]));

const bridge: DeskBridge = {
  call: (method, input) => {
    const call = calls[method];
    if (!call) return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `Unknown method: ${method}` } });
    return call(input);
  },
  onEvent: (listener) => {
    const handler = (_event: unknown, name: unknown, payload: unknown) => {
      if (typeof name === 'string' && isEventName(name)) listener(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(EVENT_CHANNEL, handler);
  },
  eventNames: [...eventNames],
};

contextBridge.exposeInMainWorld('returnDesk', bridge);
