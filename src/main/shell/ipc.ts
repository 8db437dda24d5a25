// Registers one IPC handler per contract method; every call checks its sender frame before dispatching.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { errorEnvelope, methodNames } from '../../common/contract';
import type { Core } from '../core/core';
import { callChannel, EVENT_CHANNEL } from '../../common/ipc-channels';
import { isTrustedSenderUrl } from './trust';

export function registerIpc(core: Core, devServerUrl: string | undefined): void {
  for (const method of methodNames) {
    ipcMain.handle(callChannel(method), async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSenderUrl(event.senderFrame?.url, devServerUrl)) {
        return errorEnvelope('unauthorized', 'IPC call from an untrusted frame');
      }
      return core.dispatch(method, input, 'ipc');
    });
  }
}

export function forwardEvents(core: Core, target: WebContents): () => void {
  return core.events.subscribe((name, payload) => {
    if (!target.isDestroyed()) target.send(EVENT_CHANNEL, name, payload);
  });
}
