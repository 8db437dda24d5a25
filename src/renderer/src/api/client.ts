// The DeskApi client: the renderer's only way to the core, typed by the shared contract.
import type { z } from 'zod';
import { DeskError, events, isEventName, unwrapEnvelope, type EventName, type EventPayload, type Methods } from '../../../shared/contract';
import type { afterSalesMethods } from '../../../shared/contract/after-sales';
import type { auditMethods } from '../../../shared/contract/audit';
import type { deskMethods } from '../../../shared/contract/desk';
import type { operatorsMethods } from '../../../shared/contract/operators';
import type { syncMethods } from '../../../shared/contract/sync';
import { httpTransport, ipcTransport, type Transport } from './transport';

/**
 * Every contract file's methods, registered in the method table or not yet: the renderer is written against
 * the whole contract, and a method whose handler is not registered yet answers `unknown_method` at run time.
 */
export type DeskMethods = Methods &
  typeof afterSalesMethods &
  typeof auditMethods &
  typeof deskMethods &
  typeof operatorsMethods &
  typeof syncMethods;
export type MethodName = keyof DeskMethods & string;
export type MethodInput<M extends MethodName> = z.input<DeskMethods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<DeskMethods[M]['output']>;

export class DeskApi {
  constructor(readonly transport: Transport) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    let raw: unknown;
    try {
      raw = await this.transport.call(method, input);
    } catch (error) {
      throw new DeskError('platform_unavailable', error instanceof Error ? error.message : 'The desk backend did not answer');
    }
    return unwrapEnvelope<MethodOutput<M>>(raw);
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.subscribe((eventName, payload) => {
      if (eventName !== name || !isEventName(eventName)) return;
      const parsed = events[name].safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
    });
  }
}

const TOKEN_KEY = 'returndesk.token';

/** In a browser the host hands the token in the URL fragment once; keep it for reloads, drop it from the address bar. */
export function takeBrowserToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return storage.getItem(TOKEN_KEY);
}

export function createDeskApi(): DeskApi {
  if (window.returnDesk) return new DeskApi(ipcTransport(window.returnDesk));
  const token = takeBrowserToken(window.location, window.sessionStorage, window.history);
  return new DeskApi(httpTransport(token ?? ''));
}
