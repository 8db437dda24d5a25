// The DeskApi client: the renderer's only way to the core, typed by the shared contract.
import {
  DeskError,
  deskReasonOf,
  events,
  isEventName,
  unwrapEnvelope,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../../common/contract';
import { httpTransport, ipcTransport, type Transport } from './transport';

// The one method table: the renderer can call only what the core serves.
export type { MethodInput, MethodName, MethodOutput };

/** Methods whose `not_signed_in` answer means wrong credentials, not a session that ended. */
const SIGN_IN_METHODS: readonly string[] = ['operators.signIn', 'operators.bootstrap'];

/**
 * Why the core ended the operator's session, when a call's failure says so (`idle_timeout`, `signed_out`,
 * `operator_disabled`, …); null for any other failure.
 */
export function sessionEndReason(method: string, error: unknown): string | null {
  if (!(error instanceof DeskError) || error.code !== 'not_signed_in' || SIGN_IN_METHODS.includes(method)) return null;
  const reason = deskReasonOf(error.details);
  if (reason === 'wrong_credentials') return null;
  return reason ?? 'signed_out';
}

export class DeskApi {
  private readonly sessionEndListeners = new Set<(reason: string) => void>();
  /** Every `on` listener shares one transport subscription: one event stream per client, however many screens listen. */
  private readonly eventListeners = new Set<(name: string, payload: unknown) => void>();
  private unsubscribeTransport: (() => void) | null = null;

  constructor(readonly transport: Transport) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    let raw: unknown;
    try {
      raw = await this.transport.call(method, input);
    } catch (error) {
      throw new DeskError('platform_unavailable', error instanceof Error ? error.message : 'The desk backend did not answer');
    }
    try {
      return unwrapEnvelope<MethodOutput<M>>(raw);
    } catch (error) {
      const reason = sessionEndReason(method, error);
      // Listeners run before the caller sees the error, so the caller already finds the session gone.
      if (reason !== null) for (const listener of this.sessionEndListeners) listener(reason);
      throw error;
    }
  }

  /** The one place that learns the core ended the session, whichever call found out. */
  onSessionEnded(listener: (reason: string) => void): () => void {
    this.sessionEndListeners.add(listener);
    return () => this.sessionEndListeners.delete(listener);
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    const filtered = (eventName: string, payload: unknown) => {
      if (eventName !== name || !isEventName(eventName)) return;
      const parsed = events[name].safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
    };
    this.eventListeners.add(filtered);
    this.unsubscribeTransport ??= this.transport.subscribe((eventName, payload) => {
      for (const each of [...this.eventListeners]) each(eventName, payload);
    });
    return () => {
      this.eventListeners.delete(filtered);
      if (this.eventListeners.size === 0 && this.unsubscribeTransport) {
        this.unsubscribeTransport();
        this.unsubscribeTransport = null;
      }
    };
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
